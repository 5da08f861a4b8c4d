"""A small monthly plan and its data for the ledger tests (test_ledger.py,
test_ledger_kill.py): commission = 5% of each payee's bookings in the month,
so every expected amount is worked out by hand in the tests."""
import os
import sqlite3
import subprocess
from decimal import Decimal

PLAN = """plan "Ledger test" version 1
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

payout commission = 5% * bookings
"""


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def make_project(work, deals):
    """plan.tally and data/ in `work`; deals are (id, date, owner, amount) tuples."""
    write(os.path.join(work, "plan.tally"), PLAN)
    write_deals(work, deals)


def write_deals(work, deals):
    data = os.path.join(work, "data")
    os.makedirs(data, exist_ok=True)
    write(os.path.join(data, "deals.csv"),
          "id,close_date,owner_id,amount\n" + "".join(",".join(d) + "\n" for d in deals))
    write(os.path.join(data, "payees.csv"), "id,name,role\nann,Ann,AE\nbob,Bob,AE\n")


def tally(binary, *args, env=None):
    return subprocess.run([binary, *args], capture_output=True, text=True, env=env)


def run_args(work, period, *more, ledger=None):
    """`tally run` of one period into the ledger `ledger` (default: tally.db beside the plan)."""
    return ["run", os.path.join(work, "plan.tally"), "--data", os.path.join(work, "data"),
            "--period", period, "--quiet", *more] + (["--ledger", ledger] if ledger else ["--ledger"])


def dump(db_path, blank_times=False):
    """Every row of every table, sorted, as a comparable value. With
    blank_times, when and by whom a run ran is left out (two runs of the same
    inputs at different times)."""
    db = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for table in tables:
            columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
            rows = []
            for row in db.execute(f"SELECT * FROM {table}"):
                row = list(row)
                if blank_times and table == "runs":
                    for name in ("started_utc", "user"):
                        row[columns.index(name)] = ""
                rows.append(tuple(row))
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        db.close()


def integrity(db_path):
    db = sqlite3.connect(db_path)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def query(db_path, sql, *params):
    db = sqlite3.connect(db_path)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def latest_run(db_path, period):
    """The id of the latest run that recorded `period`."""
    return query(db_path, "SELECT MAX(run_id) FROM run_periods WHERE period = ?", period)[0][0]


def payouts_of(db_path, period):
    """{(payee, component): Decimal} of the latest run of `period`."""
    return {(p, c): Decimal(a) for p, c, a in query(
        db_path, "SELECT payee, component, amount FROM payouts WHERE run_id = ? AND period = ?",
        latest_run(db_path, period), period)}
