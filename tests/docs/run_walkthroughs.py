#!/usr/bin/env python3
"""Runs the command-line walkthroughs of the documentation, so that a page
like docs/tutorial.md cannot show a command or an output the program does not
produce (README.md next to this file gives the conventions).

usage: run_walkthroughs.py TALLY PROJECT_DIR [DOC...]

Each Markdown file of docs/ that has a ```console block is a walkthrough. It
runs in a fresh temporary folder where `plans` links to the project's plans/
(read only) and `tally` is the program under test:

- a fenced block whose info string has `file=PATH` (```tally file=acme.tally,
  ```csv file=data/deals.csv) writes its text to PATH, replacing any earlier
  version: the reader builds the same files step by step;
- a ```console block holds commands (`$ tally run ...`), each followed by its
  expected output (stdout and stderr as they interleave). A line `...` (indented or
  not) in the expected output stands for any number of lines, and `[...]` inside a line
  for any text (a time, a temporary path). A command that should fail ends in
  `# exit N`; any other must exit 0.

Prints `N passed, M failed`; exits 1 on any failure."""

import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
EXIT = re.compile(r"\s+#\s*exit\s+(\d+)\s*$")


def blocks_of(path):
    """(line, info words, body lines) of every fenced block, in order."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    out, i = [], 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence = opening.group("fence")
        body, j = [], i + 1
        while j < len(lines) and not lines[j].startswith(fence):
            body.append(lines[j])
            j += 1
        out.append((i + 1, opening.group("info").split(), body))
        i = j + 1
    return out


def steps_of(body):
    """The (command, expected lines) pairs of a console block."""
    steps = []
    for line in body:
        if line.startswith("$ "):
            steps.append([line[2:], []])
        elif steps:
            steps[-1][1].append(line)
    return steps


def line_matches(pattern, line):
    parts = [re.escape(p) for p in pattern.split("[...]")]
    return re.fullmatch(".*".join(parts), line) is not None


def output_matches(expected, actual):
    """Expected lines against actual ones; `...` matches any run of lines."""
    if not expected:
        return not actual
    if expected[0].strip() == "...":
        return any(output_matches(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    return bool(actual) and line_matches(expected[0], actual[0]) and output_matches(
        expected[1:], actual[1:])


def run_walkthrough(doc, shown, tally, project):
    """Runs one document; returns (passed, failures)."""
    work = tempfile.mkdtemp(prefix="tally-walkthrough-")
    bin_dir = os.path.join(work, ".bin")
    os.makedirs(bin_dir)
    os.symlink(os.path.abspath(tally), os.path.join(bin_dir, "tally"))
    os.symlink(os.path.join(project, "plans"), os.path.join(work, "plans"))
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""),
               TALLY_HISTORY=os.path.join(work, ".history"), NO_COLOR="1",
               SOURCE_DATE_EPOCH="1767225600")
    passed, failures = 0, []
    try:
        for line, info, body in blocks_of(doc):
            target = next((w[5:] for w in info if w.startswith("file=")), None)
            if target:
                path = os.path.join(work, target)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write("\n".join(body) + "\n")
                continue
            if not info or info[0] != "console":
                continue
            for command, expected in steps_of(body):
                code = 0
                found = EXIT.search(command)
                if found:
                    code = int(found.group(1))
                    command = command[:found.start()]
                r = subprocess.run(command, shell=True, cwd=work, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
                actual = [l.rstrip() for l in r.stdout.rstrip("\n").split("\n")] if r.stdout else []
                want = [l.rstrip() for l in expected]
                while want and not want[-1]:
                    want.pop()
                if r.returncode == code and output_matches(want, actual):
                    passed += 1
                else:
                    failures.append(f"{shown}:{line}: $ {command}\n  exit {r.returncode} "
                                    f"(expected {code})\n  expected:\n    " + "\n    ".join(want) +
                                    "\n  got:\n    " + "\n    ".join(actual))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return passed, failures


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    tally, project = sys.argv[1], os.path.abspath(sys.argv[2])
    docs = sys.argv[3:] or sorted(
        os.path.join(project, "docs", name) for name in os.listdir(os.path.join(project, "docs"))
        if name.endswith(".md"))
    passed, failures = 0, []
    for doc in docs:
        with open(doc, encoding="utf-8") as f:
            if "```console" not in f.read():
                continue
        shown = os.path.relpath(doc, project)
        p, f = run_walkthrough(doc, shown, tally, project)
        passed += p
        failures += f
    for failure in failures:
        print("FAIL " + failure)
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
