#!/usr/bin/env bash
# What CI runs for wasm/: installs what the tests need, builds the npm package, runs the Node
# and browser tests. Called from the repository's .ci/run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v wasm-opt >/dev/null || missing+=(binaryen)
if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update
    apt-get install -y "${missing[@]}"
fi

npm ci --no-audit --no-fund
./build.sh
node --test test/node.test.mjs test/browser.test.mjs test/types.test.mjs
