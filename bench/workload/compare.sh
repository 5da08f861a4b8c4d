#!/bin/sh
# Tally against the hand-written C++ reference on the reference workload:
#   bench/workload/compare.sh N [RUNS]        e.g. bench/workload/compare.sh 10m 5
# Builds Tally (release preset) and ref.cpp, generates the data if absent,
# runs both alternately and prints medians and the ratios Tally/ref.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:?usage: compare.sh N [RUNS]}
runs=${2:-5}
if [ ! -f "$root/build/release/build.ninja" ]; then
  (cd "$root" && cmake --preset release >/dev/null)
fi
cmake --build "$root/build/release" --target tally_cli >/dev/null
exec python3 "$here/compare.py" "$root/build/release/tally" "$n" --runs "$runs" \
  --bench "$root/../shared/bench"
