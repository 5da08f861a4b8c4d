#!/usr/bin/env python3
"""`tally fmt --check` over every .tally file of plans/ and tests/: the
repository's plans are kept in the formatter's canonical layout.

usage: check_format.py TALLY PROJECT_DIR

Skipped: files under a folder named `unformatted`, and files whose first line
starts with `// fmt: skip` (syntax errors, layouts under test, CRLF files). Prints the
files that are not formatted, then `N formatted, M not formatted, K skipped`;
exits 1 if any file is not formatted or cannot be formatted."""

import concurrent.futures
import os
import subprocess
import sys

SKIP_FOLDER = "unformatted"
SKIP_LINE = "// fmt: skip"


def candidates(project):
    for top in ("plans", "tests"):
        for folder, folders, files in os.walk(os.path.join(project, top)):
            folders.sort()
            for name in sorted(files):
                if name.endswith(".tally"):
                    yield os.path.join(folder, name)


def skipped(path, project):
    parts = os.path.relpath(path, project).split(os.sep)
    if SKIP_FOLDER in parts[:-1]:
        return True
    with open(path, "rb") as f:
        first = f.readline().decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r\n")
    return first.strip().startswith(SKIP_LINE)  # a reason may follow


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    tally, project = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if not os.access(tally, os.X_OK):
        print(f"error: {sys.argv[1]} is not an executable tally program")
        return 2
    counts = {"ok": 0, "bad": 0, "skip": 0}
    to_check = []
    for path in candidates(project):
        if skipped(path, project):
            counts["skip"] += 1
        else:
            to_check.append(path)
    def check(path):
        done = subprocess.run([tally, "fmt", "--check", path], capture_output=True, text=True,
                              timeout=120)
        return path, done

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(check, to_check))
    for path, done in results:
        shown = os.path.relpath(path, project)
        if done.returncode == 0:
            counts["ok"] += 1
            continue
        counts["bad"] += 1
        if done.stdout.strip().endswith("not formatted"):
            print(f"not formatted: {shown} (see `tally fmt {shown}`)")
        else:
            print(f"cannot format: {shown} (exit {done.returncode})")
            for line in done.stderr.splitlines()[:6]:
                print(f"     {line}")
    print(f"{counts['ok']} formatted, {counts['bad']} not formatted, {counts['skip']} skipped")
    return 1 if counts["bad"] else 0


if __name__ == "__main__":
    sys.exit(main())
