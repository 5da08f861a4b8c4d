#!/usr/bin/env python3
"""An independent back-test of `tally forecast --backtest` on the CRM export
(../shared/data/maven_crm) for plans/crm_opportunities.tally, written in
plain Python from the definitions in docs/analytics.md; it shares no code
with the C++ and does not run tally. test_forecast.py compares its figures
with the program's; run alone it prints them:

    python3 tests/cli/forecast_oracle.py ../shared/data/maven_crm

The measure is the plan's won_value: the close_value of the Won deals, by
the quarter of their close_date, per sales agent of sales_teams.csv.
"""
import csv
import datetime
import json
import os
import sys

Z = 1.2816


def quarter_of(date):
    return (date.year, (date.month - 1) // 3 + 1)


def quarter_start(q):
    return datetime.date(q[0], 3 * (q[1] - 1) + 1, 1)


def label(q):
    return f"{q[0]}-Q{q[1]}"


def parse_date(text):
    return datetime.date.fromisoformat(text) if text else None


def load(folder):
    with open(os.path.join(folder, "sales_pipeline.csv"), newline="") as f:
        deals = []
        for row in csv.DictReader(f):
            deals.append({
                "owner": row["sales_agent"],
                "product": row["product"],
                "stage": row["deal_stage"],
                "opened": parse_date(row["engage_date"]),
                "closed": parse_date(row["close_date"]),
                "value": float(row["close_value"]) if row["close_value"] else None,
            })
    with open(os.path.join(folder, "sales_teams.csv"), newline="") as f:
        agents = [row["sales_agent"] for row in csv.DictReader(f)]
    return deals, agents


def actuals(deals, agents):
    quarters = sorted({quarter_of(d["closed"]) for d in deals if d["stage"] == "Won"})
    table = {a: {q: 0.0 for q in quarters} for a in agents}
    for d in deals:
        if d["stage"] == "Won":
            table[d["owner"]][quarter_of(d["closed"])] += d["value"] or 0.0
    return quarters, table


def linear(y):
    n = len(y)
    if n < 2:
        return None
    mx = (n - 1) / 2
    my = sum(y) / n
    b = sum((i - mx) * (v - my) for i, v in enumerate(y)) / sum((i - mx) ** 2 for i in range(n))
    return max(0.0, my + b * (n - mx))  # at x = n


def holt(y):
    if len(y) < 3:
        return None
    best = None
    for ai in range(1, 10):
        for bi in range(1, 10):
            a, b = ai / 10, bi / 10
            level, trend, sse = y[0], y[1] - y[0], 0.0
            for t in range(1, len(y)):
                guess = level + trend
                if t >= 2:
                    sse += (y[t] - guess) ** 2
                new_level = a * y[t] + (1 - a) * guess
                trend = b * (new_level - level) + (1 - b) * trend
                level = new_level
            if best is None or sse < best[0]:
                best = (sse, level + trend)
    return max(0.0, best[1])


def pipeline(deals, agents, cutoff):
    closed = [d for d in deals if d["stage"] in ("Won", "Lost") and d["closed"] and d["closed"] < cutoff]
    if not closed:
        return {a: None for a in agents}
    won = [d for d in closed if d["stage"] == "Won"]
    rate = len(won) / len(closed)
    sized = [d for d in won if d["value"] is not None]
    if not sized:
        return {a: None for a in agents}
    overall = sum(d["value"] for d in sized) / len(sized)
    by_product = {}
    for d in sized:
        by_product.setdefault(d["product"], []).append(d["value"])
    forecast = {a: 0.0 for a in agents}
    for d in deals:
        still_open = d["stage"] not in ("Won", "Lost")
        if d["opened"] is None or d["opened"] >= cutoff:
            continue
        if not still_open and (d["closed"] is None or d["closed"] < cutoff):
            continue
        if still_open and d["value"] is not None:
            value = d["value"]
        elif d["product"] in by_product:
            value = sum(by_product[d["product"]]) / len(by_product[d["product"]])
        else:
            value = overall
        forecast[d["owner"]] += rate * value
    return forecast


def backtest(folder):
    deals, agents = load(folder)
    quarters, table = actuals(deals, agents)
    methods = ("pipeline", "linear", "holt")
    errors = {m: [] for m in methods}
    team_errors = {m: [] for m in methods}
    periods = {m: [] for m in methods}
    points = []
    for k, q in enumerate(quarters):
        pipe = pipeline(deals, agents, quarter_start(q))
        predicted = {}
        for a in agents:
            history = [table[a][p] for p in quarters[:k]]
            predicted[a] = {"pipeline": pipe[a], "linear": linear(history), "holt": holt(history)}
            points.append({"payee": a, "period": label(q), "actual": table[a][q], **predicted[a]})
        team_actual = sum(table[a][q] for a in agents)
        team = {"payee": None, "period": label(q), "actual": team_actual}
        for m in methods:
            made = [predicted[a][m] for a in agents if predicted[a][m] is not None]
            if made:
                periods[m].append(label(q))
            for a in agents:
                if predicted[a][m] is not None and table[a][q] != 0:
                    errors[m].append(abs(table[a][q] - predicted[a][m]) / abs(table[a][q]))
            if len(made) == len(agents):
                team[m] = sum(made)
                if team_actual != 0:
                    team_errors[m].append(abs(team_actual - team[m]) / abs(team_actual))
            else:
                team[m] = None
        points.append(team)
    scores = {}
    for m in methods:
        scores[m] = {
            "mape": 100 * sum(errors[m]) / len(errors[m]) if errors[m] else None,
            "points": len(errors[m]),
            "team_mape": 100 * sum(team_errors[m]) / len(team_errors[m]) if team_errors[m] else None,
            "team_points": len(team_errors[m]),
            "periods": periods[m],
        }
    return {"periods": [label(q) for q in quarters], "methods": scores, "points": points}


if __name__ == "__main__":
    result = backtest(sys.argv[1])
    print(json.dumps({"periods": result["periods"], "methods": result["methods"]}, indent=2))
