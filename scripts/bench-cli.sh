#!/usr/bin/env bash
# Converting 1,000 Markdown files: one `prodoc convert` call over the folder (parallel) against one
# call per file, same machine, same build. Prints both wall times.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p prodoc-cli
bin=target/release/prodoc
work=target/bench-cli
rm -rf "$work" && mkdir -p "$work/in" "$work/out-batch" "$work/out-single"
[ -d target/markdown-corpus ] || bash crates/prodoc-markdown/benches/gather-corpus.sh >/dev/null
mapfile -t sources < <(find target/markdown-corpus -name '*.md' | sort)
for i in $(seq 0 999); do
  cp "${sources[$((i % ${#sources[@]}))]}" "$work/in/file-$i.md"
done
bytes=$(cat "$work"/in/*.md | wc -c)
echo "1000 files, $bytes bytes"
start=$(date +%s.%N)
"$bin" convert "$work/in" --out-dir "$work/out-batch" -t json --quiet || true
mid=$(date +%s.%N)
for f in "$work"/in/*.md; do
  "$bin" convert "$f" -o "$work/out-single/$(basename "${f%.md}").json" --quiet || true
done
end=$(date +%s.%N)
python3 -c "print(f'one call: {$mid-$start:.2f} s; one call per file: {$end-$mid:.2f} s')"
cmp -s <(cd "$work/out-batch" && cat $(ls | sort)) <(cd "$work/out-single" && cat $(ls | sort)) \
  && echo "outputs identical" || echo "outputs differ"
