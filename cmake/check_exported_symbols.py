#!/usr/bin/env python3
"""Fails when a shared library exports more than Tally's public API.

Usage: check_exported_symbols.py LIBRARY INCLUDE_DIR

The public API is what include/tally declares: the C functions `tally_*` of
tally.h, and C++ names in namespace `tally` whose every part (class, member,
function) is declared in a tally/*.hpp header. Every other defined dynamic
symbol (`nm -D --defined-only`) is a stray export: internal code, or a
library's template instantiated over Tally's types, which hosts would bind to
and which would then become part of the ABI by accident.
"""

import pathlib
import re
import subprocess
import sys

SPECIAL_PREFIXES = ("vtable for ", "typeinfo for ", "typeinfo name for ", "VTT for ")


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def public_names(include_dir):
    c_functions, cxx_identifiers = set(), set()
    for header in sorted(pathlib.Path(include_dir).glob("*.h")):
        code = strip_comments(header.read_text())
        c_functions |= set(re.findall(r"\b(tally_\w+)\s*\(", code))
    for header in sorted(pathlib.Path(include_dir).glob("*.hpp")):
        code = strip_comments(header.read_text())
        cxx_identifiers |= set(re.findall(r"[A-Za-z_]\w*", code))
    return c_functions, cxx_identifiers


def drop_template_arguments(name):
    out, depth = [], 0
    for ch in name:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def qualified_name(demangled):
    """`tally::Engine::run(tally::Plan const&, ...) const` -> `tally::Engine::run`."""
    for prefix in SPECIAL_PREFIXES:
        if demangled.startswith(prefix):
            demangled = demangled[len(prefix):]
    demangled = demangled.replace("[abi:cxx11]", "")
    match = re.search(r"::operator\W", demangled)
    if match:  # an operator: its name is not a template argument list
        return demangled[: match.start()] + "::operator"
    name = drop_template_arguments(demangled).split("(", 1)[0].strip()
    return name.split(" ")[-1]  # a function template's name follows its return type


def is_public_cxx(demangled, identifiers):
    name = qualified_name(demangled)
    parts = name.split("::")
    if len(parts) < 2 or parts[0] != "tally":
        return False
    for part in parts[1:]:
        part = part.lstrip("~")
        if part != "operator" and part not in identifiers:
            return False
    return True


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    library, include_dir = sys.argv[1], sys.argv[2]
    c_functions, identifiers = public_names(include_dir)
    nm = subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True, text=True)
    if nm.returncode != 0:
        sys.exit(f"nm failed on {library}: {nm.stderr.strip()}")
    symbols = []
    for line in nm.stdout.splitlines():
        fields = line.split()
        if len(fields) < 3 or fields[1] == "A":  # "A": the version node (TALLY_1)
            continue
        symbols.append(re.split(r"@", fields[2], maxsplit=1)[0])
    if not symbols:
        sys.exit(f"{library} exports no symbol at all")
    demangled = subprocess.run(["c++filt"], input="\n".join(symbols), capture_output=True,
                               text=True, check=True).stdout.splitlines()
    stray = []
    for mangled, readable in zip(symbols, demangled):
        if mangled.startswith("_Z"):
            ok = is_public_cxx(readable, identifiers)
        else:
            ok = mangled in c_functions
        if not ok:
            stray.append(f"  {readable}   ({mangled})")
    if stray:
        print(f"{library} exports {len(stray)} symbol(s) that are not Tally's public API "
              f"(include/tally); hide them (-fvisibility=hidden, cmake/libtally.map) "
              f"or declare them in a public header:")
        print("\n".join(sorted(stray)))
        sys.exit(1)
    print(f"{library}: {len(symbols)} exported symbols, all public API "
          f"({sum(not s.startswith('_Z') for s in symbols)} C, "
          f"{sum(s.startswith('_Z') for s in symbols)} C++)")


if __name__ == "__main__":
    main()
