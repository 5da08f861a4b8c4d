#!/usr/bin/env python3
"""Scale of the payout ledger (issue 9, item 6; docs/performance.md): a year
of monthly `tally run --ledger` runs for the reference workload's 1,210
payees (../shared/bench/WORKLOAD.md: 1,000 AE, 100 SE, 100 MGR, 10 DIR),
each month closed with `tally close`. Prints the time of each run and each
close and the size of the ledger at the end.

The data is synthetic, shaped like the workload's payees rather than its 10M
deals (running 10M deals twelve times would time the engine, not the
ledger): each payee books DEALS_PER_MONTH deals a month and the plan pays
three components (commission, accelerator, spiff), so every month records
1,210 x 3 payout rows. From February on, each month also corrects one deal
of every AE in the month before (already closed), so every run recomputes
the closed months and posts adjustment lines, as real operations would.

    python3 bench/ledger/ledger_year.py TALLY [WORK_DIR]
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

TALLY = sys.argv[1]
WORK = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="tally_ledger_bench_")
DEALS_PER_MONTH = 4

PLAN = """plan "Ledger bench" version 1
  currency USD
  periods month
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee from "owner_id"
  amount: money
}

roster payees { id: text key, name: text, role: text }

credit booked from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
measure big_deals: int = count(credit where credit.amount >= 20000 USD)

payout commission = 5% * bookings
payout accelerator = 2% * max(bookings - 50000 USD, 0 USD)
payout spiff = 100 USD * big_deals
"""


def payees():
    out = []
    for i in range(1, 1211):
        role = "AE" if i <= 1000 else "SE" if i <= 1100 else "MGR" if i <= 1200 else "DIR"
        out.append((str(i), f"{role}_{i}", role))
    return out


def deals(rng, corrected_through):
    """Every deal of the year; deals of months up to corrected_through have
    their first AE deal corrected (amount halved)."""
    rows = []
    n = 0
    for month in range(1, 13):
        for payee, _, role in payees():
            for k in range(DEALS_PER_MONTH):
                n += 1
                amount = rng.randint(1000, 40000)
                if k == 0 and role == "AE" and month <= corrected_through:
                    amount //= 2
                rows.append(f"D{n},2026-{month:02d}-{1 + k * 7:02d},{payee},{amount}.00")
    return rows


def write_data(corrected_through):
    data = os.path.join(WORK, "data")
    os.makedirs(data, exist_ok=True)
    rng = random.Random(42)  # the same amounts every time, only the corrections differ
    with open(os.path.join(data, "deals.csv"), "w") as f:
        f.write("id,close_date,owner_id,amount\n" + "\n".join(deals(rng, corrected_through)) + "\n")
    with open(os.path.join(data, "payees.csv"), "w") as f:
        f.write("id,name,role\n" + "".join(f"{p},{n},{r}\n" for p, n, r in payees()))


def timed(*args):
    start = time.perf_counter()
    result = subprocess.run([TALLY, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"tally {' '.join(args)} failed:\n{result.stderr}")
    return seconds


os.makedirs(WORK, exist_ok=True)
plan = os.path.join(WORK, "plan.tally")
db = os.path.join(WORK, "tally.db")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(db + suffix):
        os.remove(db + suffix)
with open(plan, "w") as f:
    f.write(PLAN)
print("month    run_s  close_s  ledger_MB")
for month in range(1, 13):
    label = f"2026-{month:02d}"
    write_data(corrected_through=month - 1)
    run_s = timed("run", plan, "--data", os.path.join(WORK, "data"), "--period", label,
                  "--ledger", "--quiet", "--threads", "1")
    close_s = timed("close", plan, label)
    size = sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s))
    print(f"{label}  {run_s:6.2f}  {close_s:7.3f}  {size / 1e6:9.2f}", flush=True)
size = sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s))
print(f"ledger after a year: {size / 1e6:.2f} MB ({db} and its WAL)")
if len(sys.argv) <= 2:
    shutil.rmtree(WORK, ignore_errors=True)
