#!/usr/bin/env python3
"""End-to-end tests of `tally explain`: the derivation of a payee's pay in a
period, as text and as JSON, and its messages for bad input. Expected figures
are computed here from the demo's deals.csv by the rules of plans/demo.tally
(8% of bookings + 2% of enterprise bookings capped at 25_000 per quarter,
rounded half-even to cents; 500 per new logo of 50_000 or more in Q1), not
read from the program.

    test_explain.py TALLY_BINARY PROJECT_DIR
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import ROUND_HALF_EVEN, Decimal

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import check, finish, summary  # noqa: E402

TALLY = sys.argv[1]
ROOT = sys.argv[2]
DEMO = os.path.join(ROOT, "plans", "demo.tally")
DEMO_DATA = os.path.join(ROOT, "plans", "data", "demo")
CENT = Decimal("0.01")


def tally(*args, cwd=None):
    return subprocess.run([TALLY, *args], capture_output=True, text=True, cwd=cwd)


def explain(*args):
    return tally("explain", DEMO, "--data", DEMO_DATA, *args)


def quarter(date):
    return f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"


def cents(x):
    return x.quantize(CENT, rounding=ROUND_HALF_EVEN)


if "tally explain" not in tally("explain", "--help").stdout:  # a tally without the command
    print("skip: this tally has no explain command")
    sys.exit(77)

with open(os.path.join(DEMO_DATA, "deals.csv")) as f:
    DEALS = [d for d in csv.DictReader(f) if d["stage"] == "Won"]

# ---- the oracle: ann's Q1 pay by the plan's rules
ann_q1 = [d for d in DEALS if d["owner_id"] == "ann" and quarter(d["close_date"]) == "2026-Q1"]
bookings = sum(Decimal(d["amount"]) for d in ann_q1)
enterprise = sum((Decimal(d["amount"]) for d in ann_q1 if d["segment"] == "ENT"), Decimal(0))
commission = cents(min(Decimal("0.08") * bookings + Decimal("0.02") * enterprise, Decimal(25000)))
logos = sum(1 for d in ann_q1 if d["type"] == "New" and Decimal(d["amount"]) >= 50000)
spiff = cents(Decimal(500) * logos)
total = commission + spiff

# ---- text: the whole pay
r = explain("--payee", "ann", "--period", "2026-Q1")
check("explain ann exits 0", r.returncode == 0, r.stderr)
lines = r.stdout.splitlines()
check("explain: the pay line first", lines and lines[0] == f"pay(ann, 2026-Q1) = {total} USD  (2 components)",
      f"  expected total {total}, got {lines[:1]}")
check("explain: the commission line",
      f"  commission(ann, 2026-Q1) = {commission} USD  (payout)" in lines, r.stdout)
check("explain: the spiff line",
      f"  new_logo_spiff(ann, 2026-Q1) = {spiff} USD  (payout)" in lines, r.stdout)
check("explain: bookings with its credit count",
      any(l.strip() == f"bookings = {bookings} USD  (measure: sum(credit.amount), {len(ann_q1)} credits)"
          for l in lines), r.stdout)
for d in ann_q1:
    amount = Decimal(d["amount"]).quantize(CENT)
    check(f"explain: credit {d['id']} listed",
          f"credit {d['id']} = {amount} USD  (rule won, direct, share 100%, amount {amount} USD)"
          in [l.strip() for l in lines], r.stdout)
check("explain: the cap not reached", any(l.strip() == "cap 25_000 USD = 25000.00 USD  (not reached)"
                                          for l in lines), r.stdout)
check("explain: ends in the rounding", lines[-1].strip().startswith("rounded half_even to 0.01 = "),
      r.stdout)
check("explain: nothing on stderr", r.stderr == "", r.stderr)

# ---- JSON: the same tree, with structured credits
r = explain("--payee", "ann", "--period", "2026-Q1", "--json")
check("explain --json exits 0", r.returncode == 0, r.stderr)
try:
    doc = json.loads(r.stdout)
except ValueError as e:
    doc = {}
    check("explain --json parses", False, f"{e}: {r.stdout[:200]}")
tree = doc.get("tree", {})
check("json: payee, period, currency", (doc.get("payee"), doc.get("period"), doc.get("currency"))
      == ("ann", "2026-Q1", "USD"), str(doc)[:300])
check("json: root", (tree.get("label"), tree.get("value"), tree.get("number"), tree.get("unit"),
                     tree.get("step")) == ("pay(ann, 2026-Q1)", f"{total} USD", str(total), "USD", "pay"),
      str(tree)[:300])
check("json: two payouts", [c["label"] for c in tree.get("children", [])]
      == ["commission(ann, 2026-Q1)", "new_logo_spiff(ann, 2026-Q1)"], str(tree)[:300])


def nodes(node):
    yield node
    for child in node.get("children", []):
        yield from nodes(child)


credits = [n["credit"] for n in nodes(tree) if n.get("step") == "credit"]
bookings_credits = [n for n in nodes(tree) if n["label"] == "bookings"]
check("json: bookings lists every credit",
      bookings_credits and sorted(c["credit"]["transaction"] for c in bookings_credits[0]["children"])
      == sorted(d["id"] for d in ann_q1), str(bookings_credits)[:300])
check("json: credit fields", all(c["rule"] == "won" and c["kind"] == "direct" and c["share"] == "100%"
                                 for c in credits) and credits, str(credits)[:300])
expected_amounts = {d["id"]: f"{Decimal(d['amount']).quantize(CENT)} USD" for d in ann_q1}
check("json: credit amounts", all(c["amount"] == expected_amounts[c["transaction"]] for c in credits),
      str(credits)[:300])

# ---- one component: the SE commission, on the overlay credits (50% of each deal)
sam_q2 = [d for d in DEALS if d["se_id"] == "sam" and quarter(d["close_date"]) == "2026-Q2"]
sam_bookings = sum(Decimal(d["amount"]) * Decimal("0.5") for d in sam_q2)
sam_commission = cents(Decimal("0.04") * sam_bookings)
r = explain("--payee", "sam", "--period", "2026-Q2", "--component", "se_commission")
check("explain --component", r.returncode == 0 and r.stdout.startswith(
    f"se_commission(sam, 2026-Q2) = {sam_commission} USD  (payout)"), r.stdout[:300] + r.stderr)
check("explain --component: overlay credits", "overlay, share 50%" in r.stdout, r.stdout[:600])
r = explain("--payee", "sam", "--period", "2026-Q2", "--component", "bookings")
check("explain a measure", r.returncode == 0 and r.stdout.startswith(
    f"bookings(sam, 2026-Q2) = {sam_bookings.quantize(CENT)} USD"), r.stdout[:300] + r.stderr)
r = explain("--payee", "ann", "--period", "2026Q1", "--json")  # the period as gen.py writes it
check("json: the period labelled by the calendar", r.returncode == 0 and json.loads(r.stdout)["period"] == "2026-Q1",
      r.stdout[:200] + r.stderr)
r = explain("--payee", "max", "--period", "2026-Q1")
check("explain a payee without payouts", r.returncode == 0 and r.stdout ==
      "pay(max, 2026-Q1) = 0.00 USD  (no payout applies to this payee in this period)\n",
      r.stdout + r.stderr)

# ---- bad input: exit 1, a message with the nearest names, nothing on stdout
def expect_error(name, args, fragments):
    r = explain(*args)
    check(name, r.returncode == 1 and r.stdout == "" and all(f in r.stderr for f in fragments),
          f"  expected exit 1 and {fragments} in stderr, got exit {r.returncode}:\n{r.stdout[:200]}{r.stderr}")


expect_error("unknown payee", ["--payee", "ann2", "--period", "2026-Q1"],
             ['"ann2" is not a payee of the run', "hint: did you mean ann?"])
expect_error("unknown payee, --json", ["--payee", "ann2", "--period", "2026-Q1", "--json"],
             ['"ann2" is not a payee of the run'])
expect_error("a payee near none", ["--payee", "zed", "--period", "2026-Q1"],
             ["the run's payees are ann, bob, cho, dee, sam, sue, max"])
expect_error("period out of the run", ["--payee", "ann", "--period", "2027-Q1"],
             ["2027-Q1 is not a period of the run",
              "did you mean 2026-Q1? the run pays 2026-Q1, 2026-Q2, 2026-Q3, 2026-Q4"])
expect_error("not a period", ["--payee", "ann", "--period", "2026-Q9"],
             ['"2026-Q9" is not a period of this plan', "the run pays 2026-Q1, 2026-Q2, 2026-Q3, 2026-Q4"])
expect_error("unknown component", ["--payee", "ann", "--period", "2026-Q1", "--component", "comission"],
             ["the plan has no payout, measure or let called `comission`",
              "did you mean `commission`? the plan's payouts, measures and lets, nearest first: "
              "commission (payout), "])


def expect_usage(name, args):
    r = tally("explain", *args)
    check(name, r.returncode == 2 and r.stdout == "", f"  exit {r.returncode}: {r.stdout}{r.stderr}")


expect_usage("no --payee", [DEMO, "--data", DEMO_DATA, "--period", "2026-Q1"])
expect_usage("no --period", [DEMO, "--data", DEMO_DATA, "--payee", "ann"])
expect_usage("no plan file", [os.path.join(ROOT, "nope.tally"), "--payee", "ann", "--period", "2026-Q1"])
expect_usage("bad --bind", [DEMO, "--data", DEMO_DATA, "--payee", "ann", "--period", "2026-Q1",
                            "--bind", "deals"])
expect_usage("unknown flag", [DEMO, "--payee", "ann", "--period", "2026-Q1", "--colour"])

tmp = tempfile.mkdtemp()
try:
    # a plan error is located; a missing data file is named
    broken = os.path.join(tmp, "broken.tally")
    with open(DEMO) as f:
        text = f.read()
    with open(broken, "w") as f:
        f.write(text.replace("8% * bookings", "8% * bookngs"))
    r = tally("explain", broken, "--data", DEMO_DATA, "--payee", "ann", "--period", "2026-Q1")
    check("plan error", r.returncode == 1 and "broken.tally:" in r.stderr and "bookngs" in r.stderr,
          r.stderr)
    r = tally("explain", DEMO, "--data", tmp, "--payee", "ann", "--period", "2026-Q1")
    check("missing data", r.returncode == 1 and "deals" in r.stderr and r.stdout == "", r.stderr)

    # ---- many credits: text lists the 20 largest and sums the rest exactly
    data = os.path.join(tmp, "many")
    os.makedirs(data)
    shutil.copy(os.path.join(DEMO_DATA, "payees.csv"), data)
    with open(os.path.join(data, "deals.csv"), "w") as f:
        f.write("id,close_date,owner_id,se_id,segment,type,stage,amount\n")
        for i in range(1, 31):  # 30 deals of 100, 200, ... 3_000
            f.write(f"M-{i:02},2026-02-{i % 28 + 1:02},bob,sam,SMB,Renewal,Won,{i * 100}.00\n")
    r = tally("explain", DEMO, "--data", data, "--payee", "bob", "--period", "2026-Q1",
              "--component", "bookings")
    shown = [l.strip().split(" = ")[0] for l in r.stdout.splitlines() if l.strip().startswith("credit ")]
    # the 20 largest are M-30 down to M-11; the other 10 are 100 + ... + 1_000 = 5_500.
    check("capped credits: the 20 largest, largest first",
          shown == [f"credit M-{i:02}" for i in range(30, 10, -1)], r.stdout)
    check("capped credits: the rest summed",
          r.stdout.endswith("  … and 10 more credits totalling 5500.00 USD\n"), r.stdout[-200:])
    r = tally("explain", DEMO, "--data", data, "--payee", "bob", "--period", "2026-Q1",
              "--component", "bookings", "--all-credits")
    check("--all-credits lists all 30",
          sum(1 for l in r.stdout.splitlines() if l.strip().startswith("credit M-")) == 30, r.stdout)
    r = tally("explain", DEMO, "--data", data, "--payee", "bob", "--period", "2026-Q1",
              "--component", "bookings", "--json")
    check("--json lists all 30", r.returncode == 0 and len(json.loads(r.stdout)["tree"]["children"]) == 30,
          r.stdout[:300])
    # sum of 100 .. 3_000 = 46_500
    check("--json: the measure's value", json.loads(r.stdout)["tree"]["number"] == "46500.00",
          r.stdout[:300])
finally:
    shutil.rmtree(tmp)

# ---- timings on stderr, the tree unchanged on stdout
r = explain("--payee", "ann", "--period", "2026-Q1", "--timings")
check("--timings", r.returncode == 0 and "load" in r.stderr and "after load:" in r.stderr
      and r.stdout.startswith("pay(ann, 2026-Q1)"), r.stderr)

# ---- a draw: the pay adds the draw to the commission (ramp_draw guarantees 1_000 a month)
RAMP = os.path.join(ROOT, "plans", "ramp_draw.tally")
RAMP_DATA = os.path.join(ROOT, "plans", "data", "ramp_draw")
r = tally("explain", RAMP, "--data", RAMP_DATA, "--payee", "nia", "--period", "2026-02", "--json")
check("draw plan exits 0", r.returncode == 0, r.stderr)
if r.returncode == 0:
    pay = json.loads(r.stdout)["tree"]
    parts = {c["label"].split("(")[0]: Decimal(c["number"]) for c in pay["children"]}
    check("draw: a draw row beside the commission", set(parts) == {"commission", "ramp"}, str(parts))
    check("draw: commission + draw = the 1_000 guarantee", sum(parts.values()) == Decimal(1000)
          and Decimal(pay["number"]) == Decimal(1000), str(parts))
    check("draw: its step", [c["step"] for c in pay["children"]] == ["payout", "adjustment"],
          str([c["step"] for c in pay["children"]]))

finish()
