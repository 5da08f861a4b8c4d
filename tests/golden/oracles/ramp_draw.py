#!/usr/bin/env python3
"""Independent oracle for plans/ramp_draw.tally, from the plan's text in plain
Python with `decimal`. Per AE and month of 2026:
- quota = annual quota / 12 x (days employed in the month / days in the
  month), days employed counted from hire_date to end_date, both included;
- commission = 10% of bookings + 5% of bookings above that quota;
- the draw `ramp` runs from the month of hire to two months after it: it pays
  the top-up max(1_000 - earnings, 0) (a row, even when 0.00) and adds it to
  the balance; recovery takes, while it runs, the earnings above 1_000 USD,
  after it the earnings, never more than the balance or 400 USD a month
  (a negative `ramp_recovery` row when not zero). `ramp_balance` is written
  for each month the draw runs or a balance is still owed at its start.

    python3 tests/golden/oracles/ramp_draw.py plans/data/ramp_draw OUT_DIR
"""
import calendar
import datetime
import os
import sys
from decimal import Decimal, localcontext

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_tables import (  # noqa: E402
    date, month_label, paid, pct, read, write_measures, write_payouts)

DRAW = Decimal(1000)
LIMIT = Decimal(400)


def main(data_dir, out_dir):
    with localcontext() as ctx:
        ctx.prec = 60
        payees = read(f"{data_dir}/payees.csv")
        annual = {q["payee"]: Decimal(q["annual_quota"])
                  for q in read(f"{data_dir}/annual_quotas.csv")}
        bookings = {}
        for d in read(f"{data_dir}/deals.csv"):
            key = (d["owner_id"], month_label(date(d["close_date"])))
            bookings[key] = bookings.get(key, Decimal(0)) + Decimal(d["amount"]) * pct("100")
        payouts, measures = [], []
        for p in payees:
            hire = date(p["hire_date"])
            end = date(p["end_date"]) if p["end_date"] else None
            draw_first = (hire.year, hire.month)
            last = datetime.date(hire.year + (hire.month + 1) // 12, (hire.month + 1) % 12 + 1, 1)
            draw_last = (last.year, last.month)
            balance = Decimal(0)
            for month in range(1, 13):
                key = (p["id"], f"2026-{month:02d}")
                days = calendar.monthrange(2026, month)[1]
                start = max(datetime.date(2026, month, 1), hire)
                stop = datetime.date(2026, month, days) if end is None else min(
                    datetime.date(2026, month, days), end)
                employed = max((stop - start).days + 1, 0)
                quota = annual[p["id"]] / 12 * employed / days
                b = bookings.get(key, Decimal(0))
                measures.append([*key, "bookings", str(b)])
                commission = Decimal(paid(pct("10") * b + pct("5") * max(b - quota, Decimal(0))))
                payouts.append([*key, "commission", f"{commission:.2f}"])
                runs = draw_first <= (2026, month) <= draw_last
                had_balance = balance != 0
                if runs:
                    top_up = max(DRAW - commission, Decimal(0))
                    recovery = min(max(commission - DRAW, Decimal(0)), balance)
                    balance += top_up
                    payouts.append([*key, "ramp", paid(top_up)])
                else:
                    recovery = min(max(commission, Decimal(0)), balance)
                recovery = min(recovery, LIMIT)
                balance -= recovery
                if recovery != 0:
                    payouts.append([*key, "ramp_recovery", paid(-recovery)])
                if runs or had_balance:
                    measures.append([*key, "ramp_balance", paid(balance)])
    write_payouts(out_dir, payouts)
    write_measures(out_dir, measures)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
