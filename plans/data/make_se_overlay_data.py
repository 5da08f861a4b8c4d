#!/usr/bin/env python3
"""Writes the sample data of plans/se_overlay.tally (plans/data/se_overlay/*.csv).

Made up by this script from a fixed seed, so it is reproducible:
    python3 plans/data/make_se_overlay_data.py plans/data/se_overlay
Five AEs selling into 14 states (every state in some territory), SMB/MM/ENT
segments; a few enterprise deals are large enough to be strategic.
"""
import csv
import datetime
import random
import sys

PAYEES = [("ana", "Ana Ruiz", "AE"), ("ben", "Ben Olsen", "AE"), ("cat", "Cat Nguyen", "AE"),
          ("dan", "Dan Fox", "AE"), ("eve", "Eve Stark", "AE"), ("sam", "Sam Ortiz", "SE"),
          ("sid", "Sid Kapoor", "SE"), ("sky", "Sky Chen", "SE"), ("sol", "Sol Berg", "SE"),
          ("sue", "Sue Marsh", "SE")]
STATES = ["CA", "OR", "WA", "NV", "AZ", "TX", "IL", "CO", "MN", "NY", "NJ", "MA", "CT", "PA"]


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(out_dir):
    rng = random.Random(4242)
    write(f"{out_dir}/payees.csv", ["id", "name", "role"], PAYEES)
    aes = [p[0] for p in PAYEES if p[2] == "AE"]
    start = datetime.date(2026, 1, 1)
    rows = []
    for n in range(1, 91):
        segment = rng.choices(["SMB", "MM", "ENT"], [4, 4, 2])[0]
        base = {"SMB": 15_000, "MM": 60_000, "ENT": 220_000}[segment]
        cents = int(base * rng.uniform(0.5, 1.6) * 100)
        close = start + datetime.timedelta(days=rng.randrange(365))
        rows.append([f"SE-{n:04d}", close.isoformat(), rng.choice(aes), rng.choice(STATES), segment,
                     rng.choices(["Won", "Lost"], [7, 3])[0], f"{cents // 100}.{cents % 100:02d}"])
    rows.sort(key=lambda r: (r[1], r[0]))
    write(f"{out_dir}/deals.csv",
          ["id", "close_date", "owner_id", "account_state", "segment", "stage", "amount"], rows)


if __name__ == "__main__":
    main(sys.argv[1])
