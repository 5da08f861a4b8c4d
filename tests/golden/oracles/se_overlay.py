#!/usr/bin/env python3
"""Independent oracle for plans/se_overlay.tally, from the plan's text in plain
Python with `decimal`: each won deal credits its owner (direct) and the owner
of its territory (overlay), the territory being the matching one of highest
priority (Strategic 2 > West.CA 1 > West, Central, East 0). AEs earn 8% of
direct bookings, SEs 2% of overlay bookings to 500_000 USD a quarter, 3% above.

    python3 tests/golden/oracles/se_overlay.py plans/data/se_overlay OUT_DIR
"""
import os
import sys
from decimal import Decimal, localcontext

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_tables import (  # noqa: E402
    date, marginal, paid, pct, quarter_label, read, write_measures, write_payouts)

# (name, priority, owner, predicate), as the plan declares them.
TERRITORIES = [
    ("West", 0, "sam", lambda d: d["account_state"] in {"CA", "OR", "WA", "NV", "AZ"}),
    ("West.CA", 1, "sky", lambda d: d["account_state"] == "CA"),
    ("Central", 0, "sue", lambda d: d["account_state"] in {"TX", "IL", "CO", "MN"}),
    ("East", 0, "sol", lambda d: d["account_state"] in {"NY", "NJ", "MA", "CT", "PA"}),
    ("Strategic", 2, "sid",
     lambda d: d["segment"] == "ENT" and Decimal(d["amount"]) >= Decimal("250000")),
]
SE_TIERS = [(Decimal(0), Decimal("500000"), pct("2")), (Decimal("500000"), None, pct("3"))]


def territory_owner(deal):
    matches = [t for t in TERRITORIES if t[3](deal)]
    top = max(t[1] for t in matches)
    best = [t for t in matches if t[1] == top]
    assert len(best) == 1, f"deal {deal['id']} matches {best}: the data must not be ambiguous"
    return best[0][2]


def main(data_dir, out_dir):
    with localcontext() as ctx:
        ctx.prec = 60
        payees = read(f"{data_dir}/payees.csv")
        direct, overlay = {}, {}
        for d in read(f"{data_dir}/deals.csv"):
            if d["stage"] != "Won":
                continue
            period = quarter_label(date(d["close_date"]))
            amount = Decimal(d["amount"])
            key = (d["owner_id"], period)
            direct[key] = direct.get(key, Decimal(0)) + amount * pct("100")
            key = (territory_owner(d), period)
            overlay[key] = overlay.get(key, Decimal(0)) + amount * pct("100")
        payouts, measures = [], []
        for p in payees:
            for q in range(1, 5):
                key = (p["id"], f"2026-Q{q}")
                b, o = direct.get(key, Decimal(0)), overlay.get(key, Decimal(0))
                measures += [[*key, "bookings", str(b)], [*key, "overlay_bookings", str(o)]]
                if p["role"] == "AE":
                    payouts.append([*key, "ae_commission", paid(pct("8") * b)])
                if p["role"] == "SE":
                    payouts.append([*key, "se_commission", paid(marginal(SE_TIERS, o))])
    write_payouts(out_dir, payouts)
    write_measures(out_dir, measures)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
