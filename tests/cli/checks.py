"""What every CLI test script shares: `check` records one expectation (and
prints the failure with its detail), `finish` prints `N passed, M failed`
and exits 1 when anything failed. Scripts import it after setting
sys.dont_write_bytecode, so that no __pycache__ lands in the source tree."""

import sys

_passed = 0
_failed = 0


def check(name, condition, detail=""):
    global _passed, _failed
    if condition:
        _passed += 1
    else:
        _failed += 1
        print(f"FAIL {name}\n{detail}")


def summary():
    """Prints the closing line; returns the exit status (1 on a failure)."""
    print(f"{_passed} passed, {_failed} failed")
    return 1 if _failed else 0


def finish():
    sys.exit(summary())
