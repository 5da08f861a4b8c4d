#!/usr/bin/env python3
"""Crash safety of the ledger (docs/ledger.md): `tally run --ledger` is
killed with SIGKILL after a random delay, many times; after each kill the
ledger must pass PRAGMA integrity_check and be exactly as it was before that
run or exactly as the same run leaves it when it completes, never between.

To hit the inside of the transaction reliably, the runs set
TALLY_LEDGER_TEST_PAUSE_MS: the run sleeps that long half-way through its
payout rows, inside its transaction. Kill delays are drawn around it, so
kills land before, inside and after the transaction. Each round changes a
deal so that every run writes new rows. A few seconds in total.

    test_ledger_kill.py TALLY_BINARY PROJECT_DIR
"""
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish  # noqa: E402
from ledger_fixture import dump, integrity, make_project, run_args, write_deals  # noqa: E402

TALLY = sys.argv[1]
ROUNDS = 14
PAUSE_MS = 120


def deals(round_number):
    return [("D1", "2026-01-10", "ann", str(1000 + round_number)),
            ("D2", "2026-01-15", "bob", "2000"),
            ("D3", "2026-01-20", "ann", "300")]


def backup(source, target):
    """A consistent copy of the ledger (WAL included), through SQLite."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


rng = random.Random(int(os.environ.get("TALLY_KILL_SEED", "9")))
work = tempfile.mkdtemp(prefix="tally_ledger_kill_")
try:
    make_project(work, deals(0))
    db = os.path.join(work, "tally.db")
    first = subprocess.run([TALLY, *run_args(work, "2026-01")], capture_output=True, text=True)
    if first.returncode != 0:
        check("first run", False, first.stderr)
        finish()
    env = dict(os.environ, TALLY_LEDGER_TEST_PAUSE_MS=str(PAUSE_MS))
    outcomes = {"before": 0, "after": 0}
    for round_number in range(1, ROUNDS + 1):
        write_deals(work, deals(round_number))
        before = dump(db)
        saved = os.path.join(work, "before.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(saved + suffix):
                os.remove(saved + suffix)
        backup(db, saved)
        run = subprocess.Popen([TALLY, *run_args(work, "2026-01")], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, 2.0 * PAUSE_MS / 1000.0))
        run.send_signal(signal.SIGKILL)
        run.wait()
        verdict = integrity(db)
        check(f"round {round_number}: integrity_check", verdict == "ok", verdict)
        now = dump(db)
        if now == before:
            outcomes["before"] += 1
            continue
        # Not the state before: it must be the state the run leaves when it
        # completes, which the same run over the saved copy shows.
        done = subprocess.run([TALLY, *run_args(work, "2026-01", ledger=saved)],
                              capture_output=True, text=True)
        check(f"round {round_number}: reference run", done.returncode == 0, done.stderr)
        same = dump(db, blank_times=True) == dump(saved, blank_times=True)
        check(f"round {round_number}: the ledger is before or fully after the run, never between",
              same, f"before: {before}\nnow: {now}")
        outcomes["after"] += 1
    print(f"kills leaving the ledger before the run: {outcomes['before']}, "
          f"after it: {outcomes['after']}")
    check("some kills landed inside the run (ledger unchanged)", outcomes["before"] > 0,
          str(outcomes))
finally:
    shutil.rmtree(work, ignore_errors=True)
finish()
