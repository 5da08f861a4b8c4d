#!/usr/bin/env python3
"""Runs the language test corpus: every .tally file under this folder (and
the generated ones of generated.py) through `tally check --values`, compared
with the file's inline expectations (README.md describes them).

usage: run_lang_tests.py TALLY [--corpus DIR] [--jobs N] [--filter TEXT] [--verbose]
                          [--run-skipped]

Prints one line per failure (and per skip with --verbose), then
`N passed, M failed, K skipped`; exits 1 on any failure."""

import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import expectations  # noqa: E402
import generated  # noqa: E402

TIMEOUT_SECONDS = 120


def run_one(tally, root, relative, run_skipped=False):
    """Checks one file; returns (relative, status, details) with status
    "pass", "fail" or "skip"."""
    with open(os.path.join(root, relative), "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # files that test bad encodings
    expected = expectations.parse_expectations(text)
    if expected.skip is not None and not run_skipped:
        return relative, "skip", [expected.skip]
    try:
        done = subprocess.run([tally, "check", "--values", relative], cwd=root,
                              capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return relative, "fail", [f"timed out after {TIMEOUT_SECONDS} s"]
    stdout = done.stdout.decode("utf-8", "replace")
    stderr = done.stderr.decode("utf-8", "replace")
    diagnostics, unrecognised = expectations.parse_diagnostics(stderr, relative)
    values = expectations.parse_values(stdout)
    failures = expectations.compare(expected, diagnostics, unrecognised, values, done.returncode)
    return relative, "fail" if failures else "pass", failures


def corpus_files(root):
    found = []
    for folder, _, files in os.walk(root):
        for name in files:
            if name.endswith(".tally"):
                found.append(os.path.relpath(os.path.join(folder, name), root))
    return sorted(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tally", help="the tally program")
    parser.add_argument("--corpus", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--jobs", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--filter", default="", help="only files whose path contains this")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--run-skipped", action="store_true",
                        help="also run the files marked `// skip:`, to see which pass now")
    args = parser.parse_args()
    tally = os.path.abspath(args.tally)
    if not os.access(tally, os.X_OK):
        print(f"error: {args.tally} is not an executable tally program")
        return 2

    with tempfile.TemporaryDirectory(prefix="tally-lang-") as scratch:
        jobs = [(args.corpus, f) for f in corpus_files(args.corpus)]
        for relative, text in generated.all_generated():
            path = os.path.join(scratch, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            jobs.append((scratch, relative))
        jobs = [(root, f) for root, f in jobs if args.filter in f]

        counts = {"pass": 0, "fail": 0, "skip": 0}
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(lambda job: run_one(tally, *job, args.run_skipped), jobs))
    for relative, status, details in results:
        counts[status] += 1
        if status == "fail":
            print(f"FAIL {relative}")
            for line in details:
                print(f"     {line}")
        elif status == "skip" and args.verbose:
            print(f"skip {relative}: {details[0]}")
        elif args.verbose:
            print(f"ok   {relative}")
    print(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    return 1 if counts["fail"] or not results else 0


if __name__ == "__main__":
    sys.exit(main())
