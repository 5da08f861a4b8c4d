#!/usr/bin/env bash
# The ThreadSanitizer check (docs/embedding.md, "Threads"): builds only what
# its tests need in the `tsan` preset (build/tsan) and runs them: threads.plan
# (one Plan run from 8 threads at once over different data, 8 Engines at
# once, runs stopped by their limits at once) and, with TALLY_TSAN_FULL=1,
# unit.interpreter too (about 3 more minutes of build and 2.5 of run on 2
# cores, so CI leaves it out). A data race fails the run with the report of
# both accesses.
#
#   scripts/tsan.sh      (TALLY_TSAN_BUILD_DIR: another build folder)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${TALLY_TSAN_BUILD_DIR:-build/tsan}

targets=(test_threads)
tests='^threads\.plan$'
if [ "${TALLY_TSAN_FULL:-0}" = 1 ]; then
  targets+=(test_interpreter)
  tests='^(threads\.plan|unit\.interpreter)$'
fi

echo "== tsan: configure and build ${targets[*]}"
cmake --preset tsan -B "$build" >/dev/null
cmake --build "$build" --target "${targets[@]}" -j "$(nproc)"
echo "== tsan: run"
# halt_on_error: the first race fails the test, with its report.
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
  ctest --test-dir "$build" -R "$tests" --output-on-failure
