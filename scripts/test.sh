#!/usr/bin/env bash
# Installs what is needed, then builds and runs every test: the release
# build (and the installed package built against from outside), the
# sanitizer build (ASan + UBSan), the ThreadSanitizer check, and the
# fuzzers for a bounded time (TALLY_FUZZ_SECONDS per target, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
jobs=$(nproc)
started=$(date +%s)
elapsed() { echo "== $1 done at $(($(date +%s) - started)) s"; }

for preset in release asan; do
  echo "== $preset: build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "== $preset: test"
  ctest --preset "$preset" -j "$jobs"
  if [ "$preset" = release ]; then
    scripts/check-install.sh build/release
  fi
  elapsed "$preset"
done

scripts/tsan.sh
elapsed tsan
scripts/fuzz.sh "${TALLY_FUZZ_SECONDS:-20}"
elapsed fuzz
