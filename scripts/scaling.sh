#!/usr/bin/env bash
# Shows that `prodoc convert` takes linear time on hostile inputs: each is one unit repeated,
# converted at N, 2N, 4N and 8N bytes; every doubling of the input may at most multiply the time
# by 2.5 (2 plus room for noise). Exit status 1 if any input fails.
#
# Usage: scripts/scaling.sh [--quick] [--bin PATH]
#   --quick     one run per size instead of the best of 3
#   --bin PATH  time this prodoc binary (or set PRODOC=PATH) instead of building one
set -euo pipefail

runs=3
bin=${PRODOC:-}
mib=$((1024 * 1024))
while [ $# -gt 0 ]; do
  case $1 in
    --quick) runs=1 ;;
    --bin) bin=${2:?--bin needs a path}; shift ;;
    -h | --help) sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ -z "$bin" ]; then
  cd "$(dirname "$0")/.."
  cargo build --release -q -p prodoc-cli
  bin=$PWD/target/release/prodoc
fi
[ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# timings FILE... -- CMD...: for each FILE, the wall time of the whole process `CMD FILE`, the least
# of $runs runs since noise only ever adds time. Each round runs every file in turn, so that a
# change of load on the machine falls on all sizes alike. A file whose run does not exit 0 (a
# crash is fast, not linear) gets "exit N" instead.
timings() {
  python3 - "$runs" "$@" <<'EOF'
import subprocess, sys, time
runs, args = int(sys.argv[1]), sys.argv[2:]
files, cmd = args[: args.index("--")], args[args.index("--") + 1 :]
best, failed = {f: float("inf") for f in files}, {}
for _ in range(runs):
    for f in files:
        start = time.perf_counter()
        run = subprocess.run(cmd + [f], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best[f] = min(best[f], time.perf_counter() - start)
        if run.returncode != 0:
            failed[f] = run.returncode
for f in files:
    print(f"exit {failed[f]}" if f in failed else f"{best[f]:.4f}")
EOF
}

failed=0
# scale NAME EXT N PREFIX UNIT [OPTIONS...]: times `convert OPTIONS` on PREFIX then UNIT repeated,
# at N, 2N, 4N and 8N bytes, and judges the growth.
scale() {
  local name=$1 ext=$2 size=$3 prefix=$4 unit=$5
  shift 5
  # Round the count up so that 8N is never below 8 x the N asked for.
  local reps=$(((size + ${#unit} - 1) / ${#unit}))
  local label="'$unit'" files=() secs=() prev='' max=0 verdict='' i bytes factor
  [ -z "$prefix" ] || label="'$prefix' + $label"
  printf '\n== %s: %s x %d, x%d, x%d, x%d\n' \
    "$name" "$label" "$reps" $((2 * reps)) $((4 * reps)) $((8 * reps))
  for i in 1 2 4 8; do
    files+=("$tmp/$i.$ext")
    python3 -c 'import sys; sys.stdout.write(sys.argv[1] + sys.argv[2] * int(sys.argv[3]))' \
      "$prefix" "$unit" $((i * reps)) >"$tmp/$i.$ext"
  done
  mapfile -t secs < <(timings "${files[@]}" -- "$bin" convert "$@")
  printf '%10s %9s %7s\n' bytes seconds factor
  for i in 0 1 2 3; do
    bytes=$(wc -c <"${files[i]}")
    if [[ ${secs[i]} == exit* ]]; then
      printf '%10d %9s\n' "$bytes" "${secs[i]}"
      verdict="FAIL  $name (${secs[i]} at $bytes bytes)"
      prev=''
      continue
    fi
    factor=${prev:+$(awk -v a="${secs[i]}" -v b="$prev" 'BEGIN { printf "%.2f", a / b }')}
    printf '%10d %9s %7s\n' "$bytes" "${secs[i]}" "${factor:--}"
    [ -n "$factor" ] && max=$(awk -v a="$factor" -v b="$max" 'BEGIN { print (a > b ? a : b) }')
    prev=${secs[i]}
  done
  rm -f "${files[@]}"
  if [ -z "$verdict" ]; then
    verdict="PASS  $name (largest factor $max, limit 2.5)"
    awk -v m="$max" 'BEGIN { exit !(m > 2.5) }' && verdict="FAIL${verdict#PASS}"
  fi
  echo "$verdict"
  [[ $verdict == PASS* ]] || failed=1
}

echo "prodoc convert, best of $runs run(s) per size, binary $bin"
# Each N makes the smallest size take about 0.1 s or more on a 2-core machine, so that start-up
# and scheduling noise (a few ms) cannot pass for growth; 8N is 8-64 MiB.
# Mentions, well formed or never closed (a reader that looks ahead for the `]` at every `@[`
# is quadratic), then one diagnostic per link on a single line, each with a column from the
# line index (counting from the line start each time is quadratic).
scale 'Markdown mentions' md $mib '' '@[u:1:x] '
scale 'Markdown unclosed mentions' md $mib '' '@[a '
scale 'HTML unclosed mentions' html $((8 * mib)) '<p>' '@[a '
scale 'Markdown unsafe links on one line (line/column)' md $((2 * mib)) '' '[x](javascript:a) ' -q
exit "$failed"
