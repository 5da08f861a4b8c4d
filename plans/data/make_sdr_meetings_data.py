#!/usr/bin/env python3
"""Writes the sample data of plans/sdr_meetings.tally (plans/data/sdr_meetings/*.csv).

Made up by this script from a fixed seed, so it is reproducible:
    python3 plans/data/make_sdr_meetings_data.py plans/data/sdr_meetings
One activity log, as a CRM exports it: meetings (qualified, no-show,
disqualified; amount 0) and opportunities (converted or rejected, with their
pipeline amount), for six SDRs over the first half of 2026, and one SDR manager who is paid by
another plan (no SDR payout).
"""
import csv
import datetime
import random
import sys

SDRS = [("amy", "Amy Nolan", 9), ("bao", "Bao Tran", 13), ("cid", "Cid Moreau", 6),
        ("dev", "Dev Patel", 15), ("eva", "Eva Lund", 11), ("fin", "Fin Walsh", 4)]


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(out_dir):
    rng = random.Random(7301)
    write(f"{out_dir}/payees.csv", ["id", "name", "role"],
          [(s, n, "SDR") for s, n, _ in SDRS] + [("gil", "Gil Okafor", "MGR")])
    rows = []
    for sid, _, pace in SDRS:
        for month in range(1, 7):
            # Busier reps set more meetings; the pace wanders a little month to month.
            for _ in range(max(0, pace + rng.randint(-4, 4))):
                day = rng.randint(1, 28)
                outcome = rng.choices(["Qualified", "No-show", "Disqualified"], [7, 2, 1])[0]
                rows.append([datetime.date(2026, month, day).isoformat(), sid, "Meeting", outcome,
                             "0"])
            for _ in range(rng.randint(0, 2)):
                day = rng.randint(1, 28)
                outcome = rng.choices(["Converted", "Rejected"], [3, 2])[0]
                amount = rng.choice([12_000, 25_000, 40_000, 50_000, 75_000, 120_000])
                amount += rng.randint(0, 99) * 100
                rows.append([datetime.date(2026, month, day).isoformat(), sid, "Opportunity",
                             outcome, f"{amount}.00"])
    rows.sort()
    write(f"{out_dir}/activities.csv", ["id", "logged_on", "sdr_id", "kind", "outcome", "amount"],
          [[f"A-{n:04d}", *r] for n, r in enumerate(rows, 1)])


if __name__ == "__main__":
    main(sys.argv[1])
