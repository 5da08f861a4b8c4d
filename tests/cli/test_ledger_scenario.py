#!/usr/bin/env python3
"""The worked scenario of issue 9 (docs/adjustments.md): pay January, close
it, a deal from January is cancelled in March, and a quota is corrected for
February after February closed. The March run must post exactly these
adjustment lines, worked out by hand, and leave the closed rows alone.

Plan: monthly, commission = 5% of bookings + 5% more of bookings above the
month's quota, rounded half-even to cents; cancelled deals earn no credit.

    month    ann deals          ann quota   bob deals   bob quota
    2026-01  D1 10000, D2 6000  12000       D3 8000     10000
    2026-02  D4 5000            10000       D5 12000    12000 (corrected to 9000 in March)
    2026-03  D6 9000            8000        D7 4000     10000

January, paid and closed: ann 5% x 16000 + 5% x (16000 - 12000) = 800 + 200
= 1000.00; bob 5% x 8000 = 400.00.
February, paid and closed: ann 5% x 5000 = 250.00; bob 5% x 12000 = 600.00.
March (D2 cancelled, bob's February quota 9000):
  payouts: ann 5% x 9000 + 5% x 1000 = 500.00; bob 5% x 4000 = 200.00
  January again: ann 5% x 10000 = 500.00 (now below quota), paid 1000.00
    -> ann, commission, origin 2026-01: -500.00; bob unchanged (no line)
  February again: bob 5% x 12000 + 5% x 3000 = 750.00, paid 600.00
    -> bob, commission, origin 2026-02: +150.00; ann unchanged (no line)
Version 2 effective 2026-03-01 (base rate 6%) pays March ann 6% x 9000 + 50
= 590.00, bob 6% x 4000 = 240.00, and the adjustments stay -500.00/+150.00
because January and February are recomputed under version 1 (under version
2, ann's January would give -400.00 and bob's January +80.00).

The ledger is read with Python's sqlite3 through the schema documented in
ledger/ledger.hpp (tables runs, run_periods, payouts, adjustments, paid).

    test_ledger_scenario.py TALLY_BINARY PROJECT_DIR
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from decimal import Decimal

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import check, finish  # noqa: E402

TALLY = sys.argv[1]

PLAN = """plan "Scenario" version {version}{effective}
  currency USD
  periods month
  rounding half_even to 0.01

source deals {{
  id: text key
  close_date: date
  owner: payee from "owner_id"
  amount: money
  status: text
}}

roster payees {{ id: text key, name: text, role: text }}

source quotas {{
  rep_id: payee
  for_month: period
  quota_amount: money
}}

table quota(payee, period): money from quotas(rep_id, for_month, quota_amount)

credit booked from deals where deal.status != "Cancelled" on deal.close_date {{
  deal.owner gets 100%
}}

measure bookings: money = sum(credit.amount)

