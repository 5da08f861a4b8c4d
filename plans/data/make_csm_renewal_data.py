#!/usr/bin/env python3
"""Writes the sample data of plans/csm_renewal.tally (plans/data/csm_renewal/*.csv).

Made up by this script from a fixed seed, so it is reproducible:
    python3 plans/data/make_csm_renewal_data.py plans/data/csm_renewal
Six CSMs and their accounts' renewals over 2026 (whole dollars, 12, 24 or 36
month terms, some lost); some renewed accounts churn later: within 180 days
(clawed back), after it (kept), or after the end of 2026 (outside the run).
"""
import csv
import datetime
import random
import sys

CSMS = [("cam", "Cam Little"), ("dee", "Dee Moss"), ("ema", "Ema Nkemelu"),
        ("gia", "Gia Ortega"), ("hal", "Hal Price"), ("ivy", "Ivy Quinn")]


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(out_dir):
    rng = random.Random(2718)
    roster = [(c, n, "CSM") for c, n in CSMS] + [("vp", "Val Reyes", "VP")]
    write(f"{out_dir}/payees.csv", ["id", "name", "role"], sorted(roster))
    rows = []
    for n in range(1, 73):
        renewed = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        stage = rng.choices(["Renewed", "Lost"], [5, 1])[0]
        churned = ""
        if stage == "Renewed" and rng.random() < 0.2:
            churned = (renewed + datetime.timedelta(days=rng.choice([30, 90, 150, 179, 180, 181,
                                                                     240]))).isoformat()
        rows.append([renewed.isoformat(), rng.choice(CSMS)[0], f"Account {n:03d}",
                     rng.choice([12, 12, 24, 36]), stage, rng.randint(8, 120) * 500, churned])
    rows.sort()
    write(f"{out_dir}/renewals.csv",
          ["id", "renewed_on", "csm_id", "account", "term_months", "stage", "amount", "churned_on"],
          [[f"RN-{n:04d}", *r] for n, r in enumerate(rows, 1)])


if __name__ == "__main__":
    main(sys.argv[1])
