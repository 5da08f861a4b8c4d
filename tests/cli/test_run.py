#!/usr/bin/env python3
"""End-to-end tests of `tally run`'s choices of periods, payees and output
format, its summary and its progress line (docs/cli.md, `tally run`).

The oracle for every format is the csv run: payouts.json, the sqlite
`payouts` table, ... must hold exactly the rows of payouts.csv; hashes are
checked against Python's hashlib, totals against sums the test makes itself
with exact decimals.

The demo's figures, checked by hand once against plans/data/demo/deals.csv:
  - new_logo_spiff = 1,000.00: two won New deals of at least 50,000 closed in
    Q1 (D-0015, dee, 60,356.44; D-0040, bob, 179,653.08), 500 USD each;
  - se_commission = 46,092.35: 4% of the SEs' 50% overlay credit, i.e. 2% of
    their won deals: sue 973,811.00 -> 19,476.22, sam 1,330,806.50 -> 26,616.13;
  - commission = 203,033.73 and the total 250,126.08 (the sum of payouts.csv).

    test_run.py TALLY_BINARY PROJECT_DIR
"""
import csv
import hashlib
import json
import os
import pty
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from decimal import Decimal

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import check, finish, summary  # noqa: E402

TALLY = sys.argv[1]
ROOT = sys.argv[2]
DEMO = os.path.join(ROOT, "plans", "demo.tally")
DEMO_DATA = os.path.join(ROOT, "plans", "data", "demo")
LENIENT_CASE = os.path.join(ROOT, "tests", "conformance", "crediting", "lenient_rejects")


def tally(*args, env=None):
    return subprocess.run([TALLY, *args], capture_output=True, text=True, env=env)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def grouped(amount):
    """Decimal('1234.5') -> '1,234.50', as the summary prints amounts."""
    return f"{amount:,.2f}"


def component_totals(rows):
    totals = {}
    for row in rows:
        totals[row["component"]] = totals.get(row["component"], Decimal(0)) + Decimal(row["amount"])
    return totals


def summary_section(stdout, heading):
    """The rows under the line starting with `heading`, up to a blank line."""
    lines = stdout.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(heading):
            rows = []
            for row in lines[i + 1:]:
                if not row.strip():
                    break
                rows.append(row.split())
            return rows
    return None


