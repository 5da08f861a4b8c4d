#!/usr/bin/env python3
"""Keeps docs/embedding.md true to the code it describes.

usage: check_embedding.py PROJECT_DIR

- A fenced code block right after a line `<!-- excerpt: PATH -->` must appear,
  line for line, in PATH (an example CI builds and runs), so that the tour
  never shows code that does not compile or does something else.
- Every function the C header (include/tally/tally.h) declares, and every
  status of tally::RunStatus, is named in the document.

Prints `N passed, M failed`; exits 1 on any failure."""

import os
import re
import sys

sys.dont_write_bytecode = True


def blocks_with_excerpts(lines):
    """(path, block lines, line number) for each excerpt-marked block."""
    marker = re.compile(r"^<!--\s*excerpt:\s*(\S+)\s*-->\s*$")
    i = 0
    while i < len(lines):
        m = marker.match(lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j >= len(lines) or not lines[j].startswith("```"):
            yield m.group(1), None, i + 1
            i = j
            continue
        k = j + 1
        while k < len(lines) and not lines[k].startswith("```"):
            k += 1
        yield m.group(1), lines[j + 1:k], i + 1
        i = k + 1


def contains(haystack, needle):
    n = len(needle)
    return any(haystack[s:s + n] == needle for s in range(len(haystack) - n + 1))


def main():
    project = sys.argv[1]
    doc_path = os.path.join(project, "docs", "embedding.md")
    passed, failed = 0, 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}" + (f": {detail}" if detail else ""))

    with open(doc_path, encoding="utf-8") as f:
        doc = f.read()
    lines = [line.rstrip() for line in doc.split("\n")]
    excerpts = 0
    for path, block, line in blocks_with_excerpts(lines):
        excerpts += 1
        where = f"docs/embedding.md:{line}"
        if block is None:
            check(where, False, "an excerpt marker must be followed by a fenced code block")
            continue
        source = os.path.join(project, path)
        if not os.path.exists(source):
            check(where, False, f"{path} does not exist")
            continue
        with open(source, encoding="utf-8") as f:
            source_lines = [s.rstrip() for s in f.read().split("\n")]
        check(where, contains(source_lines, block),
              f"the block is not, line for line, in {path}")
    check("excerpts", excerpts >= 3, f"only {excerpts} excerpt blocks")

    header = os.path.join(project, "include", "tally", "tally.h")
    with open(header, encoding="utf-8") as f:
        text = f.read()
    functions = sorted(set(re.findall(r"\b(tally_[a-z0-9_]+)\s*\(", text)))
    check("C functions found", len(functions) > 10, f"{len(functions)} in tally.h")
    for name in functions:
        check(f"C function {name}", name in doc, "not named in docs/embedding.md")

    with open(os.path.join(project, "include", "tally", "tally.hpp"), encoding="utf-8") as f:
        hpp = f.read()
    m = re.search(r"enum class RunStatus \{(.*?)\};", hpp, re.S)
    statuses = re.findall(r"^\s*([a-z_]+),?\s*(?://.*)?$", m.group(1), re.M) if m else []
    check("RunStatus found", len(statuses) >= 5, str(statuses))
    for status in statuses:
        check(f"RunStatus {status}", status in doc, "not named in docs/embedding.md")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
