#!/usr/bin/env python3
"""Independent oracle for plans/ae_quota.tally, written from the plan's text in
plain Python with `decimal` (no Tally code): marginal attainment tiers
(4% to 50%, 8% to 100%, 12% to 150%, 16% above) on each quarter's won and
returned bookings, capped at 30_000 USD, rounded half_even to the cent.

    python3 tests/golden/oracles/ae_quota.py plans/data/ae_quota OUT_DIR
"""
import os
import sys
from decimal import Decimal, localcontext

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_tables import (  # noqa: E402
    date, marginal, paid, pct, quarter_label, read, write_measures, write_payouts)

TIERS = [(pct("0"), pct("50"), pct("4")), (pct("50"), pct("100"), pct("8")),
         (pct("100"), pct("150"), pct("12")), (pct("150"), None, pct("16"))]
CAP = Decimal("30000")


def main(data_dir, out_dir):
    with localcontext() as ctx:
        ctx.prec = 60
        payees = read(f"{data_dir}/payees.csv")
        deals = read(f"{data_dir}/deals.csv")
        quota = {(q["rep_id"], q["quarter"]): Decimal(q["quota_amount"])
                 for q in read(f"{data_dir}/quotas.csv")}
        bookings = {}
        for d in deals:
            if d["stage"] not in ("Won", "Returned"):
                continue
            key = (d["owner_id"], quarter_label(date(d["close_date"])))
            bookings[key] = bookings.get(key, Decimal(0)) + Decimal(d["amount"]) * pct("100")
        payouts, measures = [], []
        for p in payees:
            for q in range(1, 5):
                period = f"2026-Q{q}"
                b = bookings.get((p["id"], period), Decimal(0))
                measures.append([p["id"], period, "bookings", str(b)])
                if p["role"] == "AE":
                    pay = min(marginal(TIERS, b, base=quota[(p["id"], period)]), CAP)
                    payouts.append([p["id"], period, "commission", paid(pay)])
    write_payouts(out_dir, payouts)
    write_measures(out_dir, measures)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
