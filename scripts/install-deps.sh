#!/usr/bin/env bash
# Installs the Debian 12 packages Tally needs to build and test (as root;
# without root it only checks and says what is missing).
set -euo pipefail

packages=(
  g++ cmake ninja-build python3
  tao-pegtl-dev libboost-dev nlohmann-json3-dev catch2 libbenchmark-dev
  libsqlite3-dev libcli11-dev libedit-dev
  pkg-config  # finds libedit (libedit.pc)
  chromium  # headless: tests render the HTML statements and reports
  clang libclang-rt-14-dev llvm-14  # libFuzzer targets (scripts/fuzz.sh) and their symbolizer
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
