#!/usr/bin/env python3
"""Writes the sample data of plans/ramp_draw.tally (plans/data/ramp_draw/*.csv).

Made up by this script from a fixed seed, so it is reproducible:
    python3 plans/data/make_ramp_draw_data.py plans/data/ramp_draw
Three tenured AEs (one leaves on August 20th), three AEs hired during 2026
(on the 1st of a month, mid-June and mid-September) whose bookings ramp up
over their first months, annual quotas, and deals in whole dollars.
"""
import calendar
import csv
import datetime
import random
import sys

AES = [  # id, name, hire date, end date, annual quota, pace
    ("kai", "Kai Lopez", "2023-04-03", "", 180_000, 1.1),
    ("lea", "Lea Moretti", "2024-09-16", "2026-08-20", 150_000, 0.9),
    ("moe", "Moe Nakamura", "2025-01-06", "", 144_000, 1.3),
    ("nia", "Nia Owusu", "2026-02-01", "", 120_000, 1.0),
    ("oli", "Oli Petrov", "2026-06-16", "", 120_000, 1.2),
    ("pam", "Pam Quist", "2026-09-10", "", 132_000, 0.8),
]
RAMP = [0.15, 0.4, 0.7]  # share of full pace in the first three months employed


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(out_dir):
    rng = random.Random(8086)
    write(f"{out_dir}/payees.csv", ["id", "name", "role", "hire_date", "end_date"],
          [(a, n, "AE", h, e) for a, n, h, e, _, _ in AES])
    write(f"{out_dir}/annual_quotas.csv", ["payee", "annual_quota"],
          [(a, q) for a, _, _, _, q, _ in AES])
    deals = []
    for aid, _, hired, ends, quota, pace in AES:
        hire = datetime.date.fromisoformat(hired)
        end = datetime.date.fromisoformat(ends) if ends else datetime.date(2026, 12, 31)
        for month in range(1, 13):
            first = datetime.date(2026, month, 1)
            last = datetime.date(2026, month, calendar.monthrange(2026, month)[1])
            start, stop = max(first, hire), min(last, end)
            if start > stop:
                continue
            tenure = (2026 - hire.year) * 12 + month - hire.month
            factor = RAMP[tenure] if tenure < len(RAMP) else 1.0
            target = quota / 12 * pace * factor * rng.uniform(0.6, 1.4)
            count = rng.randint(1, 3)
            for _ in range(count):
                day = start + datetime.timedelta(days=rng.randint(0, (stop - start).days))
                deals.append([day.isoformat(), aid, int(target / count * rng.uniform(0.8, 1.2))])
    deals.sort()
    write(f"{out_dir}/deals.csv", ["id", "close_date", "owner_id", "amount"],
          [[f"RD-{n:04d}", *d] for n, d in enumerate(deals, 1)])


if __name__ == "__main__":
    main(sys.argv[1])
