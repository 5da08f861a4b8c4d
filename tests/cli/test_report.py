#!/usr/bin/env python3
"""End-to-end tests of `tally report`: on every plan of plans/ (with its data)
and on plans/crm_opportunities.tally over ../shared/data/maven_crm, the page
is self-contained, report.json's exact figures equal those of `tally run`'s
payouts.csv (summed here with Decimal), each bad input gets its note, and bad
flags get their exit code and message. Two pages are rendered in headless
Chromium, and the totals parsed from the rendered DOM equal payouts.csv.

    test_report.py TALLY_BINARY PROJECT_DIR

The Chromium part is skipped (the rest still runs) when chromium is missing.
"""
import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from decimal import Decimal

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import check, finish  # noqa: E402

TALLY = sys.argv[1]
ROOT = sys.argv[2]
PLANS = os.path.join(ROOT, "plans")
MAVEN = os.path.join(ROOT, "..", "shared", "data", "maven_crm")
SUPERSTORE = os.path.join(ROOT, "..", "shared", "data", "superstore", "superstore.csv")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
EPOCH = "1767225600"  # 2026-01-01: the page's date, reproducible


def tally(*args):
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    return subprocess.run([TALLY, *args], capture_output=True, text=True, env=env, timeout=600)


def read(path):
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8") as f:
        return f.read()


