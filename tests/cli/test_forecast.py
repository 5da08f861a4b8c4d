#!/usr/bin/env python3
"""End-to-end tests of `tally forecast`: usage and plan errors, the live
forecast as text and JSON, the back-test on a small hand-made data set whose
figures were worked by hand (below), the back-test on the real CRM export
checked against an independent pure-Python back-test (forecast_oracle.py,
sharing no code with the C++), and the table in docs/analytics.md, which must
be what the program prints.

    test_forecast.py TALLY_BINARY PROJECT_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish, summary  # noqa: E402
import forecast_oracle  # noqa: E402

TALLY = sys.argv[1]
ROOT = sys.argv[2]
CRM_PLAN = os.path.join(ROOT, "plans", "crm_opportunities.tally")
CRM_DATA = os.path.join(ROOT, "..", "shared", "data", "maven_crm")


def tally(*args, cwd=None):
    return subprocess.run([TALLY, *args], capture_output=True, text=True, cwd=cwd)


def near(a, b, tolerance=0.006):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tolerance


if "tally forecast" not in tally("forecast", "--help").stdout:
    print("skip: this tally has no forecast command")
    sys.exit(77)

PLAN = """plan "Forecast test" version 1
  currency USD
  periods quarter

source deals {
  id: text key
  rep: payee
  product: text
  STAGE_FIELD: text
  opened: date?
  closed: date?
  value: money?
}

roster reps { rep: text key }

credit won from deals as deal
  amount deal.value ?? 0 USD
  where deal.STAGE_FIELD == "Won"
  on deal.closed ?? 2017-01-01 {
  deal.rep gets 100%
}

