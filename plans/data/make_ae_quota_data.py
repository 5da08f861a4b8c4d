#!/usr/bin/env python3
"""Writes the sample data of plans/ae_quota.tally (plans/data/ae_quota/*.csv).

Made up by this script from a fixed seed, so it is reproducible:
    python3 plans/data/make_ae_quota_data.py plans/data/ae_quota
Eight AEs with quarterly quotas; each AE has a "strength" so that the year
spans every tier (a weak rep below 50%, a star above 150% and into the cap);
a few deals are lost and a few come back as returns (negative amounts).
"""
import csv
import datetime
import random
import sys

AES = [  # id, name, quarterly quota, strength (expected attainment)
    ("ava", "Ava Brooks", 150_000, 0.35),
    ("ben", "Ben Carter", 120_000, 0.75),
    ("cal", "Cal Duarte", 100_000, 1.05),
    ("dia", "Dia Evans", 180_000, 0.95),
    ("eli", "Eli Fischer", 90_000, 1.40),
    ("fay", "Fay Gomez", 200_000, 1.70),
    ("gus", "Gus Hale", 110_000, 0.55),
    ("ida", "Ida Ikeda", 130_000, 2.40),
]


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(out_dir):
    rng = random.Random(20260101)
    write(f"{out_dir}/payees.csv", ["id", "name", "role"], [(a, n, "AE") for a, n, _, _ in AES])
    quotas = []
    for aid, _, quota, _ in AES:
        for q in range(1, 5):
            quotas.append((aid, f"2026-Q{q}", quota + 10_000 * (q - 1)))
    write(f"{out_dir}/quotas.csv", ["rep_id", "quarter", "quota_amount"], quotas)

    deals = []
    n = 0
    for aid, _, quota, strength in AES:
        for q in range(1, 5):
            target = (quota + 10_000 * (q - 1)) * strength * rng.uniform(0.8, 1.2)
            count = rng.randint(2, 4)
            for _ in range(count):
                n += 1
                month = 3 * (q - 1) + rng.randint(1, 3)
                day = rng.randint(1, 28)
                cents = int(target / count * rng.uniform(0.7, 1.3) * 100)
                stage = rng.choices(["Won", "Lost"], [5, 1])[0]
                amount = cents if stage == "Won" else cents // 2
                deals.append([f"AE-{n:04d}", datetime.date(2026, month, day).isoformat(), aid,
                              stage, f"{amount // 100}.{amount % 100:02d}"])
    # Returns: part of an earlier won deal comes back later in the year.
    for deal in rng.sample([d for d in deals if d[3] == "Won" and d[1] < "2026-10"], 4):
        n += 1
        back = int(float(deal[4]) * 100) // 4
        when = datetime.date.fromisoformat(deal[1]) + datetime.timedelta(days=rng.randint(20, 60))
        deals.append([f"AE-{n:04d}", when.isoformat(), deal[2], "Returned",
                      f"-{back // 100}.{back % 100:02d}"])
    deals.sort(key=lambda d: (d[1], d[0]))
    write(f"{out_dir}/deals.csv", ["id", "close_date", "owner_id", "stage", "amount"], deals)


if __name__ == "__main__":
    main(sys.argv[1])
