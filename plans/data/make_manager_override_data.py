#!/usr/bin/env python3
"""Writes the sample data of plans/manager_override.tally
(plans/data/manager_override/*.csv).

Made up by this script from a fixed seed, so it is reproducible:
    python3 plans/data/make_manager_override_data.py plans/data/manager_override
A director (zoe) over two first-line managers (mia, max), each with three AEs;
quarterly quotas for the AEs only (the managers' and the director's team
quotas are roll-ups); the teams are paced around their quota, so that a team
and the organisation reach it in some quarters and miss it in others.
"""
import csv
import datetime
import random
import sys

PAYEES = [  # id, name, role, manager, quarterly quota, pace
    ("ada", "Ada Byrne", "AE", "mia", 120_000, 1.15),
    ("bea", "Bea Costa", "AE", "mia", 100_000, 0.95),
    ("cal", "Cal Dunn", "AE", "mia", 90_000, 1.05),
    ("dov", "Dov Ezra", "AE", "max", 150_000, 1.00),
    ("eli", "Eli Frost", "AE", "max", 110_000, 1.10),
    ("fox", "Fox Grant", "AE", "max", 100_000, 1.10),
    ("max", "Max Hill", "MGR", "zoe", None, None),
    ("mia", "Mia Ito", "MGR", "zoe", None, None),
    ("zoe", "Zoe Jansen", "DIR", "", None, None),
]


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(out_dir):
    rng = random.Random(1312)
    write(f"{out_dir}/payees.csv", ["id", "name", "role", "manager"], [p[:4] for p in PAYEES])
    quotas, deals = [], []
    for pid, _, role, _, quota, pace in PAYEES:
        if role != "AE":
            continue
        for q in range(1, 5):
            quotas.append((pid, f"2026-Q{q}", quota))
            target = quota * pace * rng.uniform(0.75, 1.25)
            count = rng.randint(2, 4)
            for _ in range(count):
                cents = int(target / count * rng.uniform(0.7, 1.3) * 100)
                close = datetime.date(2026, 3 * (q - 1) + rng.randint(1, 3), rng.randint(1, 28))
                stage = rng.choices(["Won", "Lost"], [5, 1])[0]
                deals.append([close.isoformat(), pid, stage, f"{cents // 100}.{cents % 100:02d}"])
    deals.sort()
    write(f"{out_dir}/quotas.csv", ["rep_id", "quarter", "quota_amount"], quotas)
    write(f"{out_dir}/deals.csv", ["id", "close_date", "owner_id", "stage", "amount"],
          [[f"MO-{n:04d}", *d] for n, d in enumerate(deals, 1)])


if __name__ == "__main__":
    main(sys.argv[1])
