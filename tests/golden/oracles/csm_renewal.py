#!/usr/bin/env python3
"""Independent oracle for plans/csm_renewal.tally, from the plan's text in plain
Python with `decimal`: per CSM and quarter, 6% of renewal bookings and 2% of
multi-year (24+ months) renewal bookings. A renewal whose account churned
within 180 days of it (renewed_on <= churned_on <= renewed_on + 180 days) has
what it earned charged back in the quarter of the churn: 6% of its amount from
`renewal_commission`, and 2% from `multi_year_kicker` if it is multi-year (a
one-year renewal earned no kicker, so none is charged back). Charges are
written as `<payout>_clawback` rows (negative, after the payouts, only when
not zero); churns after 2026 fall outside the run.

    python3 tests/golden/oracles/csm_renewal.py plans/data/csm_renewal OUT_DIR
"""
import datetime
import os
import sys
from decimal import Decimal, localcontext

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_tables import (  # noqa: E402
    date, paid, pct, quarter_label, read, write_measures, write_payouts)


def add(table, key, value):
    table[key] = table.get(key, Decimal(0)) + value


def main(data_dir, out_dir):
    with localcontext() as ctx:
        ctx.prec = 60
        payees = read(f"{data_dir}/payees.csv")
        bookings, multi, back_commission, back_kicker = {}, {}, {}, {}
        for r in read(f"{data_dir}/renewals.csv"):
            if r["stage"] != "Renewed":
                continue
            renewed = date(r["renewed_on"])
            credit = Decimal(r["amount"]) * pct("100")
            key = (r["csm_id"], quarter_label(renewed))
            add(bookings, key, credit)
            is_multi = int(r["term_months"]) >= 24
            if is_multi:
                add(multi, key, credit)
            if r["churned_on"]:
                churned = date(r["churned_on"])
                if renewed <= churned <= renewed + datetime.timedelta(days=180):
                    charge = (r["csm_id"], quarter_label(churned))
                    add(back_commission, charge, pct("6") * credit)
                    if is_multi:
                        add(back_kicker, charge, pct("2") * credit)
        payouts, measures = [], []
        for p in payees:
            for q in range(1, 5):
                key = (p["id"], f"2026-Q{q}")
                b, m = bookings.get(key, Decimal(0)), multi.get(key, Decimal(0))
                measures += [[*key, "renewal_bookings", str(b)],
                             [*key, "multi_year_bookings", str(m)]]
                if p["role"] != "CSM":
                    continue
                payouts.append([*key, "renewal_commission", paid(pct("6") * b)])
                payouts.append([*key, "multi_year_kicker", paid(pct("2") * m)])
                for name, table in (("renewal_commission", back_commission),
                                    ("multi_year_kicker", back_kicker)):
                    if table.get(key, Decimal(0)) != 0:
                        payouts.append([*key, f"{name}_clawback", paid(-table[key])])
    write_payouts(out_dir, payouts)
    write_measures(out_dir, measures)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
