#!/usr/bin/env python3
"""Independent oracle for plans/sdr_meetings.tally, from the plan's text in plain
Python with `decimal`: per SDR and month, 150 USD per qualified meeting plus
50 USD more for each past the 12th, and 400 USD per converted opportunity plus
1% of the converted opportunities of 50_000 USD and more.

    python3 tests/golden/oracles/sdr_meetings.py plans/data/sdr_meetings OUT_DIR
"""
import os
import sys
from decimal import Decimal, localcontext

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_tables import (  # noqa: E402
    date, month_label, paid, pct, read, write_measures, write_payouts)


def main(data_dir, out_dir):
    with localcontext() as ctx:
        ctx.prec = 60
        payees = read(f"{data_dir}/payees.csv")
        meetings, conversions, large = {}, {}, {}
        for a in read(f"{data_dir}/activities.csv"):
            key = (a["sdr_id"], month_label(date(a["logged_on"])))
            if a["kind"] == "Meeting" and a["outcome"] == "Qualified":
                meetings[key] = meetings.get(key, 0) + 1
            if a["kind"] == "Opportunity" and a["outcome"] == "Converted":
                conversions[key] = conversions.get(key, 0) + 1
                credit = Decimal(a["amount"]) * pct("100")
                if credit >= Decimal("50000"):
                    large[key] = large.get(key, Decimal(0)) + credit
        payouts, measures = [], []
        for p in payees:
            for month in range(1, 13):
                key = (p["id"], f"2026-{month:02d}")
                m, c = meetings.get(key, 0), conversions.get(key, 0)
                big = large.get(key, Decimal(0))
                measures += [[*key, "qualified_meetings", str(m)], [*key, "conversions", str(c)],
                             [*key, "large_pipeline", str(big)]]
                if p["role"] == "SDR":
                    payouts.append([*key, "meeting_pay", paid(Decimal(150) * m +
                                                              Decimal(50) * max(m - 12, 0))])
                    payouts.append([*key, "conversion_pay",
                                    paid(Decimal(400) * c + pct("1") * big)])
    write_payouts(out_dir, payouts)
    write_measures(out_dir, measures)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
