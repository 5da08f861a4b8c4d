#!/usr/bin/env python3
"""The KPIs of the standard library (`import "stdlib/kpi"`, docs/language.md
section 8) end to end: `tally check`, `tally test`, `tally fmt --check` and
`tally run` of plans/crm_analytics.tally over the real CRM data set, whose
measures are compared with an independent computation from the CSV files in
Python (Decimal); then the same functions in `tally repl`, alone and over the
plan's data, and the error for an unknown module.

    test_kpi.py TALLY_BINARY PROJECT_DIR
"""
import collections
import csv
import datetime
import os
import subprocess
import sys
import tempfile
from decimal import ROUND_HALF_EVEN, Decimal, getcontext

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import check, finish  # noqa: E402

TALLY = sys.argv[1]
ROOT = sys.argv[2]
PLAN = os.path.join(ROOT, "plans", "crm_analytics.tally")
DATA = os.path.join(ROOT, "..", "shared", "data", "maven_crm")
getcontext().prec = 40


def tally(*args, stdin=None):
    return subprocess.run([TALLY, *args], input=stdin, capture_output=True, text=True,
                          timeout=120)


def quarter(day):
    d = datetime.date.fromisoformat(day)
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def close(a, b):
    """Ratios are exact decimals of 28 digits in the engine; the oracle works
    with 40, so the two agree to far more than any report shows."""
    return abs(Decimal(a) - Decimal(b)) <= Decimal("1e-18") * max(1, abs(Decimal(b)))


def oracle():
    """The plan's measures per (agent, quarter), computed from the CSV files."""
    prices = {}
    with open(os.path.join(DATA, "products.csv"), newline="") as f:
        for row in csv.DictReader(f):
            prices[row["product"]] = Decimal(row["sales_price"])
    prices["GTXPro"] = prices["GTX Pro"]  # the pipeline's spelling of the product
    m = collections.defaultdict(lambda: collections.defaultdict(Decimal))
    logos = collections.defaultdict(set)
    with open(os.path.join(DATA, "sales_pipeline.csv"), newline="") as f:
        for row in csv.DictReader(f):
            stage = row["deal_stage"]
            if stage in ("Won", "Lost"):
                key = (row["sales_agent"], quarter(row["close_date"]))
                days = (datetime.date.fromisoformat(row["close_date"]) -
                        datetime.date.fromisoformat(row["engage_date"])).days
                m[key]["cycle_days"] += days
                if stage == "Won":
                    value = Decimal(row["close_value"])
                    m[key]["won_deals"] += 1
                    m[key]["won_value"] += value
                    if row["product"].startswith("GTX"):
                        m[key]["gtx_value"] += value
                    if row["account"]:
                        logos[key].add(row["account"])
                else:
                    m[key]["lost_deals"] += 1
            elif stage == "Engaging":
                key = (row["sales_agent"], quarter(row["engage_date"]))
                m[key]["open_deals"] += 1
                m[key]["pipeline_value"] += prices[row["product"]]
    for key, values in m.items():
        values["new_logos"] = Decimal(len(logos[key]))
        won, lost = values["won_deals"], values["lost_deals"]
        values["rate"] = won / (won + lost) if won + lost else Decimal(0)
        values["deal_size"] = values["won_value"] / won if won else Decimal(0)
        values["cycle"] = values["cycle_days"] / (won + lost) if won + lost else Decimal(0)
        values["velocity"] = (values["open_deals"] * values["rate"] * values["deal_size"] /
                              values["cycle"] if values["cycle"] else Decimal(0))
        due = Decimal("0.05") * values["won_value"] + Decimal("0.02") * values["gtx_value"]
        values["commission"] = due.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
        values["cost"] = due / values["won_value"] if values["won_value"] else Decimal(0)
    return m


