#!/usr/bin/env python3
"""Differential test of tally::Decimal against Python's decimal module.

Generates random operations with a fixed seed, runs the C++ driver
(decimal_driver.cpp) once over all of them, computes every expected result
with Python's decimal module and compares the printed results exactly.

Oracles:
  + - x      a context precise enough to be exact (Inexact is trapped)
  /          the default context: 28 digits, ROUND_HALF_EVEN
  round      x.quantize(q, mode) for power-of-ten quanta 10^k;
             (x / q).quantize(1, mode) * q for any other quantum, the division
             done in ROUND_05UP with spare digits so the second rounding is exact
  printing   format(value, 'f'), which never uses an exponent and folds
             positive exponents into the integer, as Tally does

Exits non-zero listing the first 20 mismatches; on success prints how many
cases of each kind passed.
"""

import argparse
import collections
import decimal
import random
import re
import subprocess
import sys
from decimal import Decimal

INT64_MAX = 2**63 - 1

MODES = {
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_up": decimal.ROUND_HALF_UP,
    "half_down": decimal.ROUND_HALF_DOWN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
    "floor": decimal.ROUND_FLOOR,
    "ceiling": decimal.ROUND_CEILING,
}

EXACT = decimal.Context(
    prec=2000,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow],
)
DIVISION = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=999999,
    Emin=-999999,
    traps=[decimal.DivisionByZero, decimal.InvalidOperation, decimal.Overflow],
)
# Rounding to a quantum is inexact by nature; only its precision must suffice.
QUANTIZE = decimal.Context(
    prec=2000, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.Overflow],
)
# Rounding toward zero except when the last digit is 0 or 5 keeps enough
# information for a second rounding to any coarser position to be correct.
PRE_ROUND = decimal.Context(
    prec=400, rounding=decimal.ROUND_05UP, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN
)


def plain(negative, coefficient, scale):
    """Plain-notation text of (-1)^negative * coefficient * 10^-scale."""
    digits = str(coefficient)
    if scale > 0:
        digits = digits.rjust(scale + 1, "0")
        digits = digits[:-scale] + "." + digits[-scale:]
    return ("-" if negative else "") + digits


def representation(text):
    """The driver's expected storage: S:<coefficient> when it fits int64."""
    negative = text.startswith("-")
    digits = text.lstrip("-").replace(".", "").lstrip("0") or "0"
    if len(digits) > 19:
        return "B"
    coefficient = int(digits)
    if coefficient <= INT64_MAX:
        return "S:" + str(-coefficient if negative else coefficient)
    return "B"


def expect_value(value):
    text = format(value, "f")
    return text + " " + representation(text)