payout commission = {rate} * bookings + 5% * max(bookings - quota(payee, period), 0 USD)
"""

DEALS = [  # id, close_date, owner, amount, status
    ["D1", "2026-01-10", "ann", "10000", "Open"],
    ["D2", "2026-01-20", "ann", "6000", "Open"],
    ["D3", "2026-01-15", "bob", "8000", "Open"],
    ["D4", "2026-02-05", "ann", "5000", "Open"],
    ["D5", "2026-02-12", "bob", "12000", "Open"],
    ["D6", "2026-03-03", "ann", "9000", "Open"],
    ["D7", "2026-03-10", "bob", "4000", "Open"],
]
QUOTAS = {  # (payee, month) -> quota
    ("ann", "2026-01"): "12000", ("bob", "2026-01"): "10000",
    ("ann", "2026-02"): "10000", ("bob", "2026-02"): "12000",
    ("ann", "2026-03"): "8000", ("bob", "2026-03"): "10000",
}


def tally(*args):
    return subprocess.run([TALLY, *args], capture_output=True, text=True)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def write_plan(work, version=1, effective="", rate="5%"):
    eff = f" effective {effective}" if effective else ""
    write(os.path.join(work, "plan.tally"), PLAN.format(version=version, effective=eff, rate=rate))


def write_data(work, deals, quotas):
    data = os.path.join(work, "data")
    os.makedirs(data, exist_ok=True)
    write(os.path.join(data, "deals.csv"),
          "id,close_date,owner_id,amount,status\n" + "".join(",".join(d) + "\n" for d in deals))
    write(os.path.join(data, "payees.csv"), "id,name,role\nann,Ann,AE\nbob,Bob,AE\n")
    write(os.path.join(data, "quotas.csv"),
          "rep_id,for_month,quota_amount\n"
          + "".join(f"{p},{m},{q}\n" for (p, m), q in sorted(quotas.items())))


def run(work, period):
    return tally("run", os.path.join(work, "plan.tally"), "--data", os.path.join(work, "data"),
                 "--period", period, "--ledger", os.path.join(work, "tally.db"),
                 "--out", os.path.join(work, "out", period), "--quiet")


def close(work, period):
    return tally("close", os.path.join(work, "plan.tally"), period,
                 "--ledger", os.path.join(work, "tally.db"))


def explain(work, period, *more):
    return tally("explain", os.path.join(work, "plan.tally"), "--data", os.path.join(work, "data"),
                 "--payee", "ann", "--period", period, "--closed",
                 "--ledger", os.path.join(work, "tally.db"), *more)


def query(work, sql, *params):
    db = sqlite3.connect(os.path.join(work, "tally.db"))
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def latest_run(work, period):
    rows = query(work, "SELECT MAX(run_id) FROM run_periods WHERE period = ?", period)
    return rows[0][0]


def payouts_of(work, period):
    run_id = latest_run(work, period)
    return {(payee, component): Decimal(amount) for payee, component, amount in query(
        work, "SELECT payee, component, amount FROM payouts WHERE run_id = ? AND period = ?",
        run_id, period)}


def adjustments_of(work, period):
    run_id = latest_run(work, period)
    return sorted((payee, component, origin, posted, Decimal(amount))
                  for payee, component, origin, posted, amount in query(
                      work, "SELECT payee, component, origin_period, posted_period, amount "
                      "FROM adjustments WHERE run_id = ?", run_id))


def paid_of(work, period):
    return sorted((payee, component, origin, amount) for payee, component, origin, amount in query(
        work, "SELECT payee, component, origin_period, amount FROM paid WHERE period = ?",
        period))


def counts(work):
    return {table: query(work, f"SELECT COUNT(*) FROM {table}")[0][0]
            for table in ("runs", "payouts", "adjustments", "paid", "plan_texts")}


def ok(name, result):
    check(name, result.returncode == 0,
          f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result.returncode == 0


help_run = tally("run", "--help").stdout
if "--ledger" not in help_run or "not available" in tally("close", "--help").stdout:
    print("skip: this tally has no ledger yet (tally run --ledger, tally close)")
    sys.exit(77)

D = Decimal
work = tempfile.mkdtemp(prefix="tally_ledger_scenario_")
try:
    write_plan(work)
    write_data(work, DEALS, QUOTAS)

    # January: run, check, close.
    if not ok("run 2026-01", run(work, "2026-01")):
        finish()
    check("January payouts", payouts_of(work, "2026-01") ==
          {("ann", "commission"): D("1000.00"), ("bob", "commission"): D("400.00")},
          str(payouts_of(work, "2026-01")))
    ok("close 2026-01", close(work, "2026-01"))
    jan_paid = paid_of(work, "2026-01")
    check("January paid as computed", jan_paid == [("ann", "commission", "2026-01", "1000.00"),
                                                   ("bob", "commission", "2026-01", "400.00")],
          str(jan_paid))

    # explain of closed January while nothing changed.
    ex = explain(work, "2026-01")
    ok("explain closed January", ex)
    check("explain says the data is unchanged", "unchanged" in ex.stdout, ex.stdout)
    check("explain shows what was paid", "1000.00" in ex.stdout, ex.stdout)

    # February: run (nothing changed: no adjustment), close.
    ok("run 2026-02", run(work, "2026-02"))
    check("February payouts", payouts_of(work, "2026-02") ==
          {("ann", "commission"): D("250.00"), ("bob", "commission"): D("600.00")},
          str(payouts_of(work, "2026-02")))
    check("February posts no adjustment", adjustments_of(work, "2026-02") == [],
          str(adjustments_of(work, "2026-02")))
    ok("close 2026-02", close(work, "2026-02"))
    feb_paid = paid_of(work, "2026-02")

    # March: D2 is cancelled, bob's February quota corrected 12000 -> 9000.
    deals = [d if d[0] != "D2" else d[:4] + ["Cancelled"] for d in DEALS]
    quotas = dict(QUOTAS)
    quotas[("bob", "2026-02")] = "9000"
    write_data(work, deals, quotas)
    ok("run 2026-03", run(work, "2026-03"))
    check("March payouts", payouts_of(work, "2026-03") ==
          {("ann", "commission"): D("500.00"), ("bob", "commission"): D("200.00")},
          str(payouts_of(work, "2026-03")))
    expected = [("ann", "commission", "2026-01", "2026-03", D("-500.00")),
                ("bob", "commission", "2026-02", "2026-03", D("150.00"))]
    check("March posts exactly the hand-worked adjustments", adjustments_of(work, "2026-03") ==
          expected, str(adjustments_of(work, "2026-03")))
    check("January's closed rows unchanged", paid_of(work, "2026-01") == jan_paid,
          str(paid_of(work, "2026-01")))
    check("February's closed rows unchanged", paid_of(work, "2026-02") == feb_paid,
          str(paid_of(work, "2026-02")))

    # Rerunning March with the same inputs posts nothing new.
    before = counts(work)
    ok("rerun 2026-03", run(work, "2026-03"))
    check("rerun of March changes nothing", counts(work) == before,
          f"before {before}\nafter {counts(work)}")

    # Explain of closed January now says the data changed since.
    ex = explain(work, "2026-01")
    ok("explain closed January after the change", ex)
    check("explain says the deals file changed", "CHANGED" in ex.stdout and "deals" in ex.stdout,
          ex.stdout)
    check("explain warns on stderr too", "warning" in ex.stderr, ex.stderr)
    check("explain still shows what was paid", "1000.00" in ex.stdout, ex.stdout)

    # Version 2, effective from March: March under version 2, January and
    # February recomputed under version 1.
    write_plan(work, version=2, effective="2026-03-01", rate="6%")
    ok("run 2026-03 under version 2", run(work, "2026-03"))
    check("March paid under version 2", payouts_of(work, "2026-03") ==
          {("ann", "commission"): D("590.00"), ("bob", "commission"): D("240.00")},
          str(payouts_of(work, "2026-03")))
    check("closed months recomputed under version 1", adjustments_of(work, "2026-03") ==
          expected, str(adjustments_of(work, "2026-03")))
    ex = explain(work, "2026-01")
    ok("explain closed January under version 2's plan file", ex)
    check("explain of January uses the plan as it was then (5%, version 1)",
          "version 1" in ex.stdout and "5%" in ex.stdout and "6%" not in ex.stdout, ex.stdout)
finally:
    shutil.rmtree(work, ignore_errors=True)
finish()