measure won_value: money = sum(credit.amount)
measure won_deals: int = count(credit)
payout commission = 10% * won_value
"""

DEALS = """id,rep,product,STAGE_FIELD,opened,closed,value
D1,ann,W,Won,2016-12-01,2017-02-01,100
D2,bo,W,Won,2016-12-01,2017-02-15,100
D3,bo,W,Lost,2016-12-01,2017-03-01,0
D4,ann,W,Won,2017-03-01,2017-05-01,200
D5,bo,W,Won,2017-03-15,2017-05-01,100
D6,ann,W,Lost,2017-03-20,2017-06-01,0
D7,ann,W,Won,2017-06-01,2017-08-01,300
D8,bo,W,Won,2017-06-01,2017-08-01,100
D9,ann,W,Won,2017-09-01,2017-11-01,300
D10,bo,W,Won,2017-09-01,2017-11-01,200
D11,bo,W,Engaging,2017-09-15,,400
"""

QUOTA_DECLARATIONS = """
source quotas { rep_id: payee, quarter: period, amount: money }
table quota(payee, period): money from quotas(rep_id, quarter, amount)
let sales_quota: money = quota(payee, period)
"""

work = tempfile.mkdtemp(prefix="tally_forecast_")
try:
    data = os.path.join(work, "data")
    os.makedirs(data)
    plan = os.path.join(work, "small.tally")
    with open(plan, "w") as f:
        f.write(PLAN.replace("STAGE_FIELD", "stage"))
    with open(os.path.join(data, "deals.csv"), "w") as f:
        f.write(DEALS.replace("STAGE_FIELD", "stage"))
    with open(os.path.join(data, "reps.csv"), "w") as f:
        f.write("rep\nann\nbo\ncy\n")
    no_pipeline_data = os.path.join(work, "phase_data")
    os.makedirs(no_pipeline_data)
    no_pipeline = os.path.join(work, "phase.tally")
    with open(no_pipeline, "w") as f:
        f.write(PLAN.replace("STAGE_FIELD", "phase"))
    with open(os.path.join(no_pipeline_data, "deals.csv"), "w") as f:
        f.write(DEALS.replace("STAGE_FIELD", "phase"))
    shutil.copy(os.path.join(data, "reps.csv"), no_pipeline_data)

    # The same plan with a quota per payee and quarter: ann 1_000, bo 0, cy 500.
    quota_plan = os.path.join(work, "quota.tally")
    with open(quota_plan, "w") as f:
        f.write(PLAN.replace("STAGE_FIELD", "stage") + QUOTA_DECLARATIONS)
    with open(os.path.join(data, "quotas.csv"), "w") as f:
        f.write("rep_id,quarter,amount\n")
        for q in range(1, 5):
            f.write(f"ann,2017-Q{q},1000\nbo,2017-Q{q},0\ncy,2017-Q{q},500\n")

    def forecast(*args, plan_file=plan, folder=data):
        return tally("forecast", plan_file, "--data", folder, *args)

    # ---- usage errors: exit 2, the command named, its --help pointed at
    r = tally("forecast")
    check("no plan: exit 2", r.returncode == 2 and "plan is required" in r.stderr, r.stderr)
    r = forecast("--backtest", "--period", "2017-Q2")
    check("--backtest with --period: exit 2", r.returncode == 2 and "excludes" in r.stderr,
          r.stderr)
    r = forecast("--bind", "deals")
    check("--bind without =: exit 2",
          r.returncode == 2 and "tally forecast: error: --bind expects NAME=PATH" in r.stderr
          and "tally forecast --help" in r.stderr, r.stderr)
    r = forecast("--frobnicate")
    check("unknown flag: exit 2", r.returncode == 2, r.stderr)
    r = tally("forecast", os.path.join(work, "missing.tally"))
    check("missing plan file: exit 2", r.returncode == 2, r.stderr)
    r = tally("forecast", "--help")
    flags = ["--data", "--bind", "--measure", "--quota", "--period", "--payee", "--json", "--backtest",
             "--lenient", "--source", "--owner", "--stage", "--value", "--opened", "--closed",
             "--product"]
    check("--help lists every flag", r.returncode == 0 and all(f in r.stdout for f in flags),
          r.stdout)

    # ---- plan and data errors: exit 1 with a located or explained message
    r = forecast("--measure", "won_valu")
    check("unknown measure: exit 1 with a hint",
          r.returncode == 1 and "the plan has no measure called `won_valu`" in r.stderr
          and "did you mean `won_value`?" in r.stderr and r.stdout == "", r.stderr)
    r = forecast("--period", "2017-Q9")
    check("a period that is no label: exit 1",
          r.returncode == 1 and "\"2017-Q9\" is not a period of the plan's calendar" in r.stderr,
          r.stderr)
    r = forecast("--stage", "stag")
    check("an unknown pipeline field: exit 1, located at the source",
          r.returncode == 1 and "small.tally:5:1: error: source `deals` has no field `stag` "
          "(asked for as the stage)" in r.stderr and "did you mean `stage`?" in r.stderr,
          r.stderr)
    r = forecast("--value", "opened")
    check("a pipeline field of the wrong type: exit 1",
          r.returncode == 1 and "the value must be a money, decimal or int field" in r.stderr,
          r.stderr)
    r = forecast("--payee", "anne")
    check("an unknown payee: exit 1 naming the nearest",
          r.returncode == 1 and "anne" in r.stderr and "ann" in r.stderr, r.stderr)
    bad = os.path.join(work, "bad_data")
    shutil.copytree(data, bad)
    with open(os.path.join(bad, "deals.csv"), "a") as f:
        f.write("D12,ann,W,Won,2017-13-01,2017-11-01,5\n")
    r = forecast(folder=bad)
    check("a bad date in the data: exit 1, row and column named",
          r.returncode == 1 and "deals.csv:13:" in r.stderr and "2017-13-01" in r.stderr,
          r.stderr)

    # ---- the live forecast. The data ends on 2017-11-01, so as of 2017-11-02
    # in 2017-Q4; trends over Q1..Q3 (ann 100, 200, 300: 400; bo 100, 100, 100:
    # 100). Deals closed before: 8 won, 2 lost: rate 0.8. Open: D11 (bo, its own
    # value 400): 0.8 x 400 = 320, on top of bo's 200 so far: 520, +- 1.2816 x
    # sqrt(0.8 x 0.2 x 400^2) = 205.056: 314.94 .. 725.06.
    r = forecast("--json")
    check("live forecast: exit 0", r.returncode == 0, r.stderr)
    j = json.loads(r.stdout)
    payees = {p["payee"]: p for p in j["payees"]}
    check("live: period, as of, history", j["period"] == "2017-Q4" and j["as_of"] == "2017-11-02"
          and j["history"] == ["2017-Q1", "2017-Q2", "2017-Q3"] and j["horizon"] == 1
          and j["measure"] == "won_value" and not j["complete"], r.stdout)
    bo = payees["bo"]["forecasts"]
    check("live: bo's pipeline = so far + weighted open deal",
          payees["bo"]["actual"] == 200 and near(bo["pipeline"]["value"], 520)
          and near(bo["pipeline"]["low"], 314.94) and near(bo["pipeline"]["high"], 725.06)
          and bo["pipeline"]["deals"] == 1, json.dumps(bo))
    ann = payees["ann"]["forecasts"]
    check("live: ann has no open pipeline, said so",
          near(ann["pipeline"]["value"], 300) and ann["pipeline"]["deals"] == 0
          and ann["pipeline"]["note"] == "no open pipeline on 2017-11-02", json.dumps(ann))
    check("live: trends", near(ann["linear"]["value"], 400) and near(ann["holt"]["value"], 400)
          and near(bo["linear"]["value"], 100) and near(ann["linear"]["low"], 400),
          json.dumps(payees))
    team = j["team"]["forecasts"]
    check("live: team sums, intervals in quadrature",
          j["team"]["actual"] == 500 and near(team["pipeline"]["value"], 820)
          and near(team["pipeline"]["low"], 614.94) and near(team["linear"]["value"], 500),
          json.dumps(j["team"]))
    r = forecast()
    check("live text: a block per payee",
          r.returncode == 0 and "Forecast of won_value for 2017-Q4, as of 2017-11-02" in r.stdout
          and "  pipeline       520.00  (314.94 .. 725.06)  1 open deal" in r.stdout, r.stdout)

    # A period the data covers: forecast as of its start (2017-04-01), against the final actual.
    r = forecast("--period", "2017-Q2", "--json", "--payee", "ann")
    j = json.loads(r.stdout)
    ann = j["payees"][0]
    check("a past period: as of its start, noted",
          r.returncode == 0 and j["complete"] and j["as_of"] == "2017-04-01"
          and len(j["payees"]) == 1 and ann["actual"] == 200
          and near(ann["forecasts"]["pipeline"]["value"], 133.33)
          and ann["forecasts"]["linear"]["ok"] is False
          and ann["forecasts"]["linear"]["note"] == "history of 1 period; linear needs at least 2 periods"
          and any("covers all of 2017-Q2" in n for n in j["notes"]), r.stdout)
    # A future period: trends two periods ahead of Q3.
    r = forecast("--period", "2018-Q1", "--json")
    j = json.loads(r.stdout)
    ann = {p["payee"]: p for p in j["payees"]}["ann"]
    check("a future period: horizon 2, no actual",
          r.returncode == 0 and j["horizon"] == 2 and ann["actual"] is None
          and near(ann["forecasts"]["linear"]["value"], 500), r.stdout)
    # A zero actual and no deals at all: zeros, never NaN.
    check("no NaN or inf anywhere", "nan" not in r.stdout.lower() and "inf" not in r.stdout,
          r.stdout)

    # ---- attainment: each forecast over the payee's quota (`sales_quota`, found by its name).
    # ann: pipeline 300, linear 400 over 1_000: 30%, 40%. bo's quota is 0: no
    # attainment, a note. Team: 820 over 1_500 = 54.67%.
    r = forecast("--json", plan_file=quota_plan)
    j = json.loads(r.stdout) if r.returncode == 0 else {"payees": [], "notes": []}
    payees = {p["payee"]: p for p in j["payees"]}
    check("attainment against the quota",
          r.returncode == 0 and payees["ann"]["quota"] == 1000
          and near(payees["ann"]["forecasts"]["pipeline"]["attainment"]["value"], 30)
          and near(payees["ann"]["forecasts"]["linear"]["attainment"]["value"], 40)
          and near(j["team"]["forecasts"]["pipeline"]["attainment"]["value"], 54.67),
          r.stdout + r.stderr)
    check("a zero quota: no attainment, a note",
          r.returncode == 0 and payees["bo"]["quota"] == 0
          and payees["bo"]["forecasts"]["pipeline"]["attainment"] is None
          and "1 payee has a zero quota in 2017-Q4: no attainment" in j["notes"], r.stdout)
    r = forecast(plan_file=quota_plan)
    check("attainment in the text",
          "= 30.0% of quota" in r.stdout and "quota          0.00  (zero quota: no attainment)"
          in r.stdout, r.stdout)
    r = forecast("--quota", "sales_quot", plan_file=quota_plan)
    check("an unknown --quota: exit 1 with a hint",
          r.returncode == 1 and "no per-payee let or measure called `sales_quot`" in r.stderr
          and "did you mean `sales_quota`?" in r.stderr, r.stderr)
    r = forecast("--backtest", "--quota", "sales_quota", plan_file=quota_plan)
    check("--backtest with --quota: exit 2", r.returncode == 2, r.stderr)
    r = forecast("--json")
    check("no quota in the plan: a note",
          any(n.startswith("the plan has no quota") for n in json.loads(r.stdout)["notes"]),
          r.stdout)

    # ---- a plan whose source has no stage-like field: no pipeline method, a note, exit 0
    r = tally("forecast", no_pipeline, "--data", no_pipeline_data, "--json")
    j = json.loads(r.stdout) if r.returncode == 0 else {}
    check("no pipeline source: a note, not an error",
          r.returncode == 0 and any("no pipeline source" in n for n in j.get("notes", []))
          and j["payees"][0]["forecasts"]["pipeline"]["ok"] is False, r.stdout + r.stderr)
    r = tally("forecast", no_pipeline, "--data", no_pipeline_data, "--json", "--stage", "phase")
    j = json.loads(r.stdout) if r.returncode == 0 else {}
    check("--stage names the field", r.returncode == 0 and
          near({p["payee"]: p for p in j["payees"]}["bo"]["forecasts"]["pipeline"]["value"], 520),
          r.stdout + r.stderr)

    # ---- the back-test on the small set, worked by hand.
    # Actuals (won value by close quarter): ann 100, 200, 300, 300; bo 100, 100,
    # 100, 200; cy 0 throughout (4 payee-periods left out of the MAPE).
    # pipeline: Q1 none (nothing closed before 2017-01-01). Q2 (cut-off 04-01):
    #   rate 2/3 (D1, D2 won; D3 lost), size 100; ann D4 + D6: 133.33 vs 200
    #   (1/3), bo D5: 66.67 vs 100 (1/3). Q3: rate 4/6, size 500/4 = 125; ann D7
    #   83.33 vs 300 (13/18), bo D8 83.33 vs 100 (1/6). Q4: rate 6/8, size 900/6
    #   = 150; ann D9 112.5 vs 300 (5/8), bo D10 112.5 + D11 0.75 x 400 = 412.5
    #   vs 200 (17/16). MAPE = (1/3 + 1/3 + 13/18 + 1/6 + 5/8 + 17/16) / 6 =
    #   467/864 = 54.05%. Team: 200 vs 300 (1/3), 166.67 vs 400 (7/12), 525 vs
    #   500 (1/20): 32.22%.
    # linear: Q3 ann 300, bo 100 (exact); Q4 ann 400 vs 300 (1/3), bo 100 vs 200
    #   (1/2): (0 + 0 + 1/3 + 1/2) / 4 = 20.83%; team 400 vs 400, 500 vs 500: 0%.
    # holt: Q4 only, the same 400 and 100 (straight histories): 41.67%; team 0%.
    r = forecast("--backtest", "--json")
    j = json.loads(r.stdout)
    m = j["methods"]
    check("back-test: pipeline by hand",
          r.returncode == 0 and near(m["pipeline"]["mape"], 100 * 467 / 864, 1e-3)
          and m["pipeline"]["points"] == 6 and m["pipeline"]["team_points"] == 3
          and near(m["pipeline"]["team_mape"], 100 * (1 / 3 + 7 / 12 + 1 / 20) / 3, 1e-3)
          and m["pipeline"]["periods"] == ["2017-Q2", "2017-Q3", "2017-Q4"], json.dumps(m))
    check("back-test: linear by hand",
          near(m["linear"]["mape"], 100 * (5 / 6) / 4, 1e-3) and m["linear"]["points"] == 4
          and m["linear"]["team_mape"] == 0 and m["linear"]["team_points"] == 2
          and m["linear"]["periods"] == ["2017-Q3", "2017-Q4"], json.dumps(m))
    check("back-test: holt by hand",
          near(m["holt"]["mape"], 100 * (5 / 6) / 2, 1e-3) and m["holt"]["points"] == 2
          and m["holt"]["team_points"] == 1 and m["holt"]["periods"] == ["2017-Q4"],
          json.dumps(m))
    check("back-test: zero actuals counted", j["zero_actuals"] == 4, r.stdout)
    r = forecast("--backtest")
    check("back-test text: the table",
          "| pipeline | 6 | 54.1% | 3 | 32.2% | 2017-Q2, 2017-Q3, 2017-Q4 |" in r.stdout
          and "| linear | 4 | 20.8% | 2 | 0.0% | 2017-Q3, 2017-Q4 |" in r.stdout
          and "| holt | 2 | 41.7% | 1 | 0.0% | 2017-Q4 |" in r.stdout
          and "(4 left out)" in r.stdout, r.stdout)
    r = forecast("--backtest", "--measure", "won_deals", "--json")
    m = json.loads(r.stdout)["methods"] if r.returncode == 0 else {}
    # won deals: ann 1, 1, 1, 1 and bo 1, 1, 1, 1: linear is exact from Q3 on.
    check("back-test of another measure", r.returncode == 0 and m["linear"]["mape"] == 0,
          r.stdout + r.stderr)
finally:
    shutil.rmtree(work, ignore_errors=True)

# ---- the real CRM export against the independent oracle
if not os.path.isdir(CRM_DATA):
    print("skip: ../shared/data/maven_crm is not there")
    sys.exit(summary() or 77)
r = tally("forecast", CRM_PLAN, "--data", CRM_DATA, "--backtest", "--json")
check("maven_crm back-test: exit 0", r.returncode == 0, r.stderr)
got = json.loads(r.stdout)
oracle = forecast_oracle.backtest(CRM_DATA)
check("maven_crm: the periods", got["periods"] == oracle["periods"], r.stdout[:500])
for method in ("pipeline", "linear", "holt"):
    g, o = got["methods"][method], oracle["methods"][method]
    check(f"maven_crm: {method} as the oracle",
          g["points"] == o["points"] and g["team_points"] == o["team_points"]
          and g["periods"] == o["periods"] and near(g["mape"], o["mape"], 1e-3)
          and near(g["team_mape"], o["team_mape"], 1e-3), f"{g}\n{o}")
oracle_points = {(p["payee"], p["period"]): p for p in oracle["points"]}
mismatches = []
for p in got["points"]:
    o = oracle_points.get((p["payee"], p["period"]))
    if o is None or not near(p["actual"], o["actual"]) or any(
            not near(p[m], None if o[m] is None else round(o[m], 2), 0.011)
            for m in ("pipeline", "linear", "holt")):
        mismatches.append((p, o))
check("maven_crm: every payee-period as the oracle",
      not mismatches and len(got["points"]) == len(oracle["points"]), str(mismatches[:3]))

# ---- docs/analytics.md quotes the table the program prints
r = tally("forecast", CRM_PLAN, "--data", CRM_DATA, "--backtest")
printed = [line for line in r.stdout.splitlines() if line.startswith("|")]
with open(os.path.join(ROOT, "docs", "analytics.md")) as f:
    doc = f.read().splitlines()
start = next((i for i, line in enumerate(doc) if line == printed[0]), None) if printed else None
check("docs/analytics.md has the back-test table as printed",
      start is not None and doc[start:start + len(printed)] == printed,
      "printed:\n" + "\n".join(printed))
# ... and its example of a live forecast, line for line up to the team
r = tally("forecast", CRM_PLAN, "--data", CRM_DATA, "--payee", "Anna Snelling,Carl Lin")
example = r.stdout.split("\nteam\n")[0].splitlines()
check("docs/analytics.md has the live example as printed",
      r.returncode == 0 and len(example) > 10 and all(line in doc for line in example if line),
      "\n".join(line for line in example if line not in doc))
finish()
