#!/usr/bin/env python3
"""Checks that a committed golden folder is exactly what its independent
oracle script computes, so the golden files cannot drift from the oracle.

    check_oracle.py ORACLE_SCRIPT DATA_DIR GOLDEN_DIR
"""
import filecmp
import os
import subprocess
import sys
import tempfile


def main():
    oracle, data, golden = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, oracle, data, tmp], check=True)
        bad = [n for n in sorted(os.listdir(tmp))
               if not filecmp.cmp(os.path.join(tmp, n), os.path.join(golden, n), shallow=False)]
        for name in bad:
            print(f"{name}: the oracle computes something else than {golden}/{name}")
        print(f"{len(os.listdir(tmp)) - len(bad)} passed, {len(bad)} failed")
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
