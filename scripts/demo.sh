#!/usr/bin/env bash
# Installs what is needed, builds the release preset and runs the demo plan
# over its bundled sample data, writing the outputs to out/demo.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tally_cli
build/release/tally run plans/demo.tally --data plans/data/demo --out out/demo
