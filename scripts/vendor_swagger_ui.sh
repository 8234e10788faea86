#!/usr/bin/env bash
# Refresh the vendored Swagger UI (booking_sandbox/control/apidocs/) from the npm package
# swagger-ui-dist, so the API documentation pages work offline.
#
#   scripts/vendor_swagger_ui.sh 5.36.0
#
# Swagger UI 5 because our documents are OpenAPI 3.1 (4.x cannot render them). Only the
# files the pages load, plus the licences: no source maps (the CSS's pointer to its map is
# cut, so browser tools do not ask the sandbox for a file it does not have).
set -euo pipefail

version="${1:?usage: $0 <swagger-ui-dist version, e.g. 5.36.0>}"
here="$(cd "$(dirname "$0")/.." && pwd)"
target="$here/booking_sandbox/control/apidocs"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# `npm pack` downloads the published tarball only: no install, no install scripts.
(cd "$work" && npm pack --silent "swagger-ui-dist@$version" >/dev/null)
tar -xzf "$work"/swagger-ui-dist-*.tgz -C "$work"
package="$work/package"
got="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$package/package.json" | head -n 1)"
integrity="$(cd "$work" && npm view "swagger-ui-dist@$version" dist.integrity)"

mkdir -p "$target"
cp "$package/swagger-ui-bundle.js" "$target/swagger-ui-bundle.js"
# The bundle's first line points here for the licences of the libraries inside it.
cp "$package/swagger-ui-bundle.js.LICENSE.txt" "$target/swagger-ui-bundle.js.LICENSE.txt"
sed '/sourceMappingURL=/d' "$package/swagger-ui.css" >"$target/swagger-ui.css"
cp "$package/LICENSE" "$target/LICENSE"
if [ -f "$package/NOTICE" ]; then cp "$package/NOTICE" "$target/NOTICE"; fi
if grep -q 'sourceMappingURL=' "$target/swagger-ui-bundle.js" "$target/swagger-ui.css"; then
  echo "a vendored file still points at a source map" >&2
  exit 1
fi

cat >"$target/VERSION" <<TEXT
swagger-ui-dist $got (Apache-2.0), from the npm registry: npm pack swagger-ui-dist@$got
integrity $integrity
files: swagger-ui-bundle.js, swagger-ui-bundle.js.LICENSE.txt, swagger-ui.css (its
sourceMappingURL line removed), LICENSE, NOTICE; refreshed by scripts/vendor_swagger_ui.sh
TEXT
echo "vendored swagger-ui-dist $got into ${target#"$here"/}"
ls -l "$target"
