#!/usr/bin/env bash
# Regenerates requirements.lock: pyproject's runtime dependencies (no extras) resolved for the
# image (Linux, CPython 3.11, x86_64 and aarch64), every version pinned with the sha256 of each
# of its files, so `pip install --require-hashes --no-deps -r requirements.lock` gets the same
# bytes on every build. Run it after changing [project] dependencies;
# tests/test_lock.py fails until the lock agrees with them.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9  # uv: it resolves for a target platform and Python, not for this machine
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/tools"
"$work/tools/bin/pip" install --isolated -q --disable-pip-version-check "uv==$UV_VERSION"

compile() {  # platform output
  "$work/tools/bin/uv" pip compile pyproject.toml --quiet --no-config --generate-hashes \
    --python-version 3.11 --python-platform "$1" \
    --custom-compile-command scripts/lock.sh --output-file "$2"
}
compile x86_64-unknown-linux-gnu "$work/x86_64.lock"
compile aarch64-unknown-linux-gnu "$work/aarch64.lock"
# The image is built for both: one lock serves both only if they resolve alike.
if ! diff -u "$work/x86_64.lock" "$work/aarch64.lock" >&2; then
  echo "lock.sh: x86_64 and aarch64 resolve differently; requirements.lock not written" >&2
  exit 1
fi

# Each pin must have a wheel for each architecture among its hashes, for a glibc up to the
# image's (2.36, Debian 12). pip takes each manylinux level it may use as its own --platform.
for arch in x86_64 aarch64; do
  platforms=()
  for glibc in $(seq 5 36); do platforms+=(--platform "manylinux_2_${glibc}_$arch"); done
  "$work/tools/bin/pip" download --isolated -q --disable-pip-version-check --require-hashes --no-deps --only-binary=:all: \
    "${platforms[@]}" --python-version 3.11 --implementation cp \
    --dest "$work/wheels-$arch" -r "$work/x86_64.lock"
done
mv "$work/x86_64.lock" requirements.lock
echo "requirements.lock: $(grep -c '==' requirements.lock) packages, x86_64 and aarch64 wheels checked"
