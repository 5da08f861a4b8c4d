#!/usr/bin/env python3
"""End-to-end tests of `tally diff`: two plans on the same data. The second
plan is the demo with the SE commission at 5% instead of 4%; the expected
figures are computed here from the demo's deals.csv by the plan's rules
(se_commission = 4% or 5% of the SE's overlay credits, 50% of each won deal,
rounded half-even to cents per quarter), not read from the program.

    test_diff.py TALLY_BINARY PROJECT_DIR
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


def quarter(date):
    return f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"


def cents(x):
    return x.quantize(CENT, rounding=ROUND_HALF_EVEN)


def pct(change, before):
    return str((change * 100 / before).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN))


if "tally diff" not in tally("diff", "--help").stdout:  # a tally without the command
    print("skip: this tally has no diff command")
    sys.exit(77)

with open(os.path.join(DEMO_DATA, "deals.csv")) as f:
    DEALS = [d for d in csv.DictReader(f) if d["stage"] == "Won"]


def se_commission(rate, quarters=None):
    """Per SE: the sum over quarters of rate × 50% of the deals they support, rounded per quarter."""
    per = {}
    for d in DEALS:
        q = quarter(d["close_date"])
        if quarters and q not in quarters:
            continue
        per.setdefault((d["se_id"], q), Decimal(0))
        per[(d["se_id"], q)] += Decimal(d["amount"]) * Decimal("0.5")
    out = {"sam": Decimal("0.00"), "sue": Decimal("0.00")}
    for (se, q), bookings in per.items():
        out[se] += cents(Decimal(rate) * bookings)
    return out


before = se_commission("0.04")
after = se_commission("0.05")
change = {se: after[se] - before[se] for se in before}
se_before, se_after = sum(before.values()), sum(after.values())
se_change = se_after - se_before

tmp = tempfile.mkdtemp()
try:
    with open(DEMO) as f:
        DEMO_TEXT = f.read()

    def variant(name, old, new):
        path = os.path.join(tmp, name)
        assert old in DEMO_TEXT
        with open(path, "w") as f:
            f.write(DEMO_TEXT.replace(old, new))  # every occurrence
        return path

    SE5 = variant("se5.tally", "4% * bookings", "5% * bookings")

    # ---- JSON: every figure
    r = tally("diff", DEMO, SE5, "--data", DEMO_DATA, "--json")
    check("diff --json exits 0", r.returncode == 0, r.stderr)
    doc = json.loads(r.stdout) if r.returncode == 0 else {}
    comps = {c["name"]: c for c in doc.get("components", [])}
    check("components in declaration order", list(comps) == ["commission", "new_logo_spiff", "se_commission"],
          str(list(comps)))
    se = comps.get("se_commission", {})
    check("se_commission before/after/change",
          (se.get("before"), se.get("after"), se.get("change")) == (str(se_before), str(se_after), str(se_change)),
          f"  expected {se_before} {se_after} {se_change}, got {se}")
    check("se_commission percent", se.get("percent") == pct(se_change, se_before), str(se))
    check("commission unchanged", comps.get("commission", {}).get("change") == "0.00", str(comps.get("commission")))
    total = doc.get("total", {})
    check("total change = the SE change", total.get("change") == str(se_change), str(total))
    check("total before - after", Decimal(total.get("after", "0")) - Decimal(total.get("before", "0")) == se_change,
          str(total))
    roles = {x["name"]: x for x in doc.get("roles", [])}
    check("roles in roster order", list(roles) == ["AE", "SE", "MGR"], str(list(roles)))
    check("role SE moves", roles.get("SE", {}).get("change") == str(se_change), str(roles.get("SE")))
    check("role AE does not", roles.get("AE", {}).get("change") == "0.00", str(roles.get("AE")))
    payees = doc.get("payees", [])
    check("every payee listed", sorted(p["name"] for p in payees) == sorted(
        ["ann", "bob", "cho", "dee", "sam", "sue", "max"]), str([p["name"] for p in payees]))
    largest = sorted(change, key=lambda s: -abs(change[s]))
    check("payees by absolute change", [p["name"] for p in payees[:2]] == largest, str(payees[:2]))
    for p in payees[:2]:
        check(f"payee {p['name']}", (p["before"], p["after"], p["change"], p["role"]) ==
              (str(before[p["name"]]), str(after[p["name"]]), str(change[p["name"]]), "SE"), str(p))
    # 4% → 5% is +25% before rounding; each SE moves by more than 10%.
    check("moved past 10%", doc.get("moved", {}).get("count") == 2 and
          sorted(p["name"] for p in doc["moved"]["payees"]) == ["sam", "sue"], str(doc.get("moved")))

    # ---- text
    r = tally("diff", DEMO, SE5, "--data", DEMO_DATA)
    check("diff text exits 0", r.returncode == 0, r.stderr)
    out = r.stdout
    check("text: total line", f"total cost {total.get('before')} {total.get('after')} +{se_change} "
          f"+{pct(se_change, Decimal(total.get('before', '1')))}%" in " ".join(out.split()), out)
    check("text: se_commission line", f"se_commission {se_before} {se_after} +{se_change} "
          f"+{pct(se_change, se_before)}%" in " ".join(out.split()), out)
    check("text: moved count", "Moved by more than 10%: 2 payees" in out, out)

    # ---- an absolute threshold: payees moving by more than 5_000
    r = tally("diff", DEMO, SE5, "--data", DEMO_DATA, "--threshold", "5000", "--json")
    moved = sorted(s for s in change if abs(change[s]) > 5000)
    check("--threshold 5000", r.returncode == 0 and
          sorted(p["name"] for p in json.loads(r.stdout)["moved"]["payees"]) == moved, r.stdout[-400:] + r.stderr)

    # ---- one quarter only
    q1_before, q1_after = se_commission("0.04", {"2026-Q1"}), se_commission("0.05", {"2026-Q1"})
    r = tally("diff", DEMO, SE5, "--data", DEMO_DATA, "--period", "2026-Q1", "--json")
    doc = json.loads(r.stdout) if r.returncode == 0 else {}
    se = {c["name"]: c for c in doc.get("components", [])}.get("se_commission", {})
    check("--period 2026-Q1", (doc.get("periods"), se.get("before"), se.get("after")) ==
          ("2026-Q1", str(sum(q1_before.values())), str(sum(q1_after.values()))), str(se) + r.stderr)

    # ---- a payout in the second plan only: added (100 to each SE in each of the 4 quarters)
    BONUS = variant("bonus.tally", 'payout se_commission for role == "SE" = 4% * bookings',
                    'payout se_commission for role == "SE" = 4% * bookings\n'
                    'payout se_bonus for role == "SE" = 100 USD')
    r = tally("diff", DEMO, BONUS, "--data", DEMO_DATA, "--json")
    comps = {c["name"]: c for c in json.loads(r.stdout)["components"]} if r.returncode == 0 else {}
    check("added component", (comps.get("se_bonus", {}).get("presence"), comps.get("se_bonus", {}).get("after"))
          == ("added", "800.00"), str(comps.get("se_bonus")) + r.stderr)
    r = tally("diff", BONUS, DEMO, "--data", DEMO_DATA)
    check("removed component (text)", r.returncode == 0 and "removed" in
          next((l for l in r.stdout.splitlines() if l.strip().startswith("se_bonus")), ""), r.stdout)

    # ---- plans that do not read the data alike: exit 1, the source and both files named
    def expect_mismatch(name, plan, fragments):
        r = tally("diff", DEMO, plan, "--data", DEMO_DATA)
        check(name, r.returncode == 1 and r.stdout == "" and all(f in r.stderr for f in fragments),
              f"  expected exit 1 and {fragments}, got {r.returncode}:\n{r.stderr}")

    expect_mismatch("field type", variant("t.tally", "id: text key\n  close_date", "id: int key\n  close_date"),
                    ["source `deals`: field `id` is text key in", "but int key in", "t.tally",
                     "hint: declare `deals` with the same fields in both plans"])
    expect_mismatch("field from another column",
                    variant("c.tally", "segment: text", 'segment: text from "seg"'),
                    ['field `segment` is text in', 'but text from "seg" in'])
    expect_mismatch("source in one plan only",
                    variant("s.tally", "roster payees", "source targets { rep: payee, amount: money }\n\nroster payees"),
                    ["source `targets` is declared in", "s.tally", "but not in", "demo.tally"])
    expect_mismatch("roster field", variant("r.tally", "  role: text\n", "  role: text\n  region: text\n"),
                    ["roster `payees`: field `region` is in", "r.tally"])
    expect_mismatch("currency", variant("e.tally", "USD", "EUR"),
                    ["the plans pay in different currencies: USD in", "EUR in"])

    # ---- both plans checked, each error with its file
    bad_a = variant("bad_a.tally", "8% * bookings", "8% * bookngs")
    bad_b = variant("bad_b.tally", "4% * bookings", "4% * bokings")
    r = tally("diff", bad_a, bad_b, "--data", DEMO_DATA)
    check("errors of both plans", r.returncode == 1 and "bad_a.tally:" in r.stderr and "bad_b.tally:" in r.stderr,
          r.stderr)

    # ---- usage errors: exit 2
    for name, args in [("bad threshold", [DEMO, SE5, "--data", DEMO_DATA, "--threshold", "ten"]),
                       ("negative threshold", [DEMO, SE5, "--data", DEMO_DATA, "--threshold", "-5%"]),
                       ("one plan", [DEMO, "--data", DEMO_DATA]),
                       ("missing plan", [DEMO, os.path.join(tmp, "nope.tally"), "--data", DEMO_DATA]),
                       ("bad period range", [DEMO, SE5, "--data", DEMO_DATA, "--period", "2026-Q1..2026-Q2..2026-Q3"]),
                       ("bad bind", [DEMO, SE5, "--bind", "deals"])]:
        r = tally("diff", *args)
        check(f"usage: {name}", r.returncode == 2 and r.stdout == "", f"  exit {r.returncode}: {r.stderr}")
    r = tally("diff", DEMO, SE5, "--data", DEMO_DATA, "--threshold", "ten")
    check("threshold message", "--threshold expects a percentage like 10% or an amount like 500" in r.stderr,
          r.stderr)
finally:
    shutil.rmtree(tmp)

finish()
