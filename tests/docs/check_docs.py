#!/usr/bin/env python3
"""Checks the Tally examples of the documentation: every ```tally fenced
block of docs/*.md goes through `tally check --values` (README.md next to
this file gives the conventions).

usage: check_docs.py TALLY PROJECT_DIR [--lenient] [--verbose]

--lenient: a block that fails is reported and counted as skipped instead of
failing the check (while the documented constructs are being implemented).
Prints `N passed, M failed, K skipped`; exits 1 on any failure."""

import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, "..", "lang"))

import expectations  # noqa: E402

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
CHECKED = {"tally": "accept", "tally-error": "reject"}
DECLARATION = re.compile(
    r"^(?P<kind>plan|source|roster|credit|measure|let|payout|table|goal|territory|territories|"
    r"rates|draw|clawback|fn|test|import)\b(?!\s*:)\s*(?P<name>[A-Za-z_][A-Za-z0-9_.]*)?")
USES = re.compile(r"^//\s*uses:\s*(?P<words>.+)$")
DECLARES_A_NAME = {"source", "roster", "credit", "measure", "let", "payout", "table", "goal",
                   "territory", "rates", "draw", "fn"}
# A prelude declaration of these kinds is left out when the block declares any
# declaration of the listed kinds (a plan has one roster; the block's own
# credit rules and territories replace the prelude's).
REPLACED_BY = {"plan": {"plan"}, "roster": {"roster"}, "credit": {"credit"},
               "territory": {"territory", "territories"}}


class Block:
    def __init__(self, path, line, mode, text):
        self.path, self.line, self.mode, self.text = path, line, mode, text

    def where(self):
        return f"{self.path}:{self.line}"


def extract_blocks(path, shown_path):
    """The ```tally and ```tally-error blocks of one Markdown file; `line` is
    the line of the block's first line of code."""
    blocks = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence = opening.group("fence")
        words = opening.group("info").split()
        language = words[0] if words else ""
        body, j = [], i + 1
        while j < len(lines) and not lines[j].lstrip().startswith(fence):
            body.append(lines[j])
            j += 1
        if language in CHECKED:
            blocks.append(Block(shown_path, i + 2, CHECKED[language], "\n".join(body) + "\n"))
        i = j + 1
    return blocks


def declarations_of(text):
    """(kind, name) of every declaration that starts a line of `text`."""
    found = set()
    for line in text.splitlines():
        match = DECLARATION.match(line)
        if match:
            found.add((match.group("kind"), match.group("name") or ""))
    return found


def prelude_items(text):
    """The prelude split into declarations: (kind, name, text, words or None)."""
    items, current, uses = [], None, None
    for line in text.splitlines():
        use = USES.match(line)
        if use:
            uses = use.group("words").split()
            continue
        match = DECLARATION.match(line)
        if match:
            current = [match.group("kind"), match.group("name") or "", [], uses]
            items.append(current)
            uses = None
        if current is not None and not line.startswith("//"):
            current[2].append(line)
    return [(kind, name, "\n".join(lines).strip() + "\n", uses) for kind, name, lines, uses in items]


def complete(block_text, prelude):
    """The block itself if it is a whole plan, else the block followed by the
    prelude declarations it does not declare (after it, so that its lines keep
    their numbers)."""
    declared = declarations_of(block_text)
    kinds = {kind for kind, _ in declared}
    # One name space for the whole plan; `clawback NAME` names a payout, it
    # does not declare one.
    names = {name for kind, name in declared if kind in DECLARES_A_NAME}
    if "plan" in kinds:
        return block_text
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", block_text))
    added = []
    for kind, name, text, uses in prelude:
        if (name and name in names) or kinds & REPLACED_BY.get(kind, set()):
            continue
        if uses is not None and not words.intersection(uses):
            continue
        added.append(text)
    return block_text + "\n// ---- the prelude (tests/docs/prelude.tally)\n" + "\n".join(added)


def check_block(tally, block, prelude, scratch, index):
    """Returns a list of failures, empty when the block behaves as documented."""
    relative = f"block_{index:03d}.tally"
    with open(os.path.join(scratch, relative), "w", encoding="utf-8", newline="\n") as f:
        f.write(complete(block.text, prelude))
    done = subprocess.run([tally, "check", "--values", relative], cwd=scratch,
                          capture_output=True, timeout=120)
    stdout = done.stdout.decode("utf-8", "replace")
    stderr = done.stderr.decode("utf-8", "replace")
    diagnostics, unrecognised = expectations.parse_diagnostics(stderr, relative)
    expected = expectations.parse_expectations(block.text)
    expected.allow_warnings.append("")  # fragments leave declarations unused
    block_lines = block.text.count("\n")

    def shown(d):
        place = (f"{block.path}:{block.line + d.line - 1}:{d.column}" if d.line <= block_lines
                 else "the prelude")
        return f"{place}: {d.severity}: {d.message}"

    if block.mode == "reject":
        failures = []
        if not any(d.severity == "error" for d in diagnostics):
            failures.append("a ```tally-error block was accepted")
        if expected.errors or expected.warnings or expected.hints:
            failures += expectations.compare(expected, diagnostics, unrecognised,
                                             expectations.parse_values(stdout), done.returncode)
        return failures
    failures = expectations.compare(expected, diagnostics, unrecognised,
                                    expectations.parse_values(stdout), done.returncode)
    if failures:
        failures = [shown(d) for d in diagnostics if d.severity == "error"] + \
            [f for f in failures if not f.startswith("unexpected error")]
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tally")
    parser.add_argument("project")
    parser.add_argument("--lenient", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    tally = os.path.abspath(args.tally)
    if not os.access(tally, os.X_OK):
        print(f"error: {args.tally} is not an executable tally program")
        return 2
    with open(os.path.join(HERE, "prelude.tally"), encoding="utf-8") as f:
        prelude = prelude_items(f.read())

    blocks = []
    for path in sorted(glob.glob(os.path.join(args.project, "docs", "**", "*.md"), recursive=True)):
        blocks += extract_blocks(path, os.path.relpath(path, args.project))
    counts = {"pass": 0, "fail": 0, "skip": 0}
    with tempfile.TemporaryDirectory(prefix="tally-docs-") as scratch:
        for index, block in enumerate(blocks):
            failures = check_block(tally, block, prelude, scratch, index)
            if not failures:
                counts["pass"] += 1
                if args.verbose:
                    print(f"ok   {block.where()}")
                continue
            status = "skip" if args.lenient else "fail"
            counts[status] += 1
            print(f"{'FAIL' if status == 'fail' else 'skip'} {block.where()} "
                  f"({'not accepted yet' if status == 'skip' else block.mode + ' failed'})")
            for line in failures:
                print(f"     {line}")
    print(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped "
          f"({len(blocks)} tally blocks in docs/**/*.md)")
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
