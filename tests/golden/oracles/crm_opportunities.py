#!/usr/bin/env python3
"""Independent oracle for plans/crm_opportunities.tally over the real Maven CRM
data set (../shared/data/maven_crm, read in place), from the plan's text in
plain Python with `decimal`: per agent (sales_teams.csv, in file order) and
quarter of 2017, the won deals' close_value credited on their close date;
commission = 4% of won value + 2% of won value on GTX products (`GTXPro` in
the pipeline is `GTX Pro`) + 1% of won value above 60_000 USD; in Q4 a SPIFF
of 25 USD per won deal.

    python3 tests/golden/oracles/crm_opportunities.py ../shared/data/maven_crm OUT_DIR
"""
import os
import sys
from decimal import Decimal, localcontext

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_tables import (  # noqa: E402
    date, paid, pct, quarter_label, read, write_measures, write_payouts)

GTX = {"GTX Basic", "GTX Pro", "GTXPro", "GTX Plus Basic", "GTX Plus Pro"}


def main(data_dir, out_dir):
    with localcontext() as ctx:
        ctx.prec = 60
        agents = read(f"{data_dir}/sales_teams.csv")
        won, gtx, count = {}, {}, {}
        for d in read(f"{data_dir}/sales_pipeline.csv"):
            if d["deal_stage"] != "Won":
                continue
            key = (d["sales_agent"], quarter_label(date(d["close_date"])))
            credit = Decimal(d["close_value"]) * pct("100")
            won[key] = won.get(key, Decimal(0)) + credit
            if d["product"] in GTX:
                gtx[key] = gtx.get(key, Decimal(0)) + credit
            count[key] = count.get(key, 0) + 1
        payouts, measures = [], []
        for a in agents:
            for q in range(1, 5):
                key = (a["sales_agent"], f"2017-Q{q}")
                w, g, n = won.get(key, Decimal(0)), gtx.get(key, Decimal(0)), count.get(key, 0)
                measures += [[*key, "won_value", str(w)], [*key, "gtx_value", str(g)],
                             [*key, "won_deals", str(n)]]
                commission = pct("4") * w + pct("2") * g + pct("1") * max(w - Decimal(60000),
                                                                          Decimal(0))
                payouts.append([*key, "commission", paid(commission)])
                if q == 4:
                    payouts.append([*key, "year_end_spiff", paid(Decimal(25) * n)])
    write_payouts(out_dir, payouts)
    write_measures(out_dir, measures)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
