#!/usr/bin/env bash
# Checks the installed package the way a host project meets it: installs
# Tally into a temporary prefix, then builds examples/consumer (C++ against
# libtally.so and libtally.a, the C example against both) with CMake's
# find_package(Tally), the C example again with pkg-config and cc, and runs
# all of them, and the Python ctypes example against the installed
# libtally.so, on plans/demo.tally + plans/data/demo. Their totals and
# payouts must be those of tests/golden/demo (an independent oracle).
#
#   scripts/check-install.sh [BUILD_DIR]    default: build/release
#
# Reuses BUILD_DIR when it is configured (CI runs it after the release
# build), else configures the release preset; builds only the installed
# targets. Exits non-zero with a message saying what failed.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build/release}
plan=plans/demo.tally
data=plans/data/demo

fail() {
  echo "check-install: FAILED: $*" >&2
  exit 1
}
step() { echo "== check-install: $*"; }

if [ ! -f "$build/CMakeCache.txt" ]; then
  if [ "$build" = build/release ]; then
    cmake --preset release >/dev/null
  else
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTALLY_BUILD_BENCH=OFF >/dev/null
  fi
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/tally-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

step "build the installed targets in $build"
cmake --build "$build" --target tally_shared tally_static tally_cli -j "$(nproc)" \
  >"$work/build.log" 2>&1 ||
  { tail -n 50 "$work/build.log" >&2; fail "building tally_shared, tally_static and tally_cli in $build"; }
prefix=$work/prefix
step "install into a temporary prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" ||
  { cat "$work/install.log" >&2; fail "cmake --install $build"; }
libdir=$(find "$prefix" -name 'libtally.so.*' -type f -printf '%h\n' | head -n 1)
[ -n "$libdir" ] || fail "no libtally.so.* installed under the prefix"

for file in "$libdir/libtally.so" "$libdir/libtally.so.1" "$libdir/libtally.a" \
  "$prefix/include/tally/tally.h" "$prefix/include/tally/tally.hpp" \
  "$prefix/include/tally/json.hpp" "$libdir/cmake/Tally/TallyConfig.cmake" \
  "$libdir/cmake/Tally/TallyConfigVersion.cmake" "$libdir/cmake/Tally/TallyTargets.cmake" \
  "$libdir/pkgconfig/tally.pc" "$prefix/bin/tally"; do
  [ -e "$file" ] || fail "the install lacks ${file#"$prefix"/}"
done
soname=$(objdump -p "$libdir/libtally.so" | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = libtally.so.1 ] || fail "libtally.so's SONAME is '$soname', expected libtally.so.1"