class Generator:
    def __init__(self, rng):
        self.rng = rng

    def digits(self, low, high):
        n = self.rng.randint(low, high)
        return self.rng.randint(10 ** (n - 1) if n > 1 else 0, 10**n - 1)

    def value(self):
        """A random operand in plain notation, biased toward edge cases."""
        r = self.rng
        kind = r.randrange(9)
        negative = r.random() < 0.5
        if kind == 0:  # everyday amounts
            return plain(negative, r.randint(0, 100000), r.randint(0, 4))
        if kind == 1:  # around the 64-bit boundary
            base = r.choice([2**63 - 1, 2**63, 2**64, 10**18, 10**19])
            return plain(negative, max(0, base + r.randint(-5, 5)), r.randint(0, 20))
        if kind == 2:  # anything that still fits
            return plain(negative, self.digits(1, 18), r.randint(0, 10))
        if kind == 3:  # big coefficients
            return plain(negative, self.digits(19, 45), r.randint(0, 40))
        if kind == 4:  # zeros of both signs
            return plain(negative, 0, r.randint(0, 6))
        if kind == 5:  # long fractions
            return plain(negative, self.digits(1, 40), r.randint(20, 40))
        if kind == 6:  # powers of ten
            return plain(negative, 10 ** r.randint(0, 25), r.randint(0, 25))
        if kind == 7:  # ties for rounding: ...5, ...50
            return plain(negative, r.randint(0, 10**6) * 10 + 5, r.randint(1, 6))
        return plain(negative, self.digits(1, 9), r.randint(0, 3))

    def divisor(self):
        r = self.rng
        if r.random() < 0.03:
            return plain(r.random() < 0.5, 0, r.randint(0, 3))
        if r.random() < 0.3:
            return plain(r.random() < 0.5, r.choice([1, 2, 3, 4, 5, 7, 8, 16, 25, 125]),
                         r.randint(0, 3))
        return self.value()

    def power_of_ten_quantum(self):
        if self.rng.random() < 0.8:
            s = self.rng.randint(0, 12)
            return plain(False, 1, s), Decimal((0, (1,), -s))
        k = self.rng.randint(1, 6)
        return plain(False, 10**k, 0), Decimal((0, (1,), k))

    def other_quantum(self):
        r = self.rng
        if r.random() < 0.6:
            return r.choice(["0.05", "0.25", "5", "0.3", "7", "1.00", "0.010", "2.5", "0.125",
                             "12.34", "0.0001", "3"])
        return plain(False, r.randint(1, 10**r.randint(1, 6)), r.randint(0, 6))

    def exponent_text(self):
        r = self.rng
        mantissa = str(self.digits(1, 25))
        if r.random() < 0.5:
            cut = r.randint(0, len(mantissa))
            mantissa = mantissa[:cut] + "." + mantissa[cut:]
            if mantissa == ".":
                mantissa = "0."
        sign = r.choice(["", "-", "+"])
        exponent = r.randint(-45, 45)
        exponent_sign = "-" if exponent < 0 else r.choice(["", "+"])
        return (sign + mantissa + r.choice("eE") + exponent_sign +
                str(abs(exponent)).rjust(r.randint(1, 3), "0"))

    def underscored(self):
        """Underscores between digits only, as the plan grammar allows."""
        text = self.rng.choice([self.value, self.exponent_text])()
        out = []
        for i, c in enumerate(text):
            out.append(c)
            if (c.isdigit() and i + 1 < len(text) and text[i + 1].isdigit()
                    and self.rng.random() < 0.3):
                out.append("_")
        return "".join(out)

    def junk(self):
        return "".join(self.rng.choice("0123456789.eE+-_") for _ in range(self.rng.randint(1, 6)))


def python_parse(text, allow_underscores):
    """Python's verdict on a string, restricted to Tally's accepted forms."""
    if "_" in text and not allow_underscores:
        return None
    try:
        value = Decimal(text.replace("_", ""))
    except decimal.InvalidOperation:
        return None
    if not value.is_finite():
        return None
    written = re.search(r"[eE]([+-]?[0-9]+)$", text.replace("_", ""))
    if written and abs(int(written.group(1))) > 1000:  # Tally bounds the exponent as written
        return None
    return value