def main():
    if not os.path.isdir(DATA):
        print("skipped: ../shared/data/maven_crm is not here")
        sys.exit(77)

    done = tally("check", PLAN)
    check("check: the plan is accepted", done.returncode == 0, done.stderr)
    done = tally("fmt", "--check", PLAN)
    check("fmt: the plan is in the canonical layout", done.returncode == 0, done.stdout + done.stderr)
    done = tally("test", PLAN)
    check("test: the plan's worked examples pass",
          done.returncode == 0 and "2 passed, 0 failed" in done.stdout, done.stdout + done.stderr)

    expected = oracle()
    with tempfile.TemporaryDirectory() as out:
        done = tally("run", PLAN, "--data", DATA, "--out", out)
        check("run: the plan runs over the real data", done.returncode == 0, done.stderr)
        if done.returncode != 0:
            finish()
        measures = collections.defaultdict(dict)
        with open(os.path.join(out, "measures.csv"), newline="") as f:
            for row in csv.DictReader(f):
                measures[(row["payee"], row["period"])][row["measure"]] = row["value"]
        paid = collections.defaultdict(Decimal)
        with open(os.path.join(out, "payouts.csv"), newline="") as f:
            for row in csv.DictReader(f):
                paid[(row["payee"], row["period"])] += Decimal(row["amount"])

    names = ["won_deals", "won_value", "gtx_value", "lost_deals", "cycle_days", "open_deals",
             "pipeline_value", "new_logos", "rate", "deal_size", "cycle", "velocity", "cost"]
    wrong = []
    zero_quarters = 0
    for key, row in measures.items():
        want = expected.get(key, collections.defaultdict(Decimal))
        if key not in expected:
            zero_quarters += 1
        for name in names:
            if name not in row or not close(row[name], want[name]):
                wrong.append(f"{key} {name}: tally {row.get(name)}, oracle {want[name]}")
        if paid[key] != want["commission"]:
            wrong.append(f"{key} commission: tally {paid[key]}, oracle {want['commission']}")
    check("run: every measure and KPI of every agent and quarter equals the oracle's",
          not wrong, "\n".join(wrong[:20]))
    check("run: every (agent, quarter) with deals is in the output",
          all(key in measures for key in expected), str(set(expected) - set(measures)))
    check("run: quarters without any deal have zero KPIs, not an error", zero_quarters > 0)

    # Totals over the year, the figures a reader would check first.
    def total(name, year="2017"):
        return sum((v[name] for k, v in expected.items() if k[1].startswith(year)), Decimal(0))

    won, lost = total("won_deals"), total("lost_deals")
    check("oracle: 4238 deals won and 2473 lost in 2017 (SOURCE.md)", (won, lost) == (4238, 2473))
    tally_won = sum(Decimal(r["won_value"]) for k, r in measures.items() if k[1].startswith("2017"))
    check("run: the won value of 2017 equals the sum of close_value of the won deals",
          tally_won == total("won_value"), f"{tally_won} vs {total('won_value')}")
    check("run: the commissions paid equal the oracle's", sum(paid.values()) ==
          sum(v["commission"] for v in expected.values()))

    # The REPL: the module alone, hand-worked values and a zero denominator.
    done = tally("repl", stdin='import "stdlib/kpi"\nwin_rate(3, 1)\nwin_rate(0, 0)\n'
                 'average_deal_size(9_000 USD, 3)\nquota_attainment(10 USD, 0 USD)\n'
                 'pipeline_velocity(20, 25%, 4_000 USD, 50)\n')
    check("repl: the KPIs of an imported stdlib/kpi",
          done.stdout.split("\n")[:5] == ["75%", "0%", "3000.00 USD", "0%", "400.00 USD"],
          done.stdout + done.stderr)
    # Over the plan and its data: Moses Frase won 15 and lost 2 deals in 2017-Q1 (the oracle).
    moses = expected[("Moses Frase", "2017-Q1")]
    done = tally("repl", PLAN, "--data", DATA,
                 stdin='win_rate(won_deals("Moses Frase", 2017-Q1), lost_deals("Moses Frase", '
                 '2017-Q1))\nrate("Moses Frase", 2016-Q2)\n')
    lines = done.stdout.split("\n")
    check("repl: a KPI of a payee and quarter over the real data",
          (moses["won_deals"], moses["lost_deals"]) == (15, 2) and lines[0].endswith("%") and
          close(Decimal(lines[0][:-1]) / 100, Decimal(15) / 17) and lines[1] == "0%",
          done.stdout + done.stderr)

    done = tally("repl", stdin='import "stdlib/kpis"\n')
    check("repl: an unknown module is an error listing the modules",
          'the standard library has no module "kpis"' in done.stderr and
          'its modules are "stdlib/kpi"' in done.stderr, done.stdout + done.stderr)
    with tempfile.TemporaryDirectory() as folder:
        plan = os.path.join(folder, "bad.tally")
        with open(plan, "w") as f:
            f.write('import "stdlib/nope"\n')
        done = tally("check", plan)
        check("check: an unknown module fails with its line",
              done.returncode != 0 and 'bad.tally:1:1: error: the standard library has no module '
              '"nope"' in done.stderr, done.stderr)
    forecast_checks()
    finish()


FORECAST_PLAN = """plan "Forecast" currency USD periods quarter rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, amount: money }

roster payees { id: text key }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
measure deals_won: int = count(credit)
measure linear: money = forecast(bookings)
measure holt: money = forecast(bookings, method: holt)
measure low: money = forecast(bookings, bound: low)
measure high: money = forecast(bookings, bound: high)
measure deals_expected: int = forecast(deals_won)

payout commission = 10% * bookings
"""


