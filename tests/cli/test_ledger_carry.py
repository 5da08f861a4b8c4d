#!/usr/bin/env python3
"""Draws carry over from the ledger, not from recomputation (issue 9,
docs/adjustments.md "Carried from the ledger"). Worked by hand:

Plan: monthly, commission = 10% of bookings; a recoverable draw `ramp` of
1,000 USD a month in January and February (limit 5,000 a month).

    deal  date        owner  amount
    A1    2026-01-10  ann     4000
    A2    2026-01-25  ann    10000   (arrives after January closed)
    A3    2026-02-05  ann     8000
    A4    2026-03-04  ann     3000
    B1    2026-03-10  bob     5000

January (A1 only): ann commission 400.00, ramp 1000 - 400 = 600.00, balance
600.00; bob commission 0.00, ramp 1000.00, balance 1000.00. Closed.
February, after A2 arrived:
  January recomputed: ann commission 1400.00 against 400.00 paid, so the
  line (ann, commission, 2026-01, +1000.00). Recomputed, ann would need no
  advance, but the 600.00 was paid: it is final, no line for `ramp`.
  February carries ann's balance 600.00 from the ledger: commission 800.00,
  ramp 1000 - 800 = 200.00, balance 800.00; bob ramp 1000.00, balance
  2000.00. (Recomputing the balance instead would give ann 200.00, and a
  January line ramp -600.00.) Closed.
March (the draw has ended): ann commission 300.00, recovery -300.00,
balance 500.00; bob commission 500.00, recovery -500.00, balance 1500.00;
no adjustment. ann was paid 1000 + 2000 + 0 = 3000 against 2500 earned:
the 500.00 she still owes. bob: 2000 paid, 500 earned, 1500 owed.

A close written by schema 1 recorded no balances: a February run after such
a January close recomputes January's balance and adjusts its advance
(ramp -600.00, and ann's February balance is 200.00).

    test_ledger_carry.py TALLY_BINARY PROJECT_DIR
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from decimal import Decimal as D

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import check, finish  # noqa: E402
import ledger_fixture  # noqa: E402
from ledger_fixture import write  # noqa: E402

TALLY = sys.argv[1]

PLAN = """plan "Carry" version 1
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

payout commission = 10% * bookings

draw ramp when period <= period_of(2026-02-01) = 1_000 USD per month
  recoverable limit 5_000 USD per month
