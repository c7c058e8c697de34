#!/usr/bin/env bash
# Builds the npm package `prodoc-wasm` into wasm/pkg/:
#   pkg/web/   ES module for browsers and bundlers (wasm-bindgen --target web; call `await init()`)
#   pkg/node/  CommonJS for Node (wasm-bindgen --target nodejs; loads synchronously, no init)
#   pkg/package.json with `exports` choosing between them, pkg/README.md.
# Needs: rustup, cargo; installs the wasm32 target and the matching wasm-bindgen CLI when missing.
# Uses wasm-opt (Debian's `binaryen`) when it is on PATH.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

rustup target add wasm32-unknown-unknown

# The CLI must be the exact version of the wasm-bindgen crate in Cargo.lock: the two share an
# unstable format inside the .wasm.
version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$version" ]; then
    echo "wasm-bindgen is not in Cargo.lock" >&2
    exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $version" ]; then
    echo "installing wasm-bindgen-cli $version (several minutes)" >&2
    # --locked first, as the CLI was tested with its lock file; should a crate in that lock file
    # have been yanked since, resolve afresh within the same CLI version.
    cargo install wasm-bindgen-cli --version "$version" --locked ||
        cargo install wasm-bindgen-cli --version "$version"
fi

cargo build -p prodoc-wasm --target wasm32-unknown-unknown --profile wasm-release
wasm="$root/target/wasm32-unknown-unknown/wasm-release/prodoc_wasm.wasm"

if command -v wasm-opt >/dev/null; then
    # Before wasm-bindgen, not after: binaryen 108 breaks the externref table that wasm-bindgen
    # adds ("Table.set(): Argument 1 is invalid" at load). rustc's wasm32 output uses these
    # post-MVP features, which binaryen 108 needs named.
    wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types "$wasm" -o "${wasm%.wasm}.opt.wasm"
    wasm="${wasm%.wasm}.opt.wasm"
else
    echo "wasm-opt not found (apt-get install binaryen): the .wasm is left as rustc made it" >&2
fi

pkg="$here/pkg"
rm -rf "$pkg"
mkdir -p "$pkg"
wasm-bindgen --target web --out-name prodoc_wasm --out-dir "$pkg/web" "$wasm"
wasm-bindgen --target nodejs --out-name prodoc_wasm --out-dir "$pkg/node" "$wasm"

# The package is "type": "module" for the web build; the Node build is CommonJS.
echo '{ "type": "commonjs" }' >"$pkg/node/package.json"
crate_version="$(awk -F'"' '/^version = / { print $2; exit }' "$root/Cargo.toml")"
cat >"$pkg/package.json" <<EOF
{
  "name": "prodoc-wasm",
  "version": "$crate_version",
  "description": "Productive documents in JavaScript: Markdown, HTML and plain text to and from the format's JSON, validation, JSON Schema (WebAssembly).",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "files": ["web", "node", "README.md"],
  "main": "./node/prodoc_wasm.js",
  "module": "./web/prodoc_wasm.js",
  "types": "./web/prodoc_wasm.d.ts",
  "exports": {
    ".": {
      "node": {
        "types": "./node/prodoc_wasm.d.ts",
        "default": "./node/prodoc_wasm.js"
      },
      "default": {
        "types": "./web/prodoc_wasm.d.ts",
        "default": "./web/prodoc_wasm.js"
      }
    },
    "./web": {
      "types": "./web/prodoc_wasm.d.ts",
      "default": "./web/prodoc_wasm.js"
    },
    "./node": {
      "types": "./node/prodoc_wasm.d.ts",
      "default": "./node/prodoc_wasm.js"
    },
    "./web/prodoc_wasm_bg.wasm": "./web/prodoc_wasm_bg.wasm"
  },
  "sideEffects": ["./web/prodoc_wasm.js"]
}
EOF
cp "$here/README.md" "$pkg/README.md"

for out in "$pkg/web/prodoc_wasm_bg.wasm" "$pkg/node/prodoc_wasm_bg.wasm"; do
    echo "$(basename "$(dirname "$out")"): $(wc -c <"$out") bytes, $(gzip -9c "$out" | wc -c) gzipped"
done
