#!/usr/bin/env python3
"""Golden test of a plan over a real data set read in place from ../shared/data:
the oracle computes the expected tables into a temporary folder at test time
(so no third-party data, nor anything derived from it, is kept in the
repository), then run_golden.py compares Tally's output with them.

    run_shared_golden.py TALLY PLAN DATA_DIR ORACLE_SCRIPT

Exits with 77 (ctest SKIP_RETURN_CODE) when DATA_DIR does not exist.
"""
import os
import subprocess
import sys
import tempfile

SKIP = 77


def main():
    tally, plan, data, oracle = sys.argv[1:]
    if not os.path.isdir(data):
        print(f"skipped: the shared data set {data} is not here "
              "(the golden test reads ../shared/data in place)")
        return SKIP
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as expected:
        subprocess.run([sys.executable, oracle, data, expected], check=True)
        return subprocess.run([sys.executable, os.path.join(here, "run_golden.py"), tally, plan,
                               data, expected]).returncode


if __name__ == "__main__":
    sys.exit(main())
