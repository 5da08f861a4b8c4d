#!/usr/bin/env bash
# Installs what is needed, then builds and runs every test: the release
# build (and the installed package built against from outside), the
# sanitizer build (ASan + UBSan), the ThreadSanitizer check, and the
# fuzzers for a bounded time (TALLY_FUZZ_SECONDS per target, default 10).
# CI must stay under 30 minutes: the release build leaves out the
# micro-benchmarks (build them with `cmake --preset release`), and the ASan
# test preset leaves out the checks of text that run the same in release
# (formatting, the docs' examples, plans.check).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
jobs=$(nproc)
started=$(date +%s)
elapsed() { echo "== $1 done at $(($(date +%s) - started)) s"; }

for preset in release asan; do
  echo "== $preset: build"
  if [ "$preset" = release ]; then
    cmake --preset "$preset" -DTALLY_BUILD_BENCH=OFF >/dev/null
  else
    cmake --preset "$preset" >/dev/null
  fi
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
scripts/fuzz.sh "${TALLY_FUZZ_SECONDS:-10}"
elapsed fuzz
