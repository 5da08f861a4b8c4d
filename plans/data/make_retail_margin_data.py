#!/usr/bin/env python3
"""Writes the sample data of plans/retail_margin.tally (plans/data/retail_margin/*.csv).

Made up by this script from a fixed seed, so it is reproducible:
    python3 plans/data/make_retail_margin_data.py plans/data/retail_margin
Two stores, each with a manager and three associates; a year of sale lines
(revenue and cost, cents exact), a few returns (both negative), and months
whose margin lands on every tier of both rate tables.
"""
import csv
import datetime
import random
import sys

STORES = {"S1": "sm1", "S2": "sm2"}
ASSOCIATES = [("ari", "Ari Cohen", "S1", 1.0), ("bel", "Bel Diaz", "S1", 1.6),
              ("cyd", "Cyd Ekwueme", "S1", 0.7), ("dom", "Dom Ferro", "S2", 1.3),
              ("edi", "Edi Gray", "S2", 0.9), ("flo", "Flo Hart", "S2", 2.0)]


def money(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(out_dir):
    rng = random.Random(9090)
    payees = [(a, n, "ASSOC") for a, n, _, _ in ASSOCIATES]
    payees += [("sm1", "Sam Ives", "SM"), ("sm2", "Sue Jones", "SM")]
    write(f"{out_dir}/payees.csv", ["id", "name", "role"], sorted(payees))
    rows = []
    for aid, _, store, pace in ASSOCIATES:
        for month in range(1, 13):
            for _ in range(rng.randint(3, 5)):
                revenue = int(rng.uniform(2_000, 6_000) * pace * 100)
                cost = int(revenue * rng.uniform(0.55, 0.75))
                day = rng.randint(1, 28)
                rows.append([datetime.date(2026, month, day).isoformat(), store, aid,
                             STORES[store], revenue, cost])
    for sale in rng.sample(rows, 6):
        back = datetime.date.fromisoformat(sale[0]) + datetime.timedelta(days=rng.randint(3, 20))
        if back.year == 2026:
            rows.append([back.isoformat(), *sale[1:4], -(sale[4] // 2), -(sale[5] // 2)])
    rows.sort()
    write(f"{out_dir}/sales.csv",
          ["id", "sold_on", "store", "associate_id", "manager_id", "revenue", "cost"],
          [[f"R-{n:04d}", *r[:4], money(r[4]), money(r[5])] for n, r in enumerate(rows, 1)])


if __name__ == "__main__":
    main(sys.argv[1])
