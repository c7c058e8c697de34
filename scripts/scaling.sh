#!/usr/bin/env bash
# Shows that `prodoc convert` takes linear time and bounded memory on hostile inputs: each is one
# unit repeated, converted at N, 2N, 4N and 8N bytes; every doubling of the input may at most
# multiply the time by 2.5 (2 plus room for noise), and the peak RSS at 8N may be at most 40 times
# the input (8 times for prose). Exit status 1 if any input fails.
#
# Usage: scripts/scaling.sh [--quick] [--bin PATH] [--only TEXT]
#   --quick      one run per size instead of the best of 3 (and no extra rounds)
#   --bin PATH   time this prodoc binary (or set PRODOC=PATH) instead of building one
#   --only TEXT  run only the families whose name contains TEXT
set -euo pipefail

runs=3
# The most a doubling of the input may multiply the time by: 2, and room for noise.
growth_limit=2.5
# More rounds for a family whose times grow past the limit (see timings).
extra=4
only=''
bin=${PRODOC:-}
mib=$((1024 * 1024))
while [ $# -gt 0 ]; do
  case $1 in
    --quick) runs=1 extra=0 ;;
    --bin) bin=${2:?--bin needs a path}; shift ;;
    --only) only=${2:?--only needs a text}; shift ;;
    -h | --help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "$bin" ]; then
  cd "$root"
  cargo build --release -q -p prodoc-cli
  bin=$PWD/target/release/prodoc
fi
# pulldown-cmark alone, for the Markdown families: its peak memory is printed beside the
# conversion's, as the share no change of prodoc's can remove. Left out if it does not build.
parser=''
if (cd "$root" && cargo build --release -q -p prodoc-markdown --example parse_only) 2>/dev/null; then
  parser=$root/target/release/examples/parse_only
