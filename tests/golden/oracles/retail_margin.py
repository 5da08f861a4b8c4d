#!/usr/bin/env python3
"""Independent oracle for plans/retail_margin.tally, from the plan's text in plain
Python with `decimal`: each sale line's margin (revenue - cost) is credited to
its associate (direct) and the store manager (overlay); per month, associates
earn 3%/4%/5% of all their margin by the tier it reaches (5_000 and
10_000 USD), store managers 1%/1.5%/2% of the store margin (18_000 and
24_000 USD), tiers half-open so a boundary takes the upper rate.

    python3 tests/golden/oracles/retail_margin.py plans/data/retail_margin OUT_DIR
"""
import os
import sys
from decimal import Decimal, localcontext

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_tables import (  # noqa: E402
    date, month_label, paid, pct, read, retroactive, write_measures, write_payouts)

ASSOCIATE = [(Decimal(0), Decimal(5000), pct("3")), (Decimal(5000), Decimal(10000), pct("4")),
             (Decimal(10000), None, pct("5"))]
STORE = [(Decimal(0), Decimal(18000), pct("1")), (Decimal(18000), Decimal(24000), pct("1.5")),
         (Decimal(24000), None, pct("2"))]


def main(data_dir, out_dir):
    with localcontext() as ctx:
        ctx.prec = 60
        payees = read(f"{data_dir}/payees.csv")
        margin, store = {}, {}
        for s in read(f"{data_dir}/sales.csv"):
            period = month_label(date(s["sold_on"]))
            credit = (Decimal(s["revenue"]) - Decimal(s["cost"])) * pct("100")
            key = (s["associate_id"], period)
            margin[key] = margin.get(key, Decimal(0)) + credit
            key = (s["manager_id"], period)
            store[key] = store.get(key, Decimal(0)) + credit
        payouts, measures = [], []
        for p in payees:
            for month in range(1, 13):
                key = (p["id"], f"2026-{month:02d}")
                m, s = margin.get(key, Decimal(0)), store.get(key, Decimal(0))
                measures += [[*key, "margin", str(m)], [*key, "store_margin", str(s)]]
                if p["role"] == "ASSOC":
                    payouts.append([*key, "margin_commission", paid(retroactive(ASSOCIATE, m))])
                if p["role"] == "SM":
                    payouts.append([*key, "store_commission", paid(retroactive(STORE, s))])
    write_payouts(out_dir, payouts)
    write_measures(out_dir, measures)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
