#!/usr/bin/env python3
"""Writes the demo plan's sample data (plans/data/demo/*.csv).

The data is made up by this script, deterministically (fixed seed), so the
repository ships no third-party data. Run it again to reproduce the files:
    python3 plans/data/make_demo_data.py plans/data/demo
"""
import csv
import datetime
import random
import sys

PAYEES = [
    ("ann", "Ann Lee", "AE"),
    ("bob", "Bob Stone", "AE"),
    ("cho", "Cho Park", "AE"),
    ("dee", "Dee Novak", "AE"),
    ("sam", "Sam Ortiz", "SE"),
    ("sue", "Sue Marsh", "SE"),
    ("max", "Max Hill", "MGR"),
]


def main(out_dir):
    rng = random.Random(42)
    with open(f"{out_dir}/payees.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "role"])
        w.writerows(PAYEES)

    aes = [p[0] for p in PAYEES if p[2] == "AE"]
    ses = [p[0] for p in PAYEES if p[2] == "SE"]
    start = datetime.date(2026, 1, 1)
    with open(f"{out_dir}/deals.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "close_date", "owner_id", "se_id", "segment", "type", "stage", "amount"])
        for n in range(1, 61):
            close = start + datetime.timedelta(days=rng.randrange(365))
            segment = rng.choices(["SMB", "MM", "ENT"], [5, 3, 2])[0]
            base = {"SMB": 12_000, "MM": 40_000, "ENT": 110_000}[segment]
            cents = int(base * rng.uniform(0.4, 1.8) * 100)
            w.writerow([
                f"D-{n:04d}",
                close.isoformat(),
                rng.choice(aes),
                rng.choice(ses),
                segment,
                rng.choices(["New", "Renewal", "Upsell"], [4, 4, 2])[0],
                rng.choices(["Won", "Lost"], [6, 4])[0],
                f"{cents // 100}.{cents % 100:02d}",
            ])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "plans/data/demo")
