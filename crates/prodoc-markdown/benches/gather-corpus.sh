#!/usr/bin/env bash
# Gathers real Markdown written by many people: the README, CHANGELOG and other .md files of the
# exact crate versions in the workspace's Cargo.lock (fetched with `cargo fetch --locked`, so
# that any machine gathers the same files), into target/markdown-corpus/. Each file is kept
# separate (the bench reads them one by one); nothing is committed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
cargo fetch --locked -q
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
out="$root/target/markdown-corpus"
rm -rf "$out"
mkdir -p "$out"
count=0
# Each registry package of the lock file, as name-version, in the lock file's (sorted) order.
while read -r package; do
    dir="$(find "$registry" -mindepth 2 -maxdepth 2 -type d -name "$package" -print -quit)"
    [ -n "$dir" ] || { echo "not fetched: $package" >&2; exit 1; }
    while IFS= read -r -d '' file; do
        count=$((count + 1))
        name="${file#"$dir"/}"
        cp "$file" "$out/$(printf '%04d' "$count")-$package-${name//\//_}"
    done < <(find "$dir" -name '*.md' -size -2M -print0 | sort -z)
done < <(awk '
    /^\[\[package\]\]/ { name = ""; version = "" }
    /^name = /    { gsub(/"/, "", $3); name = $3 }
    /^version = / { gsub(/"/, "", $3); version = $3 }
    /^source = "registry/ { print name "-" version }
' Cargo.lock)
bytes="$(cat "$out"/*.md | wc -c)"
echo "gathered $count files, $bytes bytes from the crates of Cargo.lock into $out"
if [ "$bytes" -lt 1000000 ]; then
    echo "less than 1 MB of Markdown" >&2
    exit 1
fi
