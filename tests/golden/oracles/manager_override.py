#!/usr/bin/env python3
"""Independent oracle for plans/manager_override.tally, from the plan's text in
plain Python with `decimal`. Each won deal credits its owner (direct) and the
owner's manager and that manager's manager (rollup). A team quota is the sum
of the quotas of everyone below the payee in the roster. AEs: 10% of direct
bookings; managers: 1% of team bookings below the team quota, 2% of all of
them at or above it (retroactive), plus 5_000 USD when at or above; the
director: 0.5% of team bookings, plus 10_000 USD when at or above.

    python3 tests/golden/oracles/manager_override.py plans/data/manager_override OUT_DIR
"""
import os
import sys
from decimal import Decimal, localcontext

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_tables import (  # noqa: E402
    date, paid, pct, quarter_label, read, retroactive, write_measures, write_payouts)

MANAGER_TIERS = [(pct("0"), pct("100"), pct("1")), (pct("100"), None, pct("2"))]


def main(data_dir, out_dir):
    with localcontext() as ctx:
        ctx.prec = 60
        payees = read(f"{data_dir}/payees.csv")
        manager = {p["id"]: p["manager"] or None for p in payees}
        quota = {(q["rep_id"], q["quarter"]): Decimal(q["quota_amount"])
                 for q in read(f"{data_dir}/quotas.csv")}

        def below(pid):
            kids = [p for p, m in manager.items() if m == pid]
            return kids + [k for kid in kids for k in below(kid)]

        def team_quota(pid, period):
            return sum((quota.get((r, period), Decimal(0)) for r in below(pid)), Decimal(0))

        direct, team = {}, {}
        for d in read(f"{data_dir}/deals.csv"):
            if d["stage"] != "Won":
                continue
            period = quarter_label(date(d["close_date"]))
            credit = Decimal(d["amount"]) * pct("100")
            key = (d["owner_id"], period)
            direct[key] = direct.get(key, Decimal(0)) + credit
            boss = manager[d["owner_id"]]
            for _ in range(2):
                if boss is None:
                    break
                team[(boss, period)] = team.get((boss, period), Decimal(0)) + credit
                boss = manager[boss]
        payouts, measures = [], []
        for p in payees:
            for q in range(1, 5):
                key = (p["id"], f"2026-Q{q}")
                b, t = direct.get(key, Decimal(0)), team.get(key, Decimal(0))
                measures += [[*key, "bookings", str(b)], [*key, "team_bookings", str(t)]]
                if p["role"] == "AE":
                    payouts.append([*key, "commission", paid(pct("10") * b)])
                if p["role"] == "MGR":
                    tq = team_quota(*key)
                    payouts.append([*key, "manager_override",
                                    paid(retroactive(MANAGER_TIERS, t, base=tq))])
                    if t >= tq:
                        payouts.append([*key, "team_bonus", paid(Decimal(5000))])
                if p["role"] == "DIR":
                    payouts.append([*key, "director_override", paid(pct("0.5") * t)])
                    if t >= team_quota(*key):
                        payouts.append([*key, "org_bonus", paid(Decimal(10000))])
    write_payouts(out_dir, payouts)
    write_measures(out_dir, measures)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