step "each installed header compiles on its own, with only the prefix's headers"
for header in "$prefix"/include/tally/*.hpp; do
  echo "#include <tally/$(basename "$header")>" |
    c++ -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -I"$prefix/include" -x c++ - ||
    fail "installed header ${header#"$prefix"/} does not compile alone"
done
echo "#include <tally/tally.h>" |
  cc -std=c99 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -I"$prefix/include" -x c - ||
  fail "installed tally.h does not compile as C99"

step "build examples/consumer with find_package(Tally)"
cmake -S examples/consumer -B "$work/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/consumer.log" ||
  { cat "$work/consumer.log" >&2; fail "configuring examples/consumer against the prefix"; }
found=$(sed -n 's/^Tally_DIR:PATH=//p' "$work/consumer/CMakeCache.txt")
[ "$found" = "$libdir/cmake/Tally" ] || fail "find_package(Tally) found '$found', not the prefix"
cmake --build "$work/consumer" >"$work/consumer-build.log" ||
  { cat "$work/consumer-build.log" >&2; fail "building examples/consumer"; }

step "build examples/c/payouts.c with pkg-config and cc"
export PKG_CONFIG_PATH=$libdir/pkgconfig
# shellcheck disable=SC2046  # pkg-config prints several flags
cc -std=c11 -Wall -Wextra -Wpedantic -Werror -o "$work/payouts_c_pkgconfig" examples/c/payouts.c \
  $(pkg-config --cflags --libs tally) -Wl,-rpath,"$libdir" ||
  fail "cc examples/c/payouts.c \$(pkg-config --cflags --libs tally)"
# Static: the archive by name, then what it needs (Libs.private, Requires.private).
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Wpedantic -Werror -o "$work/payouts_c_pkgconfig_static" examples/c/payouts.c \
  $(pkg-config --cflags tally) $(pkg-config --static --libs tally | sed 's/-ltally\b/-l:libtally.a/') ||
  fail "cc examples/c/payouts.c \$(pkg-config --static --libs tally) with libtally.a"

step "run everything on $plan"
expected_total=$(python3 - <<'EOF'
import csv
from decimal import Decimal
rows = list(csv.DictReader(open("tests/golden/demo/payouts.csv")))
print(sum((Decimal(r["amount"]) for r in rows), Decimal(0)))
EOF
)
check_links() {  # program, "shared" or "static"
  local libs
  libs=$(ldd "$1") || fail "ldd $1"
  if [ "$2" = shared ]; then
    grep -q "libtally.so.1 => $libdir/libtally.so.1" <<<"$libs" ||
      fail "$(basename "$1") does not load the installed libtally.so.1: $libs"
  elif grep -q libtally <<<"$libs"; then
    fail "$(basename "$1") is linked statically but loads $(grep libtally <<<"$libs")"
  fi
}
run_program() {  # name, then the command
  local name=$1 out status=0
  shift
  out=$("$@" 2>"$work/$name.err") || status=$?
  if [ "$status" != 0 ]; then
    cat "$work/$name.err" >&2
    fail "$name exited with status $status"
  fi
  grep -q "$expected_total" <<<"$out" ||
    { echo "$out" >&2; fail "$name does not print the demo's total $expected_total"; }
  printf '%s\n' "$out" >"$work/$name.out"
  echo "   $name: ok (total $expected_total)"
}

for variant in payouts_cpp:shared payouts_cpp_static:static payouts_c:shared \
  payouts_c_static:static; do
  name=${variant%%:*}
  program=$work/consumer/$name
  [ -x "$program" ] || fail "examples/consumer did not build $name"
  check_links "$program" "${variant##*:}"
  run_program "$name" "$program" "$plan" "$data"
done
check_links "$work/payouts_c_pkgconfig" shared
run_program payouts_c_pkgconfig "$work/payouts_c_pkgconfig" "$plan" "$data"
check_links "$work/payouts_c_pkgconfig_static" static
run_program payouts_c_pkgconfig_static "$work/payouts_c_pkgconfig_static" "$plan" "$data"
run_program payouts_py python3 examples/python/payouts.py "$plan" "$data" "$libdir/libtally.so.1"

# The C++ example's JSON line has every payout of the oracle, exactly.
python3 - "$work/payouts_cpp.out" <<'EOF' || fail "payouts_cpp's JSON does not match tests/golden/demo/payouts.csv"
import csv, json, sys
line = next(l for l in open(sys.argv[1]) if l.startswith("json "))
result = json.loads(line[len("json "):])
golden = list(csv.reader(open("tests/golden/demo/payouts.csv")))
assert result["ok"] and result["status"] == "ok", result["status"]
assert result["payouts"]["columns"] == golden[0], result["payouts"]["columns"]
assert sorted(result["payouts"]["rows"]) == sorted(golden[1:]), "payout rows differ"
EOF
# The same program on either library prints the same (but for the JSON line's timings).
cmp -s <(grep -v '^json ' "$work/payouts_cpp.out") <(grep -v '^json ' "$work/payouts_cpp_static.out") ||
  fail "payouts_cpp and payouts_cpp_static print different payouts"
step "all passed"
