#!/usr/bin/env python3
"""The payout ledger end to end (docs/ledger.md): tally run --ledger, close,
reopen, history, ledger export; idempotency (a full dump of the ledger is
unchanged by a second identical run), every number traced to its run,
concurrent runs, damaged and newer files, close refusing runs with errors.

Plan (tests/cli/ledger_fixture.py): commission = 5% of bookings, rounded
half-even to cents. Amounts worked out by hand:
  2026-01: ann D1 10000.50 -> 500.025 -> 500.02 (half-even); bob D2 8000 -> 400.00
  2026-02: ann D3 5000 -> 250.00; bob D4 12000 -> 600.00
  After January closes, D1 is corrected to 6000: January recomputes ann
  300.00, paid 500.02, so the February run posts ann commission -200.02
  for origin 2026-01; bob's January is unchanged (no line).

    test_ledger.py TALLY_BINARY PROJECT_DIR
"""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish  # noqa: E402
from ledger_fixture import dump, make_project, run_args, tally as run_tally, write_deals  # noqa: E402

TALLY = sys.argv[1]


def tally(*args, env=None):
    return run_tally(TALLY, *args, env=env)


def ok(name, result):
    check(name, result.returncode == 0,
          f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result.returncode == 0


def fails(name, result, text):
    check(name, result.returncode == 1 and text in result.stderr,
          f"exit {result.returncode}, expected 1 and {text!r} in stderr\n"
          f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")


def query(db, sql, *params):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def wait_until_held(db, seconds=10):
    """Returns once another process holds the write lock of `db` (its run is
    inside its transaction), so that the test does not depend on timing."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if os.path.exists(db):
            con = sqlite3.connect(db, timeout=0)
            try:
                con.execute("BEGIN IMMEDIATE")
                con.rollback()
            except sqlite3.OperationalError:
                return
            finally:
                con.close()
        time.sleep(0.02)


DEALS = [("D1", "2026-01-10", "ann", "10000.50"), ("D2", "2026-01-15", "bob", "8000"),
         ("D3", "2026-02-05", "ann", "5000"), ("D4", "2026-02-12", "bob", "12000")]

work = tempfile.mkdtemp(prefix="tally_ledger_")
try:
    make_project(work, DEALS)
    plan = os.path.join(work, "plan.tally")
    db = os.path.join(work, "tally.db")  # the default: beside the plan

    # --- run January, twice: the second run changes nothing -------------------
    first = tally(*run_args(work, "2026-01"))
    if not ok("run 2026-01 --ledger", first):
        finish()
    check("the ledger is tally.db beside the plan", os.path.exists(db), str(os.listdir(work)))
    runs = query(db, "SELECT id FROM runs")
    jan = dict(((p, c), a) for p, c, a in query(
        db, "SELECT payee, component, amount FROM payouts WHERE period = '2026-01'"))
    check("January as calculated, exactly",
          jan == {("ann", "commission"): "500.02", ("bob", "commission"): "400.00"}, str(jan))
    before = dump(db)
    again = tally(*run_args(work, "2026-01"))
    ok("run 2026-01 again", again)
    check("the same run twice leaves the ledger byte for byte the same (full dump)",
          dump(db) == before, "")
    verbose = tally(*[a for a in run_args(work, "2026-01") if a != "--quiet"])
    check("a repeated run says it is unchanged", "unchanged" in verbose.stdout, verbose.stdout)

    # --- audit: every number traces to its run, plan text and data hashes ------
    (run_id, plan_sha, plan_text), = query(
        db, "SELECT r.id, r.plan_sha256, t.text FROM runs r JOIN plan_texts t "
        "ON t.sha256 = r.plan_sha256")
    with open(plan) as f:
        check("the run stores the plan text", plan_text == f.read(), plan_text)
    check("the run stores the plan hash", plan_sha == hashlib.sha256(plan_text.encode()).hexdigest(),
          plan_sha)
    inputs = dict((s, h) for s, h in query(db, "SELECT source, sha256 FROM run_inputs"))
    check("the run stores each data file's hash",
          inputs.get("deals") == sha256(os.path.join(work, "data", "deals.csv")) and
          inputs.get("payees") == sha256(os.path.join(work, "data", "payees.csv")), str(inputs))
    orphans = query(db, "SELECT COUNT(*) FROM payouts WHERE run_id NOT IN (SELECT id FROM runs)")
    check("every payout names its run", orphans == [(0,)], str(orphans))

    # --- close: refused while the latest run has errors ------------------------
    write_deals(work, DEALS + [("D5", "2026-02-20", "zed", "100")])  # unknown payee
    lenient = tally(*run_args(work, "2026-02", "--lenient"))
    ok("lenient run of February (a rejected row)", lenient)
    fails("close refuses a period whose latest run has rejects",
          tally("close", plan, "2026-02"), "cannot close 2026-02")
    strict = tally(*run_args(work, "2026-02"))
    check("a failed run exits 1", strict.returncode == 1, strict.stderr)
    status = query(db, "SELECT status FROM runs ORDER BY id DESC LIMIT 1")
    check("the failed run is recorded as failed", status == [("failed",)], str(status))
    fails("close refuses a period whose latest run failed", tally("close", plan, "2026-02"),
          "failed")
    fails("close names an unknown period with a hint", tally("close", plan, "2026-13"),
          "period 2026-13 is not in the ledger")
    write_deals(work, DEALS)
    ok("run February again, clean", tally(*run_args(work, "2026-02")))

    # --- close January, then a correction posts an adjustment ------------------
    ok("close 2026-01", tally("close", plan, "2026-01", "--reason", "payroll 2026-01"))
    fails("a closed period refuses a run", tally(*run_args(work, "2026-01")),
          "(2026-01) is closed")
    paid_before = query(db, "SELECT * FROM paid WHERE period = '2026-01' ORDER BY payee")
    corrected = [d if d[0] != "D1" else ("D1", "2026-01-10", "ann", "6000") for d in DEALS]
    write_deals(work, corrected)
    ok("run February after the correction", tally(*run_args(work, "2026-02")))
    adjustments = query(db, "SELECT payee, component, origin_period, posted_period, amount "
                        "FROM adjustments WHERE run_id = (SELECT MAX(id) FROM runs)")
    check("February posts ann -200.02 for January",
          adjustments == [("ann", "commission", "2026-01", "2026-02", "-200.02")], str(adjustments))
    check("January's paid rows are unchanged",
          query(db, "SELECT * FROM paid WHERE period = '2026-01' ORDER BY payee") == paid_before,
          "")
    ok("close 2026-02", tally("close", plan, "2026-02"))

    # --- export for payroll ---------------------------------------------------
    csv_out = tally("ledger", "export", plan)
    ok("ledger export (csv)", csv_out)
    expected_csv = (
        "period,payee,component,kind,origin_period,amount,run_id,close_id\n")
    lines = csv_out.stdout.splitlines()
    check("export header", lines[:1] == expected_csv.splitlines(), csv_out.stdout)
    body = [",".join(line.split(",")[:6]) for line in lines[1:]]
    check("export rows: paid per payee, period, component, adjustments with origin, exact",
          body == ["2026-01,ann,commission,payout,2026-01,500.02",
                   "2026-01,bob,commission,payout,2026-01,400.00",
                   "2026-02,ann,commission,adjustment,2026-01,-200.02",
                   "2026-02,ann,commission,payout,2026-02,250.00",
                   "2026-02,bob,commission,payout,2026-02,600.00"], csv_out.stdout)
    out_file = os.path.join(work, "payroll.json")
    ok("ledger export --format json --out", tally("ledger", "export", "--ledger", db,
                                                  "--format", "json", "--out", out_file))
    with open(out_file) as f:
        rows = json.load(f)
    check("json export has the same rows with amounts as exact strings",
          [(r["period"], r["payee"], r["kind"], r["origin_period"], r["amount"]) for r in rows] ==
          [("2026-01", "ann", "payout", "2026-01", "500.02"),
           ("2026-01", "bob", "payout", "2026-01", "400.00"),
           ("2026-02", "ann", "adjustment", "2026-01", "-200.02"),
           ("2026-02", "ann", "payout", "2026-02", "250.00"),
           ("2026-02", "bob", "payout", "2026-02", "600.00")], json.dumps(rows))
    one = tally("ledger", "export", plan, "--period", "2026-01")
    check("export of one period", len(one.stdout.splitlines()) == 3, one.stdout)

    # --- history --------------------------------------------------------------
    history = tally("history", plan, "ann", "--format", "csv")
    ok("history ann", history)
    kinds = [line.split(",")[1:6] for line in history.stdout.splitlines()[1:]]
    check("history shows the adjustment with its origin",
          ["adjustment", "2026-02", "2026-01", "commission", "-200.02"] in kinds, history.stdout)
    check("history shows what was paid", ["paid", "2026-01", "2026-01", "commission", "500.02"]
          in kinds, history.stdout)
    fails("history of an unknown payee", tally("history", plan, "anm"), "did you mean ann?")

    # --- reopen ---------------------------------------------------------------
    no_reason = tally("reopen", plan, "2026-02")
    check("reopen without --reason is a usage error", no_reason.returncode == 2, no_reason.stderr)
    ok("reopen with a reason", tally("reopen", plan, "2026-02", "--reason", "bob quota fix"))
    events = query(db, "SELECT action, reason FROM period_events WHERE period = '2026-02'")
    check("reopen recorded with its reason",
          events == [("close", ""), ("reopen", "bob quota fix")], str(events))
    fails("reopen of an open period", tally("reopen", plan, "2026-02", "--reason", "x"),
          "is not closed")
    periods = tally("ledger", "periods", plan)
    check("ledger periods lists states",
          "2026-01\tclosed" in periods.stdout and "2026-02\topen" in periods.stdout,
          periods.stdout)

    # --- damaged and newer files ----------------------------------------------
    garbage = os.path.join(work, "garbage.db")
    with open(garbage, "wb") as f:
        f.write(b"not a database at all" * 300)
    fails("a damaged ledger is refused", tally("close", plan, "2026-01", "--ledger", garbage),
          "is damaged")
    scribbled = os.path.join(work, "scribbled.db")
    shutil.copy(db, scribbled)
    with open(scribbled, "r+b") as f:  # overwrite pages 2 and 3 (4096-byte pages)
        f.seek(4096)
        f.write(b"\xff" * 8192)
    fails("a ledger with overwritten pages is refused",
          tally("ledger", "export", "--ledger", scribbled), "is damaged")
    newer = os.path.join(work, "newer.db")
    shutil.copy(db, newer)
    con = sqlite3.connect(newer)
    con.execute("UPDATE schema_version SET version = 999")
    con.commit()
    con.close()
    fails("a ledger from a newer Tally is refused",
          tally(*run_args(work, "2026-03", ledger=newer)), "newer than this program")
    fails("a missing ledger is reported", tally("history", plan, "ann", "--ledger",
                                                os.path.join(work, "none.db")),
          "there is no ledger at")

    # --- two concurrent runs: serialised, or refused with a clear message ------
    conc = os.path.join(work, "concurrent.db")
    # The ledger exists first, so that the lock the test waits for is the run's.
    ok("run 2026-02 into a new ledger", tally(*run_args(work, "2026-02", ledger=conc)))
    slow_env = dict(os.environ, TALLY_LEDGER_TEST_PAUSE_MS="3500")
    holder = subprocess.Popen([TALLY, *run_args(work, "2026-03", ledger=conc)],
                              env=slow_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    wait_until_held(conc)
    refused = tally(*run_args(work, "2026-04", ledger=conc))
    holder.communicate()
    fails("a second run while one holds the ledger is refused, naming it", refused,
          "the ledger " + conc + " is in use")
    check("the run that held the ledger finished", holder.returncode == 0, "")
    short_env = dict(os.environ, TALLY_LEDGER_TEST_PAUSE_MS="500")
    holder = subprocess.Popen([TALLY, *run_args(work, "2026-05", ledger=conc)],
                              env=short_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.2)
    waited = tally(*run_args(work, "2026-06", ledger=conc))
    holder.communicate()
    ok("a second run waits for a short one (serialised)", waited)
    recorded = query(conc, "SELECT period FROM run_periods ORDER BY run_id")
    check("both serialised runs are recorded",
          [p for p, in recorded] == ["2026-02", "2026-03", "2026-05", "2026-06"], str(recorded))

    # Two runs creating the same new ledger at once: one creates the schema,
    # the other sees it under the write lock and does not create it again.
    for attempt in range(3):
        fresh = os.path.join(work, f"fresh{attempt}.db")
        both = [subprocess.Popen([TALLY, *run_args(work, p, ledger=fresh)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for p in ("2026-07", "2026-08")]
        outputs = [b.communicate() for b in both]
        check(f"two runs creating one ledger at once both succeed ({attempt})",
              all(b.returncode == 0 for b in both), str(outputs))
finally:
    shutil.rmtree(work, ignore_errors=True)
finish()