fi
[ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# timings FILE... -- CMD...: for each FILE, the wall time of the whole process `CMD FILE`, the least
# of $runs runs since noise only ever adds time, and its peak resident memory in KiB (getrusage of
# the child, the most of the runs). Each round runs every file in turn, so that a change of load on
# the machine falls on all sizes alike. While the least times of two sizes in a row differ by more
# than the limit, up to $extra more rounds are run: a burst of load on a shared machine can slow
# every run of one size, and only more runs tell it from growth (growth that is really quadratic
# stays past the limit however often it is run). A file whose run does not exit 0 (a crash is
# fast, not linear) gets "exit N" instead.
timings() {
  python3 - "$runs" "$extra" "$growth_limit" "$@" <<'EOF'
import os, subprocess, sys, time
runs, extra, limit, args = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
files, cmd = args[: args.index("--")], args[args.index("--") + 1 :]
best, rss, failed = {f: float("inf") for f in files}, {f: 0 for f in files}, {}
def too_steep():
    times = [best[f] for f in files]
    return any(b > limit * a for a, b in zip(times, times[1:]))
rounds = 0
while rounds < runs or (rounds < runs + extra and not failed and too_steep()):
    rounds += 1
    for f in files:
        start = time.perf_counter()
        child = subprocess.Popen(cmd + [f], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        best[f] = min(best[f], time.perf_counter() - start)
        rss[f] = max(rss[f], usage.ru_maxrss)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            failed[f] = code
for f in files:
    print(f"exit {failed[f]}" if f in failed else f"{best[f]:.4f} {rss[f]}")
EOF
}

failed=0
# The most peak RSS a family may take at 8N, as a multiple of its input (the issue's targets: 8
# for prose, 40 for any input). `rss_limit=8 scale …` sets it for one family.
rss_limit=40
# scale NAME EXT N PREFIX UNIT SUFFIX [OPTIONS...]: times `convert OPTIONS` on PREFIX, UNIT
# repeated, then SUFFIX, at N, 2N, 4N and 8N bytes, and judges the growth of time and the peak
# memory. `{i}` in UNIT becomes the repetition's number (distinct attribute names).
scale() {
  local name=$1 ext=$2 size=$3 prefix=$4 unit=$5 suffix=$6
  shift 6
  [[ -z $only || $name == *"$only"* ]] || return 0
  # Round the count up so that 8N is never below 8 x the N asked for.
  local reps=$(((size + ${#unit} - 1) / ${#unit}))
  local label="'$unit'" files=() results=() prev='' max=0 verdict='' i bytes factor secs kib ratio
  [ -z "$prefix" ] || label="'$prefix' + $label"
  [ -z "$suffix" ] || label="$label + '$suffix'"
  # A long prefix (the 10,000-column header) would fill the screen: show its start.
  [ ${#label} -le 100 ] || label="${label:0:100}…"
  printf '\n== %s: %s x %d, x%d, x%d, x%d; convert %s\n' \
    "$name" "$label" "$reps" $((2 * reps)) $((4 * reps)) $((8 * reps)) "$*"
  for i in 1 2 4 8; do
    files+=("$tmp/$i.$ext")
    python3 -c '
import sys
prefix, unit, suffix, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
out = sys.stdout
out.write(prefix)
if "{i}" in unit:
    for k in range(count):
        out.write(unit.replace("{i}", str(k)))
else:
    out.write(unit * count)
out.write(suffix)' "$prefix" "$unit" "$suffix" $((i * reps)) >"$tmp/$i.$ext"
  done
  # The size limit is not what is measured here: 8N may be past its default.
  mapfile -t results < <(timings "${files[@]}" -- "$bin" convert --max-input-size 1G "$@")
  printf '%10s %9s %7s %9s %7s\n' bytes seconds factor 'RSS MiB' 'RSS/in'
  for i in 0 1 2 3; do
    bytes=$(wc -c <"${files[i]}")
    if [[ ${results[i]} == exit* ]]; then
      printf '%10d %9s\n' "$bytes" "${results[i]}"
      verdict="FAIL  $name (${results[i]} at $bytes bytes)"
      prev=''
      continue
    fi
    read -r secs kib <<<"${results[i]}"
    ratio=$(awk -v k="$kib" -v b="$bytes" 'BEGIN { printf "%.1f", k * 1024 / b }')
    factor=${prev:+$(awk -v a="$secs" -v b="$prev" 'BEGIN { printf "%.2f", a / b }')}
    printf '%10d %9s %7s %9.1f %7s\n' "$bytes" "$secs" "${factor:--}" \
      "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')" "$ratio"
    [ -n "$factor" ] && max=$(awk -v a="$factor" -v b="$max" 'BEGIN { print (a > b ? a : b) }')
    prev=$secs
  done
  parser_share "$ext" "${files[3]}" "$@"
  rm -f "${files[@]}"
  if [ -z "$verdict" ]; then
    verdict="PASS  $name (largest factor $max, limit $growth_limit; RSS at 8N ${ratio}x the input, limit ${rss_limit}x)"
    if awk -v m="$max" -v g="$growth_limit" -v r="$ratio" -v l="$rss_limit" 'BEGIN { exit !(m > g || r > l) }'; then
      verdict="FAIL${verdict#PASS}"
    fi
  fi
  echo "$verdict"
  [[ $verdict == PASS* ]] || failed=1
}

# parser_share EXT FILE OPTIONS...: for a family that pulldown-cmark parses (Markdown input, or
# Markdown output, which the writer's read-back check parses) in one piece, the peak RSS of
# pulldown-cmark alone on that Markdown at 8N, against the input. Markdown with a blank line is
# left out: the reader hands pulldown-cmark such input in windows, so that the whole of it at
# once is not the reader's share; without one it is a single block, which no window can cut.
parser_share() {
  local ext=$1 file=$2 md='' secs kib
  shift 2
  [ -n "$parser" ] || return 0
  if [ "$ext" = md ]; then
    md=$file
  elif [[ " $* " == *" -t md "* ]]; then
    md=$tmp/written.md
    "$bin" convert --max-input-size 1G "$file" -t md -q -o "$md" 2>/dev/null || return 0
  else
    return 0
  fi
  if ! grep -q '^[[:space:]]*$' "$md"; then
    read -r secs kib < <(timings "$md" -- "$parser")
    [[ $secs == exit ]] ||
      printf 'pulldown-cmark alone on the %s Markdown at 8N (one block): %.1f MiB, %sx the input\n' \
        "$([ "$md" = "$file" ] && echo input || echo written)" \
        "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')" \
        "$(awk -v k="$kib" -v b="$(wc -c <"$file")" 'BEGIN { printf "%.1f", k * 1024 / b }')"
  fi
  [ "$md" = "$file" ] || rm -f "$md"
}

echo "prodoc convert, best of $runs run(s) per size, binary $bin"
# Each N makes the smallest size take long enough (some 0.05 s or more on a 2-core machine) that
# start-up and scheduling noise (a few ms) cannot pass for growth, and 8N is at least 4 MiB.
# A `{i}` unit or a multibyte one counts its characters, so its bytes run above the N asked for.
kib=1024
json_text='{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"'
json_end='"}]}]}'
json_doc='{"type":"doc","content":['
json_doc_end='{"type":"paragraph"}]}'

# The agreement layer's: mentions, well formed or never closed (a reader that looks ahead for the
# `]` at every `@[` is quadratic), then one diagnostic per link on a single line, each with a
# column from the line index (counting from the line start each time is quadratic).
scale 'Markdown mentions' md $mib '' '@[u:1:x] ' ''
scale 'Markdown unclosed mentions' md $mib '' '@[a ' ''
scale 'HTML unclosed mentions' html $((8 * mib)) '<p>' '@[a ' ''
scale 'Markdown unsafe links on one line (line/column)' md $((2 * mib)) '' '[x](javascript:a) ' '' -q

# Issue 16: many attributes on one tag (html5ever's duplicate check), in HTML and in Markdown's
# inline HTML; rowspans and colspans reaching the text writer's grid.
scale 'HTML attributes on one tag' html $((4 * mib)) '<p' ' a{i}=1' '>x</p>' -q
scale 'Markdown inline HTML attributes on one tag' md $((4 * mib)) 'x <span' ' a{i}=1' '>y</span>' -q
scale 'HTML rowspans to text' html $((512 * kib)) '<table>' '<tr><td rowspan="65534">x</td></tr>' '</table>' -t text
scale 'HTML colspans to text' html $((512 * kib)) '<table><tr><td>a</td><td>b</td></tr>' '<tr><td colspan="65534">x</td></tr>' '</table>' -t text
# A ragged table: one row of 2,000 cells above many short rows, which the text writer once padded
# to the widest row (and ruled across it), and whose spans once took a slot per covered column.
wide_row="<table><tr>$(printf '<td>h</td>%.0s' $(seq 2000))</tr>"
scale 'HTML ragged table to text' html $((512 * kib)) "$wide_row<tr><td>a<br>b</td></tr>" '<tr><td>c</td></tr>' '</table>' -t text
scale 'HTML ragged spanning table to text' html $((512 * kib)) "$wide_row" '<tr><td colspan="65534">w</td><td>x</td></tr>' '</table>' -t text
scale 'JSON duplicate marks, leniently' json $((2 * mib)) "${json_doc}{\"type\":\"paragraph\",\"content\":[" '{"type":"text","marks":[{"type":"em"},{"type":"em"}],"text":"x"},' '{"type":"text","text":"x"}]}]}' --lenient -q
scale 'JSON text of Markdown syntax to Markdown (read-back check)' json $((512 * kib)) "$json_text" '<&*_[\\' "$json_end" -t md -q
scale 'JSON text of Markdown syntax to HTML' json $((4 * mib)) "$json_text" '<&*_[\\' "$json_end" -t html

# Known linear: kept here so that they stay so.
scale 'Markdown unclosed links' md $((512 * kib)) '' '[x](' ''
scale 'Markdown emphasis runs' md $((512 * kib)) '' '*a_ **b__ ' ''
scale 'Markdown nested quotes' md $((2 * mib)) '' '> ' 'x' -q
scale 'Markdown table of 10,000 columns' md $((512 * kib)) "$(printf '|h%.0s' $(seq 10000))|
$(printf '|-%.0s' $(seq 10000))|
" "$(printf '|c%.0s' $(seq 10000))|
" ''
scale 'HTML many <br>' html $((512 * kib)) '<p>' 'x<br>' '</p>'
scale 'HTML deep nesting' html $((2 * mib)) '' '<div>' 'x' -q
scale 'HTML deep inline nesting' html $((2 * mib)) '' '<b>' 'x' -q
scale 'JSON long string' json $((8 * mib)) "$json_text" 'abcdefgh' "$json_end"
scale 'JSON wide document to Markdown' json $((2 * mib)) "$json_doc" '{"type":"paragraph","content":[{"type":"text","text":"x"}]},' "$json_doc_end" -t md
scale 'JSON wide document to text' json $((2 * mib)) "$json_doc" '{"type":"paragraph","content":[{"type":"text","text":"x"}]},' "$json_doc_end" -t text
scale 'Text list items' txt $((mib)) '' '- item
' ''
scale 'Markdown many guillemets' md $((2 * mib)) '' '‹' ''
rss_limit=8 scale 'Markdown prose' md $mib '' 'Some paragraph text here, with *emphasis* and a [link](https://example.com).

' ''
# JSON is read one top-level block at a time: a whole loose tree of the input took 10.2 times
# the input at its peak (`prodoc validate`, 27 MB of JSON made from Markdown).
rss_limit=8 scale 'JSON prose' json $((4 * mib)) "$json_doc" '{"type":"paragraph","content":[{"type":"text","text":"Some paragraph text here, with "},{"type":"text","marks":[{"type":"em"}],"text":"emphasis"},{"type":"text","text":" and a "},{"type":"text","marks":[{"type":"link","attrs":{"href":"https://example.com"}}],"text":"link"},{"type":"text","text":"."}]},' "$json_doc_end"
rss_limit=8 scale 'HTML prose' html $mib '' '<p>Some paragraph text here, with <em>emphasis</em> and a <a href="https://example.com">link</a>.</p>' ''
exit "$failed"
