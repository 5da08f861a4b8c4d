#!/usr/bin/env python3
"""Writes the sample data of plans/partner_rebate.tally (plans/data/partner_rebate/*.csv).

Made up by this script from a fixed seed, so it is reproducible:
    python3 plans/data/make_partner_rebate_data.py plans/data/partner_rebate
Seven resale partners of different sizes (so quarters land in each rebate
tier), a year of invoiced orders in whole dollars, a few credit notes, and a
distributor account that is not a partner (no rebate).
"""
import csv
import datetime
import random
import sys

PARTNERS = [("acme", "Acme Resellers", 40_000), ("bolt", "Bolt IT", 25_000),
            ("core", "Core Systems", 120_000), ("dyna", "Dyna Partners", 70_000),
            ("echo", "Echo Solutions", 10_000), ("flux", "Flux Networks", 95_000),
            ("gala", "Gala Tech", 55_000)]


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(out_dir):
    rng = random.Random(31415)
    roster = [(p, n, "PARTNER") for p, n, _ in PARTNERS] + [("zeta", "Zeta Distribution", "DIST")]
    write(f"{out_dir}/partners.csv", ["id", "name", "role"], sorted(roster))
    rows = []
    for pid, _, monthly in PARTNERS:
        for month in range(1, 13):
            target = monthly * rng.uniform(0.6, 1.4)
            count = rng.randint(1, 3)
            for _ in range(count):
                rows.append([datetime.date(2026, month, rng.randint(1, 28)).isoformat(), pid,
                             int(target / count * rng.uniform(0.8, 1.2))])
    for order in rng.sample(rows, 5):
        back = datetime.date.fromisoformat(order[0]) + datetime.timedelta(days=rng.randint(10, 40))
        if back.year == 2026:
            rows.append([back.isoformat(), order[1], -(order[2] // 3)])
    rows.sort()
    write(f"{out_dir}/orders.csv", ["id", "invoiced_on", "partner_id", "amount"],
          [[f"PO-{n:04d}", *r] for n, r in enumerate(rows, 1)])


if __name__ == "__main__":
    main(sys.argv[1])
