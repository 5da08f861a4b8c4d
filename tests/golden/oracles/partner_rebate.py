#!/usr/bin/env python3
"""Independent oracle for plans/partner_rebate.tally, from the plan's text in
plain Python with `decimal`: per partner and month a provisional rebate of 2%
of the month's revenue; in the last month of each quarter a true-up: the
quarter's revenue to date at the rate of the tier it reaches (2%, 4% from
100_000 USD, 6% from 250_000 USD) less 2% of it.

    python3 tests/golden/oracles/partner_rebate.py plans/data/partner_rebate OUT_DIR
"""
import os
import sys
from decimal import Decimal, localcontext

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_tables import (  # noqa: E402
    date, month_label, paid, pct, read, retroactive, write_measures, write_payouts)

TIERS = [(Decimal(0), Decimal(100000), pct("2")), (Decimal(100000), Decimal(250000), pct("4")),
         (Decimal(250000), None, pct("6"))]


def main(data_dir, out_dir):
    with localcontext() as ctx:
        ctx.prec = 60
        partners = read(f"{data_dir}/partners.csv")
        revenue = {}
        for o in read(f"{data_dir}/orders.csv"):
            key = (o["partner_id"], month_label(date(o["invoiced_on"])))
            revenue[key] = revenue.get(key, Decimal(0)) + Decimal(o["amount"]) * pct("100")
        payouts, measures = [], []
        for p in partners:
            for month in range(1, 13):
                key = (p["id"], f"2026-{month:02d}")
                r = revenue.get(key, Decimal(0))
                measures.append([*key, "revenue", str(r)])
                if p["role"] != "PARTNER":
                    continue
                payouts.append([*key, "provisional_rebate", paid(pct("2") * r)])
                if month % 3 == 0:
                    first = month - 2
                    qtd = sum((revenue.get((p["id"], f"2026-{m:02d}"), Decimal(0))
                               for m in range(first, month + 1)), Decimal(0))
                    payouts.append([*key, "quarterly_true_up",
                                    paid(retroactive(TIERS, qtd) - pct("2") * qtd)])
    write_payouts(out_dir, payouts)
    write_measures(out_dir, measures)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