def linear_oracle(y):
    """Least squares through (i, y[i]), extended one step; the interval is
    value +- 1.2816 * sqrt(SSE / (n - 2)) (0 wide for 2 points)."""
    n = len(y)
    mx = Decimal(n - 1) / 2
    my = sum(y, Decimal(0)) / n
    slope = sum((i - mx) * (v - my) for i, v in enumerate(y)) / sum((i - mx) ** 2 for i in range(n))
    value = my + slope * (n - mx)
    sse = sum((v - (my + slope * (i - mx))) ** 2 for i, v in enumerate(y))
    spread = (sse / (n - 2)).sqrt() if n > 2 else Decimal(0)
    z = Decimal("1.2816")
    return value, value - z * spread, value + z * spread


def cents(x):
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def forecast_checks():
    """forecast(...) in a run, once the engine runs it (docs/language.md,
    section 8): bookings of 100, 130, 150 and 200 USD in 2026-Q1..Q4 (one deal
    each, two in Q4), forecast from the quarters before each."""
    with tempfile.TemporaryDirectory() as folder:
        plan = os.path.join(folder, "forecast.tally")
        with open(plan, "w") as f:
            f.write(FORECAST_PLAN)
        data = os.path.join(folder, "data")
        os.mkdir(data)
        with open(os.path.join(data, "deals.csv"), "w") as f:
            f.write("id,close_date,owner,amount\nd1,2026-02-01,ann,100\nd2,2026-05-01,ann,130\n"
                    "d3,2026-08-01,ann,150\nd4,2026-11-01,ann,120\nd5,2026-11-02,ann,80\n")
        with open(os.path.join(data, "payees.csv"), "w") as f:
            f.write("id\nann\n")
        done = tally("check", plan)
        check("forecast: tally check accepts forecast(...)", done.returncode == 0, done.stderr)
        out = os.path.join(folder, "out")
        done = tally("run", plan, "--data", data, "--out", out)
        if "cannot run the function `forecast` yet" in done.stderr:
            print("skipped: forecast(...) runs once the engine has LOAD_FORECAST")
            check("forecast: tally run refuses it at the call, by name",
                  done.returncode != 0 and "forecast.tally:15:" in done.stderr, done.stderr)
            return
        check("forecast: the plan runs", done.returncode == 0, done.stderr)
        if done.returncode != 0:
            return
        got = collections.defaultdict(dict)
        with open(os.path.join(out, "measures.csv"), newline="") as f:
            for row in csv.DictReader(f):
                got[row["period"]][row["measure"]] = row["value"]
    y = [Decimal(100), Decimal(130), Decimal(150), Decimal(200)]
    # Q1 and Q2: too short a history for either method: the quarter's own value.
    check("forecast: Q1 has no history, so each forecast is the actual",
          all(Decimal(got["2026-Q1"][m]) == 100 for m in ("linear", "holt", "low", "high")) and
          got["2026-Q1"]["deals_expected"] == "1", str(got["2026-Q1"]))
    check("forecast: Q2 has 1 period, the actual again", Decimal(got["2026-Q2"]["linear"]) == 130)
    # Q3 from 100, 130: the line through them gives 160, no interval; holt needs 3.
    check("forecast: Q3 linear from two periods is 160",
          [Decimal(got["2026-Q3"][m]) for m in ("linear", "low", "high", "holt")] ==
          [160, 160, 160, 150], str(got["2026-Q3"]))
    # Q4 from 100, 130, 150: 176.67 (hand-worked in docs/language.md), interval by the oracle.
    value, low, high = linear_oracle(y[:3])
    check("forecast: Q4 linear and its interval equal the oracle's",
          [Decimal(got["2026-Q4"][m]) for m in ("linear", "low", "high")] ==
          [Decimal("176.67"), cents(low), cents(high)] and cents(value) == Decimal("176.67"),
          f"{got['2026-Q4']} vs {cents(value)} {cents(low)} {cents(high)}")
    # Holt from 100, 130, 150, by the oracle of the unit tests (written from the definition).
    sys.path.insert(0, os.path.join(ROOT, "tests", "unit", "stdlib"))
    import kpi_forecast_oracle  # noqa: E402
    holt = kpi_forecast_oracle.holt([100, 130, 150])[0]
    check("forecast: Q4 holt equals the oracle's", Decimal(got["2026-Q4"]["holt"]) ==
          kpi_forecast_oracle.cents(holt), f"{got['2026-Q4']['holt']} vs {holt}")
    # Deals won 1, 1, 1: the line is flat, so Q4 expects 1 deal (it won 2).
    check("forecast: an int measure forecasts a whole number",
          got["2026-Q4"]["deals_expected"] == "1", str(got["2026-Q4"]))


if __name__ == "__main__":
    main()
