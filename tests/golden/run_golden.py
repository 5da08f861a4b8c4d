#!/usr/bin/env python3
"""Golden test: run a plan over its data with the `tally` program and compare
each expected table (payouts.csv, measures.csv, ...) in EXPECTED_DIR with the
one Tally wrote, byte for byte; print a diff and fail on any difference.

    run_golden.py TALLY PLAN DATA_DIR EXPECTED_DIR [extra tally args...]
"""
import difflib
import os
import subprocess
import sys
import tempfile


def main():
    tally, plan, data, expected_dir, *extra = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        run = subprocess.run([tally, "run", plan, "--data", data, "--out", out, *extra],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(f"tally run failed with exit code {run.returncode}\n{run.stdout}\n{run.stderr}")
            return 1
        failures = 0
        compared = 0
        for name in sorted(os.listdir(expected_dir)):
            if not name.endswith(".csv"):
                continue
            compared += 1
            want = open(os.path.join(expected_dir, name), encoding="utf-8").read().splitlines(keepends=True)
            path = os.path.join(out, name)
            got = open(path, encoding="utf-8").read().splitlines(keepends=True) if os.path.exists(path) else []
            if want != got:
                failures += 1
                print(f"{name}: differs from the golden file")
                sys.stdout.writelines(difflib.unified_diff(want, got, f"expected/{name}", f"tally/{name}", n=1))
        if compared == 0:
            print(f"no expected .csv file in {expected_dir}")
            return 1
        print(f"{compared - failures} passed, {failures} failed")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