def build_cases(seed, count):
    """(line for the driver, expected output, kind) for `count` random cases."""
    rng = random.Random(seed)
    gen = Generator(rng)
    weights = {"add": 13, "sub": 13, "mul": 13, "div": 18, "round_pow10": 12, "round_other": 9,
               "cmp": 9, "parse": 9, "misc": 4}
    kinds = list(weights)
    cases = []
    for _ in range(count):
        kind = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
        if kind in ("add", "sub", "mul"):
            a, b = gen.value(), gen.value()
            if kind == "sub" and rng.random() < 0.1:
                b = a  # exact zero results, and a return to the fast path
            x, y = Decimal(a), Decimal(b)
            result = {"add": EXACT.add, "sub": EXACT.subtract, "mul": EXACT.multiply}[kind](x, y)
            cases.append((f"{kind} {a} {b}", expect_value(result), kind))
        elif kind == "div":
            a, b = gen.value(), gen.divisor()
            if rng.random() < 0.25 and Decimal(b) != 0:  # exact quotients: ideal exponent
                c = gen.value()
                a = format(EXACT.multiply(Decimal(b), Decimal(c)), "f")
            x, y = Decimal(a), Decimal(b)
            context, line = DIVISION, f"div {a} {b}"
            if rng.random() < 0.1:  # other working precisions
                precision = rng.randint(1, 45)
                context = DIVISION.copy()
                context.prec = precision
                line = f"divp {a} {b} {precision}"
            if y == 0:
                expected = "error division by zero"
            else:
                expected = expect_value(context.divide(x, y))
            cases.append((line, expected, kind))
        elif kind == "round_pow10":
            a = gen.value()
            q_text, q = gen.power_of_ten_quantum()
            mode = rng.choice(list(MODES))
            result = Decimal(a).quantize(q, rounding=MODES[mode], context=QUANTIZE)
            cases.append((f"round {a} {q_text} {mode}", expect_value(result), kind))
        elif kind == "round_other":
            a = gen.value()
            q_text = gen.other_quantum()
            mode = rng.choice(list(MODES))
            q = Decimal(q_text)
            multiple = PRE_ROUND.divide(Decimal(a), q).quantize(
                Decimal(1), rounding=MODES[mode], context=QUANTIZE)
            result = EXACT.multiply(multiple, q)
            cases.append((f"round {a} {q_text} {mode}", expect_value(result), kind))
        elif kind == "cmp":
            a = gen.value()
            pick = rng.random()
            if pick < 0.35:  # the same value at another scale, maybe crossing into big
                scale = -Decimal(a).as_tuple().exponent + rng.randint(0, 25)
                b = format(Decimal(a).quantize(Decimal((0, (1,), -scale)), context=EXACT), "f")
                if rng.random() < 0.5:
                    a, b = b, a
            elif pick < 0.5:
                b = format(EXACT.add(Decimal(a), Decimal(plain(rng.random() < 0.5, 1,
                                                                 rng.randint(0, 45)))), "f")
            else:
                b = gen.value()
            x, y = Decimal(a), Decimal(b)
            c = (x > y) - (x < y)
            cases.append((f"cmp {a} {b}", f"{c} {int(c == 0)} 1", kind))
        elif kind == "parse":
            pick = rng.random()
            allow = False
            if pick < 0.3:
                text = gen.value()
                if not text.startswith("-") and rng.random() < 0.3:
                    text = "+" + text
                if rng.random() < 0.3:  # ".5" and "-.5" forms
                    text = text.replace("0.", ".", 1) if "0." in text[:3] else text
            elif pick < 0.6:
                text = gen.exponent_text()
            elif pick < 0.8:
                text, allow = gen.underscored(), True
            else:
                text = gen.junk()
                allow = rng.random() < 0.5 and "_" not in text
            value = python_parse(text, allow)
            expected = "invalid" if value is None else expect_value(value) + " 1"
            cases.append((f"{'parseu' if allow else 'parse'} {text}", expected, kind))
        else:
            a = gen.value()
            x = Decimal(a)
            op = rng.choice(["neg", "abs", "trim", "rescale", "int", "digits"])
            if op == "neg":
                line, expected = f"neg {a}", expect_value(EXACT.minus(x))
            elif op == "abs":
                line, expected = f"abs {a}", expect_value(EXACT.abs(x))
            elif op == "trim":
                line, expected = f"trim {a}", expect_value(EXACT.normalize(x))
            elif op == "rescale":
                scale = -x.as_tuple().exponent + rng.randint(0, 30)
                line = f"rescale {a} {scale}"
                expected = expect_value(x.quantize(Decimal((0, (1,), -scale)), context=EXACT))
            elif op == "int":
                integral = x == x.to_integral_value()
                fits = -(2**63) <= x <= INT64_MAX
                line, expected = f"int {a}", str(int(x)) if integral and fits else "none"
            else:
                line, expected = f"digits {a}", str(len(x.as_tuple().digits))
            cases.append((line, expected, "misc"))
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--driver", required=True, help="path to decimal_differential_driver")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--count", type=int, default=120000)
    args = parser.parse_args()

    cases = build_cases(args.seed, args.count)
    stdin = "".join(line + "\n" for line, _, _ in cases)
    run = subprocess.run([args.driver], input=stdin, capture_output=True, text=True)
    if run.returncode != 0:
        print(f"driver failed with exit code {run.returncode}:\n{run.stderr}", file=sys.stderr)
        return 1
    outputs = run.stdout.splitlines()
    if len(outputs) != len(cases):
        print(f"driver printed {len(outputs)} lines for {len(cases)} cases", file=sys.stderr)
        return 1

    passed = collections.Counter()
    mismatches = []
    for (line, expected, kind), ours in zip(cases, outputs):
        if ours == expected:
            passed[kind] += 1
        else:
            mismatches.append((line, ours, expected))
    if mismatches:
        print(f"{len(mismatches)} of {len(cases)} cases differ (seed {args.seed}); first 20:")
        for line, ours, expected in mismatches[:20]:
            print(f"  {line}\n    tally:  {ours}\n    python: {expected}")
        return 1
    summary = ", ".join(f"{kind} {passed[kind]}" for kind in sorted(passed))
    print(f"all {len(cases)} cases agree with Python's decimal (seed {args.seed}): {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
