#!/usr/bin/env bash
# Gathers real Markdown written by many people: the README, CHANGELOG and other .md files of the
# crates in the local cargo registry (there after any build), into target/markdown-corpus/.
# Each file is kept separate (the bench reads them one by one); nothing is committed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
out="$root/target/markdown-corpus"
rm -rf "$out"
mkdir -p "$out"
count=0
while IFS= read -r -d '' file; do
    count=$((count + 1))
    crate="$(basename "$(dirname "$file")")"
    cp "$file" "$out/$(printf '%04d' "$count")-$crate-$(basename "$file")"
done < <(find "$registry" -name '*.md' -size -2M -print0 | sort -z)
bytes="$(cat "$out"/*.md | wc -c)"
echo "gathered $count files, $bytes bytes into $out"
if [ "$bytes" -lt 1000000 ]; then
    echo "less than 1 MB of Markdown: build more of the workspace first (cargo fetch)" >&2
    exit 1
fi
