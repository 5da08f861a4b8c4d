#!/usr/bin/env python3
"""Conformance runner: every directory under CONFORMANCE_DIR that holds a
`plan.tally` is one case. The case is run with

    TALLY run plan.tally --data CASE/data --out TMP [args from CASE/args]

and judged by its `expected/` folder:
- `expected/*.csv`: each file must exist in TMP with the same header line and
  the same rows, compared as sorted lists of rows (order does not matter,
  duplicates do; amounts are compared as text, exactly);
- `expected/error.txt`: the run must exit with code 1, every non-empty line of
  error.txt must occur in stdout+stderr, and no output file may be written.

Failures are printed with a diff; the last line is `N passed, M failed`.

    run_conformance.py TALLY CONFORMANCE_DIR [--jobs N] [--filter TEXT]
"""
import argparse
import concurrent.futures
import difflib
import os
import shlex
import subprocess
import sys
import tempfile

TIMEOUT_SECONDS = 120


def find_cases(root):
    cases = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        if "plan.tally" in files:
            cases.append(folder)
            dirs.clear()  # a case's own data/expected folders are not cases
    return sorted(cases)


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def compare_table(name, want_path, got_path):
    """Returns the failure text for one expected table, or None if it matches."""
    want = read_lines(want_path)
    if not os.path.exists(got_path):
        return f"{name}: expected the run to write it, but it did not\n"
    got = read_lines(got_path)
    if not want:
        return f"{name}: the expected file is empty (it needs at least its header)\n"
    problems = []
    if not got or got[0] != want[0]:
        problems.append(f"{name}: header differs\n  expected: {want[0]}\n  actual:   "
                        f"{got[0] if got else '(empty file)'}\n")
    want_rows = sorted(want[1:])
    got_rows = sorted(got[1:]) if got else []
    if want_rows != got_rows:
        diff = difflib.unified_diff(want_rows, got_rows, f"expected/{name}", f"tally/{name}",
                                    n=0, lineterm="")
        problems.append(f"{name}: rows differ (sorted)\n" + "\n".join(diff) + "\n")
    return "".join(problems) or None


def written_files(out):
    if not os.path.exists(out):
        return []
    found = []
    for folder, _, files in os.walk(out):
        found.extend(os.path.relpath(os.path.join(folder, f), out) for f in files)
    return sorted(found)


def run_case(tally, case):
    """Returns (case, failure text or None)."""
    expected = os.path.join(case, "expected")
    args = []
    args_path = os.path.join(case, "args")
    if os.path.exists(args_path):
        with open(args_path, encoding="utf-8") as f:
            args = shlex.split(f.read())
    error_path = os.path.join(expected, "error.txt")
    tables = sorted(n for n in os.listdir(expected) if n.endswith(".csv")) \
        if os.path.isdir(expected) else []
    if not os.path.exists(error_path) and not tables:
        return case, "no expected/error.txt and no expected/*.csv\n"
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        command = [tally, "run", os.path.join(case, "plan.tally"), "--data",
                   os.path.join(case, "data"), "--out", out, *args]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            return case, f"tally run did not finish within {TIMEOUT_SECONDS} s\n"
        output = run.stdout + run.stderr
        if os.path.exists(error_path):
            problems = []
            if run.returncode != 1:
                problems.append(f"expected exit code 1, got {run.returncode}\n")
            for line in read_lines(error_path):
                if line.strip() and line not in output:
                    problems.append(f"the output lacks: {line}\n")
            leftovers = written_files(out)
            if leftovers:
                problems.append("the failed run wrote: " + ", ".join(leftovers) + "\n")
            if problems:
                return case, "".join(problems) + f"--- tally output ---\n{output}"
            return case, None
        if run.returncode != 0:
            return case, f"tally run exited with code {run.returncode}\n{output}"
        problems = [compare_table(n, os.path.join(expected, n), os.path.join(out, n))
                    for n in tables]
        problems = [p for p in problems if p]
        return case, ("".join(problems) if problems else None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tally")
    parser.add_argument("root")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--filter", default="", help="run only cases whose path contains this")
    options = parser.parse_args()
    cases = [c for c in find_cases(options.root) if options.filter in c]
    if not cases:
        print(f"no case (a folder with plan.tally) under {options.root}")
        return 1
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        for case, failure in pool.map(lambda c: run_case(options.tally, c), cases):
            name = os.path.relpath(case, options.root)
            if failure:
                failed += 1
                print(f"FAIL {name}\n{failure}")
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
