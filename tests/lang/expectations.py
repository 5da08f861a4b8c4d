"""The inline expectations of a .tally test file, and their comparison with
what `tally check --values` reported. The grammar of the expectation comments
is described in README.md next to this file; this module is shared with the
documentation check (tests/docs/check_docs.py)."""

import os
import re
from dataclasses import dataclass, field

# `// expect-error: 12:5 message`, `:5 message` (this line), `-1:5 message` (the line above).
_DIRECTIVE = re.compile(
    r"//\s*(?:(?P<kind>expect-error|expect-warning|expect-hint|expect-value|expect|"
    r"allow-warnings|skip)\s*:\s*(?P<rest>.*?)|(?P<bare>allow-warnings))\s*$")
_LOCATED = re.compile(
    r"^(?:(?P<file>[^\s:]+\.tally|stdlib/\w+):)?(?P<line>[+-]\d+|\d*):(?P<col>\d+)\s+(?P<text>\S.*)$")
_LET_NAME = re.compile(r"\blet\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)")
_NAMED_VALUE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+=\s+(?P<value>.*)$")
_UNUSED_VALUE = re.compile(r"^value `(?P<name>[A-Za-z_][A-Za-z0-9_]*)` is never used$")


@dataclass
class Diagnostic:
    severity: str  # "error" | "warning" | "note"
    file: str      # "" for the test file itself, else the other file's path relative to it
    line: int      # 0 when the message has no location
    column: int
    message: str
    hints: list = field(default_factory=list)


@dataclass
class Expectations:
    # (file, line, column, text); file is "" for the test file itself.
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    hints: list = field(default_factory=list)
    values: dict = field(default_factory=dict)    # let name -> printed value
    allow_warnings: list = field(default_factory=list)  # substrings; "" allows all
    skip: str = None
    problems: list = field(default_factory=list)  # malformed expectation comments


def parse_expectations(text):
    """Reads the expectation comments of a test file (any line ending)."""
    found = Expectations()
    for number, line in enumerate(text.splitlines(), start=1):
        match = _DIRECTIVE.search(line)
        if not match:
            continue
        kind, rest = match.group("kind") or match.group("bare"), match.group("rest")
        if kind == "skip":
            found.skip = rest or "no reason given"
        elif kind == "allow-warnings":
            found.allow_warnings.append(rest or "")
        elif kind == "expect":
            let = _LET_NAME.search(line[:match.start()])
            if not let or rest is None:
                found.problems.append(f"line {number}: `// expect: VALUE` must follow a let")
            else:
                found.values[let.group("name")] = rest
        elif kind == "expect-value":
            named = _NAMED_VALUE.match(rest or "")
            if not named:
                found.problems.append(f"line {number}: write `// expect-value: NAME = VALUE`")
            else:
                found.values[named.group("name")] = named.group("value")
        else:
            located = _LOCATED.match(rest or "")
            if not located:
                found.problems.append(f"line {number}: write `// {kind}: LINE:COLUMN text`")
                continue
            written = located.group("line")
            if not written:
                at_line = number  # `:5`: this line
            elif written[0] in "+-":
                at_line = number + int(written)  # `-1:5`: the line above
            else:
                at_line = int(written)
            entry = (located.group("file") or "", at_line, int(located.group("col")),
                     located.group("text"))
            {"expect-error": found.errors, "expect-warning": found.warnings,
             "expect-hint": found.hints}[kind].append(entry)
    return found


_HEADER = re.compile(r"^(?:(?P<line>\d+):(?P<col>\d+): )?(?P<sev>error|warning|note): (?P<msg>.*)$")
# Another file: one the test imports, or a module of the standard library
# (`stdlib/kpi`: text compiled into tally, named by its import path).
_OTHER_FILE = re.compile(r"^(?P<file>[^\s:]+\.tally|stdlib/\w+):(?P<rest>\d+:\d+: .*)$")


def parse_diagnostics(stderr, path):
    """The diagnostics `tally` printed for `path` (and for the files it
    imports), with their hints. Source excerpt lines are skipped; any other
    line is returned as unrecognised."""
    diagnostics, unrecognised = [], []
    prefix = path + ":"
    folder = os.path.dirname(path)
    lines = stderr.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        header, file = None, ""
        if line.startswith(prefix):
            header = _HEADER.match(line[len(prefix):].lstrip(" "))
        elif _OTHER_FILE.match(line):
            other = _OTHER_FILE.match(line)
            header = _HEADER.match(other.group("rest"))
            file = other.group("file")
            if not file.startswith("stdlib/"):
                file = os.path.relpath(file, folder or ".")
        if header:
            diagnostics.append(Diagnostic(
                header.group("sev"), file, int(header.group("line") or 0),
                int(header.group("col") or 0), header.group("msg")))
            # The excerpt: the source line and the caret line, both " N | ...".
            while i < len(lines) and re.match(r"^ +\d* \| ", lines[i] + " "):
                i += 1
            continue
        if line.startswith("hint: ") and diagnostics:
            diagnostics[-1].hints.append(line[len("hint: "):])
            continue
        unrecognised.append(line)
    return diagnostics, unrecognised


def parse_values(stdout):
    values = {}
    for line in stdout.splitlines():
        named = _NAMED_VALUE.match(line)
        if named:
            values[named.group("name")] = named.group("value")
    return values


def compare(expected, diagnostics, unrecognised, values, returncode):
    """Every difference between the expectations and the run, as sentences;
    an empty list means the test passed."""
    failures = list(expected.problems)
    if returncode not in (0, 1):
        failures.append(f"tally exited with {returncode} (a crash or a usage error)")
    for line in unrecognised:
        failures.append(f"unrecognised output: {line}")

    def shown(file, line, column, text):
        return f"{file + ':' if file else ''}{line}:{column} {text}"

    def match_kind(severity, wanted, allowed):
        got = [(d.file, d.line, d.column, d.message) for d in diagnostics
               if d.severity == severity]
        remaining = list(got)
        for entry in wanted:
            if entry in remaining:
                remaining.remove(entry)
            else:
                near = [g for g in got if g[:2] == entry[:2]]
                seen = "; at that line: " + " | ".join(shown(*g) for g in near) if near else ""
                failures.append(f"missing {severity} {shown(*entry)}{seen}")
        for entry in remaining:
            if not allowed(entry[3]):
                failures.append(f"unexpected {severity} {shown(*entry)}")

    match_kind("error", expected.errors, lambda message: False)

    def warning_allowed(message):
        if _UNUSED_VALUE.match(message):
            return True  # most test files are standalone lets that nothing uses
        return any(allowed in message for allowed in expected.allow_warnings)

    match_kind("warning", expected.warnings, warning_allowed)

    for file, line, column, hint in expected.hints:
        at = [d for d in diagnostics if (d.file, d.line, d.column) == (file, line, column)]
        if not any(hint in d.hints for d in at):
            there = "; hints there: " + " | ".join(h for d in at for h in d.hints) if at else ""
            failures.append(f"missing hint {shown(file, line, column, hint)}{there}")

    has_errors = any(d.severity == "error" for d in diagnostics)
    if expected.errors and returncode != 1:
        failures.append(f"expected `tally check` to fail, it exited with {returncode}")
    if not has_errors and returncode != 0:
        failures.append(f"tally exited with {returncode} but reported no error")
    for name, value in expected.values.items():
        if name not in values:
            failures.append(f"no value printed for `{name}` (expected {value})")
        elif values[name] != value:
            failures.append(f"`{name}` = {values[name]}, expected {value}")
    return failures
