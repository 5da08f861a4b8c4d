"""Plain-Python reading and writing for the golden oracles (no Tally code): the
CSV sources in, the payouts/measures tables out, and the few number rules of
the language an oracle must follow to print what Tally prints.
"""
import csv
import datetime
from decimal import Decimal, ROUND_HALF_EVEN

CENT = Decimal("0.01")


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def pct(text):
    """A percent literal is its number times 0.01, exactly, as the language defines it."""
    return Decimal(text) * Decimal("0.01")


def date(text):
    return datetime.date.fromisoformat(text)


def quarter_label(d):
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def month_label(d):
    return f"{d.year}-{d.month:02d}"


def paid(value):
    """A payout as Tally writes it: rounded half_even to the cent, printed with 2 decimals."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_EVEN):.2f}"


def marginal(tiers, x, base=None):
    """Marginal tiers [(low, high or None, rate)]: each slice of x pays its own rate.
    With a base, the bounds are shares of the base (attainment tiers)."""
    total = Decimal(0)
    for low, high, rate in tiers:
        lo = low * base if base is not None else low
        hi = (high * base if base is not None else high) if high is not None else None
        top = x if hi is None else min(x, hi)
        if top > lo:
            total += rate * (top - lo)
    return total


def retroactive(tiers, x, base=None):
    """Retroactive tiers: all of x at the rate of the tier x reaches (half-open tiers)."""
    for low, high, rate in tiers:
        lo = low * base if base is not None else low
        hi = (high * base if base is not None else high) if high is not None else None
        if x >= lo and (hi is None or x < hi):
            return rate * x
    return Decimal(0)  # below the first tier


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_payouts(out_dir, rows):
    write(f"{out_dir}/payouts.csv", ["payee", "period", "component", "amount"], rows)


def write_measures(out_dir, rows):
    write(f"{out_dir}/measures.csv", ["payee", "period", "measure", "value"], rows)
