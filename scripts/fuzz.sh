#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang, ASan and UBSan in
# build/fuzz, then runs each for SECONDS (default 45), two at a time, from
# seed corpora gathered from plans/ and tests/ plus the committed seeds in
# fuzz/corpus/<target>/ and the findings in fuzz/regressions/<target>/.
# On a finding it prints the reproducer's path (under build/fuzz/artifacts/)
# and its bytes in base64, and exits 1. See fuzz/README.md.
#
#   scripts/fuzz.sh [SECONDS]          # every target
#   TARGETS="fuzz_csv" scripts/fuzz.sh 600
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-45}
targets=${TARGETS:-"fuzz_plan fuzz_vm fuzz_csv fuzz_json fuzz_decimal"}
build=build/fuzz
jobs=${JOBS:-2}
started=$(date +%s)

echo "== configure $build (clang, libFuzzer, ASan + UBSan)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" \
  -DCMAKE_CXX_COMPILER=clang++ -DTALLY_FUZZ=ON -DTALLY_BUILD_BENCH=OFF >/dev/null
echo "== build: $targets"
# shellcheck disable=SC2086
cmake --build "$build" -j "$jobs" --target $targets
echo "== built in $(($(date +%s) - started)) s"

# Seeds: libFuzzer reads every folder given after the first, and writes what
# it finds new into the first (build/fuzz/corpus/<target>, kept between runs).
seeds=$build/seeds
rm -rf "$seeds" && mkdir -p "$seeds"/{plans,csv,json}
find plans tests -name '*.tally' -size -64k | while read -r f; do
  cp "$f" "$seeds/plans/$(echo "$f" | tr '/' '_')"
done
# The CSV and JSON targets read their first byte as the schema variant (0:
# the plain one); the rest is the file.
find plans/data tests -name '*.csv' -size -32k | while read -r f; do
  { printf '\000'; cat "$f"; } >"$seeds/csv/$(echo "$f" | tr '/' '_')"
done
find plans/data tests -name '*.json' -size -32k | while read -r f; do
  { printf '\000'; cat "$f"; } >"$seeds/json/$(echo "$f" | tr '/' '_')"
done

seed_dirs() {
  local target=$1
  # Only folders that exist: libFuzzer stops at a missing one, and git keeps
  # no empty folder (a target without findings has no regressions/ folder).
  local dir
  for dir in "fuzz/corpus/$target" "fuzz/regressions/$target"; do
    [ -d "$dir" ] && echo "$dir"
  done
  case $target in
    fuzz_plan) echo "$seeds/plans" ;;
    fuzz_csv) echo "$seeds/csv" ;;
    fuzz_json) echo "$seeds/json" ;;
  esac
}

max_len() {
  case $1 in
    fuzz_plan) echo 16384 ;;
    fuzz_csv | fuzz_json) echo 8192 ;;
    fuzz_vm) echo 1024 ;;
    *) echo 512 ;;
  esac
}

artifacts=$build/artifacts
logs=$build/logs
mkdir -p "$artifacts" "$logs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_target() {
  local target=$1
  mkdir -p "$build/corpus/$target"
  rm -f "$artifacts/$target"-*  # a finding of an earlier run is not this run's
  # shellcheck disable=SC2046
  "$build/fuzz/$target" "$build/corpus/$target" $(seed_dirs "$target") \
    -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/$target-" -print_final_stats=1 >"$logs/$target.log" 2>&1
}

echo "== fuzz each target for $seconds s, $jobs at a time"
failed=()
set -- $targets
while [ $# -gt 0 ]; do
  pids=() names=()
  for _ in $(seq "$jobs"); do
    [ $# -gt 0 ] || break
    run_target "$1" &
    pids+=($!) names+=("$1")
    shift
  done
  for i in "${!pids[@]}"; do
    if wait "${pids[$i]}"; then
      runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/${names[$i]}.log" | grep -o '[0-9]*$' || true)
      echo "   ${names[$i]}: clean (${runs:-?} runs)"
    else
      echo "   ${names[$i]}: FAILED (log: $logs/${names[$i]}.log)"
      failed+=("${names[$i]}")
    fi
  done
done

echo "== done in $(($(date +%s) - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
  for target in "${failed[@]}"; do
    echo "== $target"
    grep -E 'ERROR|runtime error|invariant broken|Test unit written' "$logs/$target.log" | head -20 || true
    for artifact in "$artifacts/$target"-*; do
      [ -f "$artifact" ] || continue
      echo "reproducer: $artifact ($(wc -c <"$artifact") bytes), base64:"
      base64 -w 76 "$artifact"
      echo "replay: $build/fuzz/$target $artifact; keep it: copy it to fuzz/regressions/$target/"
    done
  done
  exit 1
fi