"""

DEALS = [("A1", "2026-01-10", "ann", "4000"), ("A3", "2026-02-05", "ann", "8000"),
         ("A4", "2026-03-04", "ann", "3000"), ("B1", "2026-03-10", "bob", "5000")]
LATE = ("A2", "2026-01-25", "ann", "10000")


def write_deals(work, deals):
    write(os.path.join(work, "data", "deals.csv"),
          "id,close_date,owner_id,amount\n" + "".join(",".join(d) + "\n" for d in deals))


def setup(work):
    os.makedirs(os.path.join(work, "data"), exist_ok=True)
    write(os.path.join(work, "plan.tally"), PLAN)
    write(os.path.join(work, "data", "payees.csv"), "id,name,role\nann,Ann,AE\nbob,Bob,AE\n")
    write_deals(work, DEALS)


def tally(*args):
    return subprocess.run([TALLY, *args], capture_output=True, text=True)


def run(work, period):
    return tally("run", os.path.join(work, "plan.tally"), "--data", os.path.join(work, "data"),
                 "--period", period, "--ledger", os.path.join(work, "tally.db"), "--quiet")


def close(work, period):
    return tally("close", os.path.join(work, "plan.tally"), period,
                 "--ledger", os.path.join(work, "tally.db"))


def ok(name, result):
    check(name, result.returncode == 0,
          f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result.returncode == 0


def ledger_db(work):
    return os.path.join(work, "tally.db")


def query(work, sql, *params):
    return ledger_fixture.query(ledger_db(work), sql, *params)


def latest_run(work, period):
    return ledger_fixture.latest_run(ledger_db(work), period)


def payouts_of(work, period):
    return ledger_fixture.payouts_of(ledger_db(work), period)


def balances_of(work, period):
    return {(p, k, n): D(a) for p, k, n, a in query(
        work, "SELECT payee, kind, name, amount FROM balances WHERE run_id = ? AND period = ?",
        latest_run(work, period), period)}


def adjustments_of(work, period):
    return sorted((p, c, o, D(a)) for p, c, o, a in query(
        work, "SELECT payee, component, origin_period, amount FROM adjustments WHERE run_id = ?",
        latest_run(work, period)))


if "--ledger" not in tally("run", "--help").stdout:
    print("skip: this tally has no ledger")
    sys.exit(77)

work = tempfile.mkdtemp(prefix="tally_ledger_carry_")
try:
    setup(work)
    if not ok("run 2026-01", run(work, "2026-01")):
        finish()
    check("January payouts", payouts_of(work, "2026-01") == {
        ("ann", "commission"): D("400.00"), ("ann", "ramp"): D("600.00"),
        ("bob", "commission"): D("0.00"), ("bob", "ramp"): D("1000.00")},
        str(payouts_of(work, "2026-01")))
    check("January balances recorded", balances_of(work, "2026-01") == {
        ("ann", "draw", "ramp"): D("600.00"), ("bob", "draw", "ramp"): D("1000.00")},
        str(balances_of(work, "2026-01")))
    ok("close 2026-01", close(work, "2026-01"))
    check("the close froze the balances",
          sorted(query(work, "SELECT payee, amount FROM paid_balances WHERE period = '2026-01'"))
          == [("ann", "600.00"), ("bob", "1000.00")])
    schema1 = os.path.join(work, "schema1.db")
    shutil.copy(os.path.join(work, "tally.db"), schema1)

    # A2 arrives late; February carries January's balances from the ledger.
    write_deals(work, DEALS + [LATE])
    if not ok("run 2026-02", run(work, "2026-02")):
        finish()
    check("February adjustments: commission only, the advance is final",
          adjustments_of(work, "2026-02") == [("ann", "commission", "2026-01", D("1000.00"))],
          str(adjustments_of(work, "2026-02")))
    check("February payouts", payouts_of(work, "2026-02") == {
        ("ann", "commission"): D("800.00"), ("ann", "ramp"): D("200.00"),
        ("bob", "commission"): D("0.00"), ("bob", "ramp"): D("1000.00")},
        str(payouts_of(work, "2026-02")))
    check("February balances carry January's from the ledger", balances_of(work, "2026-02") == {
        ("ann", "draw", "ramp"): D("800.00"), ("bob", "draw", "ramp"): D("2000.00")},
        str(balances_of(work, "2026-02")))
    ok("close 2026-02", close(work, "2026-02"))

    if not ok("run 2026-03", run(work, "2026-03")):
        finish()
    check("March: no adjustment", adjustments_of(work, "2026-03") == [],
          str(adjustments_of(work, "2026-03")))
    check("March payouts: recoveries", payouts_of(work, "2026-03") == {
        ("ann", "commission"): D("300.00"), ("ann", "ramp_recovery"): D("-300.00"),
        ("bob", "commission"): D("500.00"), ("bob", "ramp_recovery"): D("-500.00")},
        str(payouts_of(work, "2026-03")))
    check("March balances", balances_of(work, "2026-03") == {
        ("ann", "draw", "ramp"): D("500.00"), ("bob", "draw", "ramp"): D("1500.00")},
        str(balances_of(work, "2026-03")))
    # What each was paid minus what each earned is what each still owes.
    paid = {}
    for payee, amount in query(work, "SELECT payee, amount FROM paid"):
        paid[payee] = paid.get(payee, D(0)) + D(amount)
    for payee, amount in query(work, "SELECT a.payee, a.amount FROM adjustments a JOIN "
                                     "run_periods r ON r.run_id = a.run_id WHERE "
                                     "a.posted_period = '2026-03' AND r.period = '2026-03'"):
        paid[payee] = paid.get(payee, D(0)) + D(amount)
    march = payouts_of(work, "2026-03")
    for payee in ("ann", "bob"):
        paid[payee] += sum(a for (p, _), a in march.items() if p == payee)
    check("paid minus earned is the balance owed",
          paid == {"ann": D("3000.00"), "bob": D("2000.00")}, str(paid))
    check("a rerun of March adds nothing", ok("rerun 2026-03", run(work, "2026-03")) and
          adjustments_of(work, "2026-03") == [])

    # A January closed by schema 1 kept no balances: February recomputes them.
    shutil.copy(schema1, os.path.join(work, "tally.db"))
    db = sqlite3.connect(os.path.join(work, "tally.db"))
    db.execute("UPDATE runs SET records_balances = 0")
    db.commit()
    db.close()
    if ok("run 2026-02 after a schema-1 close", run(work, "2026-02")):
        check("schema-1 close: the advance is adjusted", adjustments_of(work, "2026-02") == [
            ("ann", "commission", "2026-01", D("1000.00")),
            ("ann", "ramp", "2026-01", D("-600.00"))], str(adjustments_of(work, "2026-02")))
        check("schema-1 close: the balance is recomputed",
              balances_of(work, "2026-02")[("ann", "draw", "ramp")] == D("200.00"),
              str(balances_of(work, "2026-02")))
finally:
    shutil.rmtree(work, ignore_errors=True)
finish()
