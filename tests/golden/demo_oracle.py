#!/usr/bin/env python3
"""An independent oracle for plans/demo.tally, written from the plan's text in
plain Python with the decimal module (no Tally code involved). It writes the
payouts and measures Tally must produce, so the golden files are never copied
from Tally's own output.

    python3 tests/golden/demo_oracle.py plans/data/demo OUT_DIR
"""
import csv
import sys
from decimal import Decimal, ROUND_HALF_EVEN, localcontext

CENT = Decimal("0.01")


def pct(text):
    # A percent literal is its number times 0.01, exactly, as the language defines it.
    return Decimal(text) * Decimal("0.01")


def main(data_dir, out_dir):
    with localcontext() as ctx:
        ctx.prec = 60  # plenty: every operation here is exact
        payees = list(csv.DictReader(open(f"{data_dir}/payees.csv", newline="")))
        deals = list(csv.DictReader(open(f"{data_dir}/deals.csv", newline="")))

        credits = []  # (payee, quarter, kind, deal, amount)
        for d in deals:
            if d["stage"] != "Won":
                continue
            month = int(d["close_date"][5:7])
            quarter = (month - 1) // 3 + 1
            amount = Decimal(d["amount"])
            credits.append((d["owner_id"], quarter, "direct", d, amount * pct("100")))
            credits.append((d["se_id"], quarter, "overlay", d, amount * pct("50")))

        payout_rows, measure_rows = [], []
        for p in payees:
            pid, role = p["id"], p["role"]
            for q in range(1, 5):
                mine = [c for c in credits if c[0] == pid and c[1] == q]
                bookings = sum((c[4] for c in mine), Decimal(0))
                enterprise = sum((c[4] for c in mine if c[3]["segment"] == "ENT"), Decimal(0))
                new_logos = sum(1 for c in mine if c[2] == "direct" and c[3]["type"] == "New"
                                and Decimal(c[3]["amount"]) >= Decimal("50000"))
                label = f"2026-Q{q}"
                measure_rows.append([pid, label, "bookings", str(bookings)])
                measure_rows.append([pid, label, "enterprise_bookings", str(enterprise)])
                measure_rows.append([pid, label, "new_logos", str(new_logos)])

                def pay(name, value):
                    value = value.quantize(CENT, rounding=ROUND_HALF_EVEN)
                    payout_rows.append([pid, label, name, f"{value:.2f}"])

                if role == "AE":
                    pay("commission", min(pct("8") * bookings + pct("2") * enterprise, Decimal("25000")))
                    if q == 1:
                        pay("new_logo_spiff", Decimal("500") * new_logos)
                if role == "SE":
                    pay("se_commission", pct("4") * bookings)

    with open(f"{out_dir}/payouts.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["payee", "period", "component", "amount"])
        w.writerows(payout_rows)
    with open(f"{out_dir}/measures.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["payee", "period", "measure", "value"])
        w.writerows(measure_rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