def payout_totals(folder):
    """Total, per payee and per component, summed exactly from payouts.csv."""
    total, payee, component = Decimal(0), defaultdict(Decimal), defaultdict(Decimal)
    with open(os.path.join(folder, "payouts.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            amount = Decimal(row["amount"])
            total += amount
            payee[row["payee"]] += amount
            component[row["component"]] += amount
    return total, payee, component


def dec(text):
    return Decimal(text.replace(",", ""))


# Plans over the real data sets, read in place: (data folder, extra flags).
SHARED_DATA = {
    "crm_opportunities": (MAVEN, []),
    "crm_analytics": (MAVEN, []),
    "superstore_regions": (os.path.join(PLANS, "data", "superstore_regions"),
                           ["--bind", "superstore=" + SUPERSTORE]),
}


def cases():
    """(name, plan, data, extra flags) of every plan of plans/: the sample
    plans with their data, the plans over the real data sets with theirs."""
    out = []
    for name in sorted(os.listdir(PLANS)):
        if not name.endswith(".tally"):
            continue
        stem = name[:-6]
        data, extra = SHARED_DATA.get(stem, (os.path.join(PLANS, "data", stem), []))
        if stem in SHARED_DATA and not (os.path.isdir(MAVEN) and os.path.exists(SUPERSTORE)):
            continue  # the real data sets are not there: nothing to read
        out.append((stem, os.path.join(PLANS, name), data, extra))
    return out


def check_self_contained(name, page):
    check(f"{name}: the page is HTML with a print stylesheet",
          page.startswith("<!DOCTYPE html>") and "@media print" in page)
    for pattern in [r"<script", r"<link", r"<img", r"<iframe", r"https?://", r"@import",
                    r"url\(", r"\bsrc="]:
        check(f"{name}: the page references nothing outside it ({pattern})",
              re.search(pattern, page, re.I) is None)
    text = re.sub(r"<[^>]+>", " ", page)
    for bad in [r"\bnan\b", r"\binf\b", r"\binfinity\b", "undefined"]:
        check(f"{name}: the page shows no {bad}", re.search(bad, text, re.I) is None,
              f"  {re.search(bad, text, re.I)}")


def check_json(name, doc, total, payee, component):
    check(f"{name}: report.json total_paid equals payouts.csv",
          Decimal(doc["total_paid"]) == total, f"  {doc['total_paid']} != {total}")
    got = {p["payee"]: Decimal(p["paid"]) for p in doc["payees"]}
    check(f"{name}: report.json pays each payee what payouts.csv does",
          got == {k: v for k, v in payee.items()}, f"  {got} != {dict(payee)}")
    got = {c["label"]: Decimal(c["paid"]) for c in doc["by_component"]}
    want = {k: v for k, v in component.items()}
    check(f"{name}: report.json's components equal payouts.csv",
          {k: v for k, v in got.items() if v != 0} == {k: v for k, v in want.items() if v != 0},
          f"  {got} != {want}")
    cells = defaultdict(Decimal)
    for c in doc["payee_periods"]:
        cells[c["payee"]] += Decimal(c["paid"])
    check(f"{name}: report.json's payee-periods add up to each payee's pay",
          all(cells[p] == v for p, v in payee.items()))
    by_cell = {(c["payee"], c["period"]): c["paid"] for c in doc["payee_periods"]}
    check(f"{name}: report.json's pay-versus-performance points carry the exact pay",
          all(p["paid"] == by_cell.get((p["payee"], p["period"]))
              for p in doc["pay_versus_performance"]["points"]))
    for key in ["by_role", "by_team"]:
        check(f"{name}: report.json's {key} adds up to the total",
              sum(Decimal(r["paid"]) for r in doc[key]) == total)
    check(f"{name}: report.json's periods add up to the total",
          sum(Decimal(r["paid"]) for r in doc["by_period"]) == total)


def run_plan(name, plan, data, extra, work):
    out = os.path.join(work, name)
    ran = tally("run", plan, "--data", data, *extra, "--out", os.path.join(out, "run"), "-q")
    check(f"{name}: tally run succeeds", ran.returncode == 0, ran.stderr[-500:])
    rep = tally("report", plan, "--data", data, *extra, "--out", out)
    check(f"{name}: tally report succeeds", rep.returncode == 0, rep.stderr[-800:])
    check(f"{name}: tally report prints a summary", "Report of" in rep.stdout, rep.stdout)
    page = read(os.path.join(out, "report.html"))
    check_self_contained(name, page)
    for section in ["attainment", "pay-performance", "payouts", "trends", "performers",
                    "cost-of-sales", "territories", "forecast", "cross-sell"]:
        check(f"{name}: the page has the {section} section", f'<section id="{section}">' in page)
    if ran.returncode != 0 or rep.returncode != 0:
        return None
    total, payee, component = payout_totals(os.path.join(out, "run"))
    with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
        doc = json.load(f)
    check_json(name, doc, total, payee, component)
    return out, total, payee, component


def section(dom, name):
    match = re.search(rf'<section id="{name}">(.*?)</section>', dom, re.S)
    return match.group(1) if match else ""


def render(page, work):
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--user-data-dir=" + os.path.join(work, "chrome-profile"), "--window-size=1000,1400"]
    png = page + ".png"
    url = "file://" + os.path.abspath(page)
    try:
        subprocess.run(base + ["--screenshot=" + png, url], capture_output=True, timeout=120)
        dom = subprocess.run(base + ["--dump-dom", url], capture_output=True, text=True,
                             timeout=120).stdout
    except subprocess.TimeoutExpired:
        return None, ""
    return (png if os.path.exists(png) else None), dom


def check_rendered(name, result, work, charts):
    out, total, payee, component = result
    png, dom = render(os.path.join(out, "report.html"), work)
    check(f"{name}: chromium wrote a screenshot", png is not None and os.path.getsize(png) > 5000)
    check(f"{name}: chromium rendered the page", "</html>" in dom, dom[:300])
    for sec in charts:
        check(f"{name}: the rendered {sec} section has a chart", "<svg" in section(dom, sec))
    shown = re.search(r'id="total-paid">([^<]*)<', dom)
    check(f"{name}: the rendered total paid equals payouts.csv",
          shown is not None and dec(shown.group(1)) == total,
          f"  {shown.group(1) if shown else None} != {total}")
    rows = re.findall(r'<tr data-payee="([^"]*)">.*?<td class="num[^"]*paid">([^<]*)</td>', dom)
    got = {html.unescape(p): dec(v) for p, v in rows}
    check(f"{name}: the rendered pay of each payee equals payouts.csv", got == dict(payee),
          f"  {got} != {dict(payee)}")
    comp = re.findall(r'<tr data-label="([^"]*)"><td>[^<]*</td><td class="num[^"]*">([^<]*)</td>',
                      section(dom, "by-component") or dom)
    got = {html.unescape(c): dec(v) for c, v in comp}
    check(f"{name}: the rendered component totals equal payouts.csv",
          {k: v for k, v in got.items() if v != 0} ==
          {k: v for k, v in component.items() if v != 0}, f"  {got} != {dict(component)}")


BAD_PLAN = """plan "Bad input" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee from "owner_id"
  stage: text
  amount: money
  state: text
}

roster payees { id: text key, name: text, role: text }

source quotas {
  rep_id: payee
  quarter: period
  quota_amount: money
}

table quota(payee, period): money from quotas(rep_id, quarter, quota_amount)

territory North = deal.state == "N" owner "ann"
territory South = deal.state == "S" owner "bob"
territory East = deal.state == "E" owner "bob"

credit won from deals where deal.stage == "Won" on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)

let attainment: percent = bookings / quota(payee, period)

payout commission = 10% * bookings
"""

FILES = {
    "deals.csv": "id,close_date,owner_id,stage,amount,state\n"
                 "D1,2026-01-10,ann,Won,1000.00,N\nD2,2026-01-20,bob,Won,2000.00,S\n"
                 "D3,2026-07-05,ann,Won,500.00,N\nD4,2026-07-06,bob,Open,700.00,S\n",
    # a name with markup: the page must escape it (check_self_contained finds no <script)
    "payees.csv": 'id,name,role\nann,"Ann <script>alert(1)</script> & Co",AE\nbob,Bob Roy,AE\n',
    # bob's quota is 0 in Q1; nobody sells in Q2
    "quotas.csv": "rep_id,quarter,quota_amount\nann,2026-Q1,10000\nann,2026-Q2,10000\n"
                  "ann,2026-Q3,10000\nbob,2026-Q1,0\nbob,2026-Q2,10000\nbob,2026-Q3,10000\n",
}


def bad_input(work):
    folder = os.path.join(work, "bad")
    data = os.path.join(folder, "data")
    os.makedirs(data)
    for name, text in FILES.items():
        with open(os.path.join(data, name), "w", encoding="utf-8") as f:
            f.write(text)
    plan = os.path.join(folder, "plan.tally")
    with open(plan, "w", encoding="utf-8") as f:
        f.write(BAD_PLAN)
    out = os.path.join(folder, "out")
    rep = tally("report", plan, "--data", data, "--out", out, "--period", "2026-Q1..2026-Q3")
    check("bad input: the report succeeds", rep.returncode == 0, rep.stderr[-800:])
    page = read(os.path.join(out, "report.html"))
    check_self_contained("bad input", page)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    doc = json.loads(read(os.path.join(out, "report.json")) or "{}")
    check("bad input: the payee's name is shown, escaped",
          "Ann &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page)
    check("bad input: a period with no data has a note",
          "Period 2026-Q2 has no data" in text and
          any("2026-Q2" in n for n in doc.get("notes", [])))
    check("bad input: a payee with a zero quota has a note",
          "attainment of bob in 2026-Q1 could not be computed" in text)
    check("bad input: the zero-quota payee-period is left out of the distribution",
          doc.get("attainment", {}).get("count") == 5)
    check("bad input: a territory with no transactions has a note",
          "Territory East has no transactions" in text)
    check("bad input: no max/min ratio over a territory with 0 bookings, with a note",
          doc.get("territory_balance", {}).get("max_min_ratio") is None and
          "No max/min ratio" in text)
    check("bad input: the Gini coefficient is computed (3 territories, 1500/2000/0)",
          doc.get("territory_balance", {}).get("gini") == "0.3810",
          f"  {doc.get('territory_balance')}")
    # one period: too short to forecast
    short = os.path.join(folder, "short")
    rep = tally("report", plan, "--data", data, "--out", short, "--period", "2026-Q1")
    check("short history: the report succeeds", rep.returncode == 0, rep.stderr[-500:])
    text = html.unescape(re.sub(r"<[^>]+>", " ", read(os.path.join(short, "report.html"))))
    check("short history: the forecast says the history is too short",
          "The history is too short" in text and "linear needs at least 2" in text, text[-1500:])
    # a plan with no attainment
    plain = os.path.join(folder, "plain.tally")
    with open(plain, "w", encoding="utf-8") as f:
        f.write(BAD_PLAN.replace("let attainment: percent = bookings / quota(payee, period)\n", ""))
    rep = tally("report", plain, "--data", data, "--out", os.path.join(folder, "plain"))
    check("no attainment: the report succeeds", rep.returncode == 0, rep.stderr[-500:])
    text = html.unescape(re.sub(r"<[^>]+>", " ", read(os.path.join(folder, "plain",
                                                                    "report.html"))))
    check("no attainment: the page says so and how to name one",
          "The plan declares no attainment" in text and "--attainment NAME" in text)
    check("no attainment: no pay-versus-performance chart, with a note",
          "No pay-versus-performance chart" in text)
    return plan, data


def bad_flags(work, plan, data):
    out = os.path.join(work, "flags")

    def expect(name, args, code, fragment):
        got = tally("report", *args)
        check(f"flags: {name} exits {code}", got.returncode == code,
              f"  exit {got.returncode}: {got.stderr[-400:]}")
        check(f"flags: {name} says {fragment!r}", fragment in got.stderr, got.stderr[-400:])

    expect("an unknown --attainment", [plan, "--data", data, "--out", out, "--attainment",
                                       "attainmnt"], 2, "did you mean `attainment`")
    expect("--attainment naming a money measure", [plan, "--data", data, "--out", out,
                                                   "--attainment", "bookings"], 2,
           "--attainment expects a percent or decimal measure or let")
    expect("--revenue naming a let", [plan, "--data", data, "--out", out, "--revenue",
                                      "attainment"], 2, "--revenue expects a measure")
    expect("a malformed --period", [plan, "--data", data, "--out", out, "--period", ".."], 2,
           "--period expects PERIOD or FIRST..LAST")
    expect("a missing --out", [plan, "--data", data], 2, "--out")
    expect("an unknown period", [plan, "--data", data, "--out", out, "--period", "2031-Q9"], 1,
           "2031-Q9")
    expect("--source naming no source", [plan, "--data", data, "--out", out, "--source",
                                         "nosuch"], 2, "nosuch")
    blocker = os.path.join(work, "a_file")
    with open(blocker, "w", encoding="utf-8") as f:
        f.write("x")
    expect("--out naming a file", [plan, "--data", data, "--out", blocker], 2,
           "--out expects a folder")


def main():
    usage = tally("report", "--help")
    if usage.returncode != 0 or "report" not in usage.stdout:
        print(f"FAIL tally has no `report` command\n  {usage.stderr.strip()}")
        return 1
    work = tempfile.mkdtemp(prefix="tally_report_")
    try:
        results = {}
        for name, plan, data, extra in cases():
            results[name] = run_plan(name, plan, data, extra, work)
        check("the real CRM data set was reported", results.get("crm_opportunities") is not None)
        crm = results.get("crm_opportunities")
        if crm:
            doc = json.loads(read(os.path.join(crm[0], "report.json")))
            check("crm: a pipeline forecast from the open deals",
                  any(p["pipeline"] is not None and p["open_deals"] > 0
                      for p in doc["forecast"]["payees"]))
            check("crm: trend forecasts over the four quarters",
                  all(p["linear"]["value"] is not None for p in doc["forecast"]["payees"]))
            check("crm: the cross-sell section compares the 85 accounts",
                  doc["cross_sell"]["accounts"] == 85 and len(doc["cross_sell"]["gaps"]) > 0,
                  f"  {doc['cross_sell']['accounts']}, {len(doc['cross_sell']['gaps'])} gaps")
        ae = results.get("ae_quota")
        if ae:
            doc = json.loads(read(os.path.join(ae[0], "report.json")))
            curve = doc["pay_versus_performance"]["plan_curve"] or {}
            check("ae_quota: the plan's curve is drawn from the commission's tiers",
                  curve.get("payout") == "commission", f"  {curve.get('payout')}")
            # 4% to 50%, 8% to 100%: at 100% of the median base B, 6% of B
            at = {Decimal(p["attainment"]): Decimal(p["paid"]) for p in curve.get("points", [])}
            base = Decimal(curve.get("base", "0"))
            inside = [a for a in at if 50 <= a <= 100]
            near = max(inside) if inside else None
            check("ae_quota: the curve pays 4% x 50 + 8% x (a - 50) of the base below 100%",
                  near is not None and
                  abs(at[near] - base * (Decimal("0.02") + Decimal("0.0008") * (near - 50)))
                  < Decimal("0.02"), f"  {near}: {at.get(near)} with base {base}")
        se = results.get("se_overlay")
        if se:
            doc = json.loads(read(os.path.join(se[0], "report.json")))
            names = [t["territory"] for t in doc["territory_balance"]["territories"]]
            check("se_overlay: the territory balance lists the plan's territories",
                  {"West", "West.CA", "Central", "East"} <= set(names), f"  {names}")
            check("se_overlay: a Gini coefficient between 0 and 1",
                  0 <= float(doc["territory_balance"]["gini"] or -1) <= 1)
        plan, data = bad_input(work)
        bad_flags(work, plan, data)
        if not CHROMIUM:
            print("chromium is not installed: the rendering checks are skipped")
        else:
            if results.get("ae_quota"):
                check_rendered("ae_quota", results["ae_quota"], work,
                               ["attainment", "pay-performance", "payouts", "trends",
                                "forecast"])
            if results.get("se_overlay"):
                check_rendered("se_overlay", results["se_overlay"], work,
                               ["payouts", "trends", "territories", "forecast"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    finish()


if __name__ == "__main__":
    sys.exit(main())