tmp = tempfile.mkdtemp()
try:
    # ---- the csv run every other format is compared with
    try:
        csv_out = os.path.join(tmp, "csv")
        r = tally("run", DEMO, "--data", DEMO_DATA, "--out", csv_out)
        check("csv run", r.returncode == 0, r.stderr)
        payouts = read_csv(os.path.join(csv_out, "payouts.csv"))
        credits = read_csv(os.path.join(csv_out, "credits.csv"))
        measures = read_csv(os.path.join(csv_out, "measures.csv"))
        summary = r.stdout
    except Exception as e:  # a missing file or table: a failure, not a crash
        check('the csv run every other format is compared with', False, repr(e))

    # ---- the summary: totals per component (plan order), top earners, total
    try:
        totals = component_totals(payouts)
        check("the demo's component totals are the hand-checked ones",
              totals == {"commission": Decimal("203033.73"), "new_logo_spiff": Decimal("1000.00"),
                         "se_commission": Decimal("46092.35")}, str(totals))
        section = summary_section(summary, "component")
        check("the summary lists each component in plan order with its total from payouts.csv",
              section == [[name, grouped(totals[name])]
                          for name in ["commission", "new_logo_spiff", "se_commission"]],
              summary)
        by_payee = {}
        for row in payouts:
            by_payee[row["payee"]] = by_payee.get(row["payee"], Decimal(0)) + Decimal(row["amount"])
        earners = summary_section(summary, "top earners")
        roster = {row["id"]: row for row in read_csv(os.path.join(DEMO_DATA, "payees.csv"))}
        expected = sorted(by_payee.items(), key=lambda item: -item[1])
        check("top earners: the largest first, with name, role and total",
              earners == [[p, *roster[p]["name"].split(), roster[p]["role"], grouped(a)]
                          for p, a in expected], summary + str(expected))
        total = sum(by_payee.values())
        check("the total is the sum of payouts.csv (250,126.08)",
              total == Decimal("250126.08") and f"Total paid: {grouped(total)} USD" in summary, summary)
        check("the header counts payees, periods, transactions and credits",
              summary.startswith(f"{DEMO}: 7 payees, 4 periods, 60 transactions, {len(credits)} credits"),
              summary)
        periods = summary_section(summary, "period")
        check("the total per period", periods is not None and len(periods) == 4 and
              sum(Decimal(row[1].replace(",", "")) for row in periods) == total, summary)
        r = tally("run", DEMO, "--data", DEMO_DATA, "--out", os.path.join(tmp, "quiet"), "--quiet")
        check("--quiet prints nothing", r.returncode == 0 and r.stdout == "" and r.stderr == "",
              r.stdout + r.stderr)
    except Exception as e:  # a missing file or table: a failure, not a crash
        check('the summary: totals per component (plan order), top earners, total', False, repr(e))

    # ---- --format json: the csv rows exactly, as strings, and run.json
    try:
        json_out = os.path.join(tmp, "json")
        r = tally("run", DEMO, "--data", DEMO_DATA, "--out", json_out, "--format", "json")
        check("json run", r.returncode == 0 and
              "Wrote payouts.json, credits.json, measures.json and run.json to " in r.stdout,
              r.stdout + r.stderr)
        check("json files", sorted(os.listdir(json_out)) ==
              ["credits.json", "measures.json", "payouts.json", "run.json"], str(os.listdir(json_out)))
        for name, rows in [("payouts", payouts), ("credits", credits), ("measures", measures)]:
            with open(os.path.join(json_out, name + ".json")) as f:
                loaded = json.load(f)
            check(f"{name}.json holds the rows of {name}.csv, every cell a string",
                  loaded == rows and all(isinstance(v, str) for row in loaded for v in row.values()),
                  f"{len(loaded)} vs {len(rows)}")
        with open(os.path.join(json_out, "run.json")) as f:
            run = json.load(f)
        check("run.json: the plan's SHA-256 is hashlib's",
              run["plan"] == {"path": DEMO, "sha256": sha256(DEMO)}, str(run["plan"]))
        check("run.json: every input's SHA-256 is hashlib's",
              run["inputs"] == [{"source": "deals", "path": os.path.join(DEMO_DATA, "deals.csv"),
                                 "sha256": sha256(os.path.join(DEMO_DATA, "deals.csv"))},
                                {"source": "payees", "path": os.path.join(DEMO_DATA, "payees.csv"),
                                 "sha256": sha256(os.path.join(DEMO_DATA, "payees.csv"))}],
              str(run["inputs"]))
        check("run.json: parameters, periods, time, version",
              run["parameters"] == {"first_period": None, "last_period": None, "payees": [],
                                    "lenient": False, "tables": ["payouts", "credits", "measures"]}
              and run["periods_paid"] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
              and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", run["started_utc"]) is not None
              and run["seconds"] >= 0 and run["format"] == "json"
              and re.fullmatch(r"\d+\.\d+\.\d+", run["tally_version"]) is not None
              and run["summary"]["total_paid"] == "250126.08", json.dumps(run))
    except Exception as e:  # a missing file or table: a failure, not a crash
        check('--format json: the csv rows exactly, as strings, and run.json', False, repr(e))

    # ---- --format sqlite: one database, typed columns, exact amounts
    try:
        db_out = os.path.join(tmp, "db")
        r = tally("run", DEMO, "--data", DEMO_DATA, "--out", db_out, "--format", "sqlite",
                  "--period", "2026-Q1..2026-Q4")
        check("sqlite run", r.returncode == 0 and "Wrote tally.sqlite (tables payouts, credits, "
              "measures and runs) to " in r.stdout, r.stdout + r.stderr)
        check("sqlite writes one file", os.listdir(db_out) == ["tally.sqlite"], str(os.listdir(db_out)))
        db = sqlite3.connect(os.path.join(db_out, "tally.sqlite"))
        rows = db.execute("SELECT payee, period, component, amount, amount_cents FROM payouts "
                          "ORDER BY rowid").fetchall()
        check("table payouts holds the rows of payouts.csv",
              [r_[:4] for r_ in rows] == [(p["payee"], p["period"], p["component"], p["amount"])
                                          for p in payouts], f"{len(rows)} vs {len(payouts)}")
        check("amount_cents is the exact amount in cents",
              all(cents == int(Decimal(amount) * 100) for *_, amount, cents in rows), str(rows[:3]))
        check("SUM(amount_cents) is the exact total",
              db.execute("SELECT SUM(amount_cents) FROM payouts").fetchone()[0] == 25012608, "")
        types = {name: kind for _, name, kind, *_ in db.execute("PRAGMA table_info(credits)")}
        check("credits: row is an INTEGER column, amounts TEXT",
              types.get("row") == "INTEGER" and types.get("amount") == "TEXT"
              and types.get("transaction") == "TEXT", str(types))
        db_credits = db.execute('SELECT rule, "transaction", row, payee, period, kind, share, amount '
                                "FROM credits ORDER BY rowid").fetchall()
        check("table credits holds the rows of credits.csv",
              db_credits == [(c["rule"], c["transaction"], int(c["row"]), c["payee"], c["period"],
                              c["kind"], c["share"], c["amount"]) for c in credits], "")
        check("table measures holds the rows of measures.csv",
              db.execute("SELECT payee, period, measure, value FROM measures ORDER BY rowid").fetchall()
              == [(m["payee"], m["period"], m["measure"], m["value"]) for m in measures], "")
        db.row_factory = sqlite3.Row
        runs = [dict(row) for row in db.execute("SELECT * FROM runs")]
        check("one runs row", len(runs) == 1, str(runs))
        run = runs[0] if runs else {}
        check("runs: the plan and input hashes are hashlib's",
              run.get("plan_path") == DEMO and run.get("plan_sha256") == sha256(DEMO)
              and [(i["source"], i["sha256"]) for i in json.loads(run.get("inputs", "[]"))]
              == [("deals", sha256(os.path.join(DEMO_DATA, "deals.csv"))),
                  ("payees", sha256(os.path.join(DEMO_DATA, "payees.csv")))], str(run))
        check("runs: the parameters",
              run.get("first_period") == "2026-Q1" and run.get("last_period") == "2026-Q4"
              and run.get("payees") == "" and run.get("lenient") == 0 and run.get("format") == "sqlite"
              and run.get("periods_paid") == "2026-Q1,2026-Q2,2026-Q3,2026-Q4"
              and run.get("total_paid") == "250126.08" and run.get("currency") == "USD"
              and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", run.get("started_utc", ""))
              is not None, str(run))
        db.close()
        r = tally("run", DEMO, "--data", DEMO_DATA, "--out", db_out, "--format", "sqlite",
                  "--payee", "ann")
        db = sqlite3.connect(os.path.join(db_out, "tally.sqlite"))
        check("a second run replaces the database whole",
              db.execute("SELECT COUNT(*), MIN(payees) FROM runs").fetchone() == (1, "ann")
              and db.execute("SELECT DISTINCT payee FROM payouts").fetchall() == [("ann",)], "")
        db.close()
    except Exception as e:  # a missing file or table: a failure, not a crash
        check('--format sqlite: one database, typed columns, exact amounts', False, repr(e))

    # ---- formats under --lenient also carry the rejects
    try:
        lenient_plan = os.path.join(LENIENT_CASE, "plan.tally")
        lenient_data = os.path.join(LENIENT_CASE, "data")
        out = os.path.join(tmp, "lenient_csv")
        r = tally("run", lenient_plan, "--data", lenient_data, "--out", out, "--lenient")
        rejects = read_csv(os.path.join(out, "rejects.csv")) if r.returncode == 0 else []
        check("the summary counts the warnings and points at rejects.csv",
              "Warnings: 3 (the rows left out are listed in rejects.csv)" in r.stdout, r.stdout)
        out = os.path.join(tmp, "lenient_json")
        r = tally("run", lenient_plan, "--data", lenient_data, "--out", out, "--lenient",
                  "--format", "json")
        loaded = json.load(open(os.path.join(out, "rejects.json"))) if r.returncode == 0 else None
        check("rejects.json holds the rows of rejects.csv", len(rejects) == 3 and loaded == rejects,
              r.stderr + str(loaded))
        out = os.path.join(tmp, "lenient_db")
        r = tally("run", lenient_plan, "--data", lenient_data, "--out", out, "--lenient",
                  "--format", "sqlite")
        db = sqlite3.connect(os.path.join(out, "tally.sqlite"))
        check("table rejects holds the rows of rejects.csv",
              db.execute('SELECT kind, file, row, "transaction", message FROM rejects').fetchall()
              == [(x["kind"], x["file"], int(x["row"]), x["transaction"], x["message"])
                  for x in rejects] and db.execute("SELECT lenient FROM runs").fetchone() == (1,),
              r.stderr)
        db.close()
    except Exception as e:  # a missing file or table: a failure, not a crash
        check('formats under --lenient also carry the rejects', False, repr(e))

    # ---- writing is atomic: a failed run or write leaves nothing
    try:
        out = os.path.join(tmp, "strict_db")
        r = tally("run", lenient_plan, "--data", lenient_data, "--out", out, "--format", "sqlite")
        check("a data error writes no database", r.returncode == 1 and not os.path.exists(out),
              r.stderr)
        blocker = os.path.join(tmp, "blocker")
        open(blocker, "w").close()
        r = tally("run", DEMO, "--data", DEMO_DATA, "--out", os.path.join(blocker, "out"),
                  "--format", "sqlite")
        check("an output folder that cannot be made is an error, nothing left beside it",
              r.returncode == 1 and "error" in r.stderr and
              not [n for n in os.listdir(tmp) if n.startswith(".") and "tally-" in n], r.stderr)

        occupied = os.path.join(tmp, "occupied")
        os.makedirs(os.path.join(occupied, "tally.sqlite"))  # a folder where the database goes
        r = tally("run", DEMO, "--data", DEMO_DATA, "--out", occupied, "--format", "sqlite")
        check("a database that cannot be moved in is an error; the temporary folder is removed",
              r.returncode == 1 and "tally.sqlite" in r.stderr and "Success" not in r.stderr
              and os.listdir(occupied) == ["tally.sqlite"]
              and not [n for n in os.listdir(tmp) if n.startswith(".occupied")], r.stderr)
    except Exception as e:  # a missing file or table: a failure, not a crash
        check('writing is atomic: a failed run or write leaves nothing', False, repr(e))

    # ---- --format: usage errors
    try:
        r = tally("run", DEMO, "--data", DEMO_DATA, "--format", "json")
        check("--format without --out is a usage error", r.returncode == 2 and "--out" in r.stderr,
              r.stderr)
        r = tally("run", DEMO, "--data", DEMO_DATA, "--out", os.path.join(tmp, "x"), "--format", "xml")
        check("--format xml is a usage error", r.returncode == 2 and "xml" in r.stderr, r.stderr)
    except Exception as e:  # a missing file or table: a failure, not a crash
        check('--format: usage errors', False, repr(e))

    # ---- --payee: the outputs and summary keep only the payees asked for
    try:
        out = os.path.join(tmp, "payees")
        r = tally("run", DEMO, "--data", DEMO_DATA, "--out", out, "--payee", "ann,sam",
                  "--payee", "dee", "--payee", "ann")
        chosen = {"ann", "sam", "dee"}
        check("--payee run", r.returncode == 0, r.stderr)
        check("payouts.csv keeps the chosen payees' rows of the full run, unchanged",
              read_csv(os.path.join(out, "payouts.csv")) == [p for p in payouts if p["payee"] in chosen],
              "")
        check("credits.csv and measures.csv likewise",
              read_csv(os.path.join(out, "credits.csv")) == [c for c in credits if c["payee"] in chosen]
              and read_csv(os.path.join(out, "measures.csv"))
              == [m for m in measures if m["payee"] in chosen], "")
        chosen_total = sum(by_payee[p] for p in chosen)
        check("the summary counts and totals the chosen payees only",
              r.stdout.startswith(f"{DEMO}: 3 of 7 payees, 4 periods, 60 transactions, "
                                  f"{sum(c['payee'] in chosen for c in credits)} credits")
              and f"Total paid: {grouped(chosen_total)} USD" in r.stdout
              and [row[0] for row in summary_section(r.stdout, "top earners")] == ["ann", "sam", "dee"],
              r.stdout)
        out = os.path.join(tmp, "typo")
        r = tally("run", DEMO, "--data", DEMO_DATA, "--out", out, "--payee", "ann,bbo")
        check("an unknown --payee is an error naming it and the nearest ids, nothing written",
              r.returncode == 1 and '"bbo"' in r.stderr and 'did you mean "bob"' in r.stderr
              and "nearest roster ids are bob," in r.stderr and not os.path.exists(out), r.stderr)
    except Exception as e:  # a missing file or table: a failure, not a crash
        check('--payee: the outputs and summary keep only the payees asked for', False, repr(e))

    # ---- --period: one period, a range, the aliases, the errors
    try:
        def periods_paid(*flags):
            out = os.path.join(tmp, "periods")
            shutil.rmtree(out, ignore_errors=True)
            r = tally("run", DEMO, "--data", DEMO_DATA, "--out", out, "-q", *flags)
            if r.returncode != 0:
                return r.stderr
            return read_csv(os.path.join(out, "payouts.csv"))

        one = periods_paid("--period", "2026-Q2")
        check("--period 2026-Q2 pays Q2 only",
              isinstance(one, list) and {p["period"] for p in one} == {"2026-Q2"}, str(one)[:300])
        check("--period P is --from P --to P", one == periods_paid("--from", "2026-Q2", "--to", "2026-Q2"))
        span = periods_paid("--period", "2026-Q2..2026-Q3")
        check("--period A..B pays A to B",
              isinstance(span, list) and {p["period"] for p in span} == {"2026-Q2", "2026-Q3"},
              str(span)[:300])
        check("--period A..B is --from A --to B",
              span == periods_paid("--from", "2026-Q2", "--to", "2026-Q3"))
        check("--period A.. is --from A", periods_paid("--period", "2026-Q3..")
              == periods_paid("--from", "2026-Q3"))
        r = tally("run", DEMO, "--data", DEMO_DATA, "--period", "2026-Q2", "--to", "2026-Q3")
        check("--period with --to is a usage error",
              r.returncode == 2 and "--period" in r.stderr and "--from/--to" in r.stderr, r.stderr)
        r = tally("run", DEMO, "--data", DEMO_DATA, "--period", "..")
        check("--period .. is a usage error", r.returncode == 2 and "FIRST..LAST" in r.stderr, r.stderr)
        r = tally("run", DEMO, "--data", DEMO_DATA, "--period", "2026-Q9")
        check("a bad --period label is a plan error naming it once",
              r.returncode == 1 and r.stderr.count('--period "2026-Q9" is not a period') == 1
              and "2026-Q1" in r.stderr, r.stderr)
    except Exception as e:  # a missing file or table: a failure, not a crash
        check('--period: one period, a range, the aliases, the errors', False, repr(e))

    # ---- the progress line: on a terminal only, after the threshold, erased
    try:
        def run_on_terminal(args, after_ms):
            """Runs tally with stderr on a pseudo-terminal; returns (stderr bytes, exit)."""
            env = dict(os.environ)
            env.pop("TALLY_PROGRESS_AFTER_MS", None)
            if after_ms is not None:
                env["TALLY_PROGRESS_AFTER_MS"] = str(after_ms)
            master, slave = pty.openpty()
            process = subprocess.Popen([TALLY, *args], stdout=subprocess.DEVNULL, stderr=slave,
                                       env=env)
            os.close(slave)
            seen = b""
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the terminal closed: the program ended
                    break
                if not chunk:
                    break
                seen += chunk
            os.close(master)
            return seen, process.wait()

        demo_run = ["run", DEMO, "--data", DEMO_DATA, "--out", os.path.join(tmp, "pty")]
        seen, code = run_on_terminal(demo_run, 0)
        check("on a terminal, past the threshold, the line shows the stages",
              code == 0 and b"tally run [ 1/12] compile" in seen and b"] credit " in seen
              and b"[12/12] write" in seen, repr(seen[:400]))
        check("the line is erased at the end", seen.endswith(b"\r\x1b[K"), repr(seen[-80:]))
        seen, code = run_on_terminal(demo_run, None)
        check("a run shorter than a second draws nothing", code == 0 and seen == b"", repr(seen))
        seen, code = run_on_terminal(demo_run + ["--quiet"], 0)
        check("--quiet draws nothing", code == 0 and seen == b"", repr(seen))
        r = tally(*demo_run, env=dict(os.environ, TALLY_PROGRESS_AFTER_MS="0"))
        check("stderr in a pipe gets no progress line", r.returncode == 0 and r.stderr == "",
              r.stderr)
        # The reference workload's 10M-deal data, where a machine has generated it
        # (bench/workload/README.md): a real run long enough to pass 100 ms (a
        # run over the 1M deals now takes about that long).
        big = os.path.join(os.environ.get("TALLY_BENCH_DATA",
                                          os.path.join(tempfile.gettempdir(), "benchdata")), "10m")
        if os.path.isdir(big):
            seen, code = run_on_terminal(["run", os.path.join(ROOT, "bench", "workload", "plan.tally"),
                                          "--data", big, "--outputs", "payouts"], 100)
            times = [float(t) for t in re.findall(rb"\]\s+(\d+\.\d) s", seen)]
            check("on a long run the line appears once the threshold has passed",
                  code == 0 and times and min(times) >= 0.1 and seen.endswith(b"\r\x1b[K"),
                  repr(seen[:400]))
    except Exception as e:  # a missing file or table: a failure, not a crash
        check('the progress line: on a terminal only, after the threshold, erased', False, repr(e))

finally:
    shutil.rmtree(tmp, ignore_errors=True)

finish()
