#!/usr/bin/env python3
"""End-to-end tests of `tally territories` (docs/territories.md).

A small plan and data set written here, with every figure worked by hand:
seven deals, territories West (CA, OR), West.CA (priority 1), Central (IL,
no deal), East (NY) and Strategic (ENT and >= 1,000 USD, priority 2).

  T1 OR Acme  Won  100  -> West            T5 TX Delta Lost  70 -> none
  T2 CA Beta  Won  200  -> West.CA (+West) T6 OR Acme  Won   30 -> West
  T3 CA Beta  Lost  50  -> West.CA (+West) T7 NY Echo  Won  400 -> East
  T4 NY Gamma Won 3000  -> Strategic (+East)

Balance: West 2 deals, 1 account, bookings 130.00, potential 1000;
West.CA 2, 1, 200.00, 2000; Central nothing; East 1, 1, 400.00, 3000;
Strategic 1, 1, 3000.00, 5000. Gini of opportunities (2, 2, 0, 1, 1):
sum over ordered pairs |xi - xj| = 20, / (2 * 5^2 * mean 1.2) = 1/3; of
bookings (130, 200, 0, 400, 3000): 25080 / (2 * 25 * 746) = 0.67239...

Pay: AE 5% of direct credits; SE 10% of overlay bookings plus 5% above
300 USD. Before: sam 13.00, sky 20.00, sol 45.00, sid 435.00, ana 186.50
(3730 * 5%): 699.50. The what-if moves TX to Central and account Beta to
East: sky 0, sol 600 -> 60 + 15 = 75.00: 709.50, +10.00, which must also be
the difference of two `tally run` totals (the plan and the plan edited by
hand with the same moves).

Cross-sell on ../shared/data/maven_crm is checked against a computation in
pure Python below; superstore_regions against superstore.csv's own counts.

    test_territories.py TALLY_BINARY PROJECT_DIR
"""
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from decimal import Decimal

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import check, finish  # noqa: E402

TALLY = sys.argv[1]
ROOT = sys.argv[2]
SHARED = os.path.join(ROOT, "..", "shared", "data")

PLAN = """plan "Territory Test" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee from "owner_id"
  state: text
  account: text
  segment: text
  stage: text
  amount: money
  potential: money
}

roster payees { id: text key, name: text, role: text }

territory West = deal.state in {"CA", "OR"} owner "sam"
territory West.CA = deal.state == "CA" owner "sky" priority 1
territory Central = deal.state in {"IL"} owner "sue"
territory East = deal.state in {"NY"} owner "sol"
territory Strategic = deal.segment == "ENT" and deal.amount >= 1_000 USD owner "sid" priority 2

credit won from deals where deal.stage == "Won" on deal.close_date {
  deal.owner             gets 100%
  owner(territory(deal)) gets 100% overlay
}

measure bookings: money = sum(credit.amount where credit.kind == direct)
measure overlay_bookings: money = sum(credit.amount where credit.kind == overlay)

payout ae_commission for role == "AE" = 5% * bookings
payout se_commission for role == "SE" = 10% * overlay_bookings + 5% * max(overlay_bookings - 300 USD, 0 USD)
"""

# The same plan with the what-if's moves written by hand.
MOVED = (
    PLAN.replace('territory West = deal.state in {"CA", "OR"}',
                 'territory West = deal.state in {"CA", "OR"} and deal.account != "Beta"')
    .replace('territory Central = deal.state in {"IL"}', 'territory Central = deal.state in {"IL", "TX"}')
    .replace('territory East = deal.state in {"NY"}',
             'territory East = deal.state in {"NY"} or deal.account == "Beta"')
)

DEALS = """id,close_date,owner_id,state,account,segment,stage,amount,potential
T1,2026-01-10,ana,OR,Acme,MM,Won,100.00,1000
T2,2026-02-10,ana,CA,Beta,MM,Won,200.00,2000
T3,2026-02-11,ana,CA,Beta,MM,Lost,50.00,2000
T4,2026-03-01,ana,NY,Gamma,ENT,Won,3000.00,5000
T5,2026-03-02,ana,TX,Delta,MM,Lost,70.00,700
T6,2026-03-03,ana,OR,Acme,MM,Won,30.00,1000
T7,2026-03-04,ana,NY,Echo,MM,Won,400.00,3000
"""

PAYEES = """id,name,role
ana,Ana,AE
sam,Sam,SE
sky,Sky,SE
sue,Sue,SE
sol,Sol,SE
sid,Sid,SE
"""


def tally(*args, cwd=None):
    return subprocess.run([TALLY, *args], capture_output=True, text=True, cwd=cwd)


def gini(values):
    n = len(values)
    mean = sum(values) / n
    return sum(abs(a - b) for a in values for b in values) / (2 * n * n * mean)


def write(folder, name, text):
    with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
        f.write(text)


def run_total(cwd, plan):
    r = tally("run", plan, "--data", "data", "--out", "out_" + plan, "--format", "json", cwd=cwd)
    check(f"tally run {plan} exits 0", r.returncode == 0, r.stderr)
    with open(os.path.join(cwd, "out_" + plan, "payouts.json"), encoding="utf-8") as f:
        rows = json.load(f)
    return sum(Decimal(row["amount"]) for row in rows)


def hand_made(tmp):
    os.makedirs(os.path.join(tmp, "data"))
    write(tmp, "plan.tally", PLAN)
    write(tmp, "moved.tally", MOVED)
    write(os.path.join(tmp, "data"), "deals.csv", DEALS)
    write(os.path.join(tmp, "data"), "payees.csv", PAYEES)

    r = tally("territories", "plan.tally", "--data", "data", "--json", cwd=tmp)
    check("territories --json exits 0", r.returncode == 0, r.stderr)
    j = json.loads(r.stdout)
    check("transactions", j["transactions"] == 7, j)
    b = j["balance"]
    check("fields found", b["fields"] == {"account": "account", "amount": "amount",
                                          "potential": "potential"}, b["fields"])
    table = {t["name"]: t for t in b["territories"]}
    check("territories in plan order", [t["name"] for t in b["territories"]] ==
          ["West", "West.CA", "Central", "East", "Strategic"], b["territories"])
    expected = {  # opportunities, accounts, bookings, potential
        "West": (2, 1, "130.00", "1000.00"),
        "West.CA": (2, 1, "200.00", "2000.00"),
        "Central": (0, 0, "0.00", "0.00"),
        "East": (1, 1, "400.00", "3000.00"),
        "Strategic": (1, 1, "3000.00", "5000.00"),
    }
    for name, (opps, accounts, bookings, potential) in expected.items():
        t = table[name]
        check(f"balance of {name}",
              (t["opportunities"], t["accounts"], t["bookings"], t["potential"]) ==
              (opps, accounts, bookings, potential), t)
    check("owners", [table[n]["owner"] for n in expected] == ["sam", "sky", "sue", "sol", "sid"])
    check("a territory with no transactions has a note",
          table["Central"]["note"] == "no transactions", table["Central"])
    spread = b["spread"]
    check("Gini of opportunities by hand (1/3)", abs(spread["opportunities"]["gini"] - 1 / 3) < 1e-9,
          spread)
    check("Gini of bookings by hand (25080/37300)",
          abs(spread["bookings"]["gini"] - 25080 / 37300) < 1e-9, spread)
    check("Gini formula agrees", abs(spread["bookings"]["gini"] - gini([130, 200, 0, 400, 3000])) < 1e-9)
    check("max/min undefined with an empty territory", spread["opportunities"]["max_min"] is None,
          spread)
    several = {tuple(o["matched"]): o for o in j["several"]}
    check("two overlap combinations", set(several) == {("West.CA", "West"), ("Strategic", "East")},
          j["several"])
    nested = several.get(("West.CA", "West"), {})
    check("nested overlap", nested.get("count") == 2 and nested.get("winner") == "West.CA" and
          nested.get("nested") is True and [e["id"] for e in nested["examples"]] == ["T2", "T3"],
          nested)
    strategic = several.get(("Strategic", "East"), {})
    check("priority overlap", strategic.get("count") == 1 and strategic.get("winner") == "Strategic"
          and strategic.get("nested") is False, strategic)
    check("no territory: T5 at data/deals.csv row 6",
          j["none"] == {"count": 1, "examples": [{"id": "T5", "file": "data/deals.csv", "row": 6}]},
          j["none"])
    check("no ties", j["ties"] == 0)

    text = tally("territories", "plan.tally", "--data", "data", cwd=tmp)
    check("text exits 0", text.returncode == 0, text.stderr)
    for part in ["Gini: opportunities 0.3333, accounts 0.2000, bookings 0.6724",
                 "(no transactions: nothing to balance)",
                 "1 transaction matches none; e.g. T5 (data/deals.csv:6)",
                 "2 match West.CA, West -> West.CA (a child wins over its ancestors)",
                 "max/min: opportunities n/a (smallest is 0)"]:
        check(f"text shows {part!r}", part in text.stdout, text.stdout)

    # What-if: the cost change against two ordinary runs.
    write(tmp, "moves.txt", "# hand-checked\nmove state TX to Central\nmove account Beta to East\n")
    r = tally("territories", "plan.tally", "--data", "data", "--what-if", "moves.txt", "--json",
              cwd=tmp)
    check("what-if exits 0", r.returncode == 0, r.stderr)
    w = json.loads(r.stdout)["what_if"]
    before = run_total(tmp, "plan.tally")
    after = run_total(tmp, "moved.tally")
    check("before total by hand", before == Decimal("699.50"), before)
    check("after total by hand", after == Decimal("709.50"), after)
    check("what-if cost equals two tally runs",
          w["cost"] == {"label": "total", "before": str(before), "after": str(after),
                        "change": str(after - before)}, w["cost"])
    check("what-if per payee", {p["label"]: p["change"] for p in w["payees"]} ==
          {"sky": "-20.00", "sol": "30.00"}, w["payees"])
    check("what-if per component", [(c["label"], c["change"]) for c in w["components"]] ==
          [("se_commission", "10.00")], w["components"])
    check("moved transactions", w["moved_transactions"] == 3, w)
    after_table = {t["name"]: t for t in w["balance"]["territories"]}
    check("after: Central has T5", after_table["Central"]["opportunities"] == 1, after_table)
    check("after: East has T7, T2, T3",
          (after_table["East"]["opportunities"], after_table["East"]["bookings"]) == (3, "600.00"),
          after_table)
    check("after: West.CA empty", after_table["West.CA"]["opportunities"] == 0, after_table)
    text = tally("territories", "plan.tally", "--data", "data", "--what-if", "moves.txt", cwd=tmp)
    check("what-if text", "Incentive cost (USD): 699.50 without the moves, 709.50 with them: +10.00"
          in text.stdout, text.stdout)

    # Every mistake in the change file: located, exit 1.
    mistakes = [
        ("move state TX to Wst\n", 'bad.txt:1: error: unknown territory "Wst"; did you mean "West"?'),
        ("# c\nmove stat TX to West\n", 'bad.txt:2: error: unknown field "stat" of `deals`; '
                                        'did you mean "state"?'),
        ("move state ZZ to West\n", 'bad.txt:1: error: no transaction of `deals` has state "ZZ"'),
        ("move state NX to West\n", 'no transaction of `deals` has state "NX"; did you mean "NY"?'),
        ("move amount 100 to West\n", "field `amount` is money (USD); only text and payee fields can be moved"),
        ("shift state TX to West\n", "bad.txt:1: error: expected `move FIELD VALUE to TERRITORY`"),
        ('move account "Beta to East\n', "bad.txt:1: error: a quote is not closed"),
        ("move state TX to West\nmove state TX to East\n",
         'bad.txt:2: error: state "TX" is already moved at line 1'),
        ("move state CA to West\nmove account Beta to East\n",
         "bad.txt:2: error: this move and the one at line 1 both take transaction \"T2\""),
        ("# nothing\n", "bad.txt:1: error: the change file moves nothing"),
    ]
    for content, message in mistakes:
        write(tmp, "bad.txt", content)
        r = tally("territories", "plan.tally", "--data", "data", "--what-if", "bad.txt", cwd=tmp)
        check(f"change file error {message!r}", r.returncode == 1 and message in r.stderr,
              f"exit {r.returncode}\n{r.stderr}")

    # Usage and plan errors.
    r = tally("territories", "plan.tally", "--data", "data", "--what-if", "nope.txt", cwd=tmp)
    check("missing change file: exit 2", r.returncode == 2 and "nope.txt" in r.stderr, r.stderr)
    r = tally("territories", "plan.tally", "--data", "data", "--account", "acount", cwd=tmp)
    check("unknown --account: exit 2",
          r.returncode == 2 and "--account acount: `deals` has no field `acount`" in r.stderr,
          r.stderr)
    r = tally("territories", "plan.tally", "--data", "data", "--period", "2026-Q9", cwd=tmp)
    check("unknown period: exit 1, named once",
          r.returncode == 1 and r.stderr.count('--period "2026-Q9" is not a period') == 1,
          r.stderr)
    r = tally("territories", "plan.tally", "--data", "data", "--period", "2026-Q2", "--json",
              cwd=tmp)
    q2 = {t["name"]: t["bookings"] for t in json.loads(r.stdout)["balance"]["territories"]}
    check("--period 2026-Q2: no credit, no bookings", set(q2.values()) == {"0.00"}, q2)
    r = tally("territories", "plan.tally", "--data", "data", "--period", "2026-Q1", "--json", cwd=tmp)
    check("--period of the data: exit 0", r.returncode == 0, r.stderr)
    write(tmp, "none.tally", PLAN.split("territory West =")[0] + "\n")
    r = tally("territories", "none.tally", "--data", "data", cwd=tmp)
    check("plan crediting no source: exit 1",
          r.returncode == 1 and "read no single source" in r.stderr, r.stderr)
    r = tally("territories", "plan.tally", "--data", "data", "--by", "segment", "--json", cwd=tmp)
    check("--by segment on a plan with territories: exit 0", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        j = json.loads(r.stdout)
        got = {t["name"]: (t["opportunities"], t["accounts"]) for t in j["balance"]["territories"]}
        # T4 is ENT; the other six MM (T5 in no territory is credited by no rule).
        check("--by segment groups every deal", got == {"ENT": (1, 1), "MM": (6, 4)}, got)
        check("--by says it replaces the territories",
              j["grouping"]["by"] == "segment" and j["grouping"]["declares_territories"], j)
    r = tally("territories", "plan.tally", "--data", "nowhere", cwd=tmp)
    check("missing data folder: exit 2", r.returncode == 2, r.stderr)
    r = tally("territories", "--help")
    check("--help", r.returncode == 0 and "--what-if" in r.stdout and "--cross-sell" in r.stdout
          and "--by" in r.stdout,
          r.stdout)


# Books of business, worked by hand: each row is credited 50% to its owner
# and 50% to its co-owner, both direct. B4 (bo and ana) is a split, B5 Lost is
# credited by no rule. Books: ana B1 B2 (2 deals, 2 accounts, 300.00), bo B3
# (1, 1, 300.00), cy B6 (1, 1, 600.00). Gini of bookings (300, 300, 600): sum
# over ordered pairs 1200 / (2 * 9 * 400) = 1/6; of deals (2, 1, 1): 4 / (2 *
# 9 * 4/3) = 1/6; max/min 2 for both. By segment: MM B1 B3 B5 (3, 2 accounts,
# 400.00 credited), ENT B2 B4 (2, 2, 1200.00), SMB B6 (1, 1, 600.00).
BOOKS_PLAN = """plan "Books Test" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee from "owner_id"
  co: payee from "co_id"
  account: text
  segment: text
  stage: text
  amount: money
}

roster payees { id: text key, name: text, role: text }

credit won from deals where deal.stage == "Won" on deal.close_date {
  deal.owner gets 50%
  deal.co    gets 50%
}

measure bookings: money = sum(credit.amount)

payout commission for role == "AE" = 10% * bookings
"""

BOOKS_DEALS = """id,close_date,owner_id,co_id,account,segment,stage,amount
B1,2026-01-10,ana,ana,Acme,MM,Won,100.00
B2,2026-01-11,ana,ana,Beta,ENT,Won,200.00
B3,2026-01-12,bo,bo,Acme,MM,Won,300.00
B4,2026-01-13,bo,ana,Gamma,ENT,Won,1000.00
B5,2026-01-14,bo,bo,Delta,MM,Lost,50.00
B6,2026-02-01,cy,cy,Echo,SMB,Won,600.00
"""

BOOKS_PAYEES = """id,name,role
ana,Ana,AE
bo,Bo,AE
cy,Cy,AE
"""


def books(tmp):
    data = os.path.join(tmp, "books")
    os.makedirs(data)
    write(tmp, "books.tally", BOOKS_PLAN)
    write(data, "deals.csv", BOOKS_DEALS)
    write(data, "payees.csv", BOOKS_PAYEES)
    r = tally("territories", "books.tally", "--data", "books", "--json", cwd=tmp)
    check("books --json exits 0", r.returncode == 0, r.stderr)
    if r.returncode != 0:
        return
    j = json.loads(r.stdout)
    b = j["balance"]
    got = {t["name"]: (t["opportunities"], t["accounts"], t["bookings"]) for t in b["territories"]}
    check("books per payee", got == {"ana": (2, 2, "300.00"), "bo": (1, 1, "300.00"),
                                     "cy": (1, 1, "600.00")}, got)
    check("books Gini 1/6", abs(b["spread"]["bookings"]["gini"] - 1 / 6) < 1e-9
          and abs(b["spread"]["opportunities"]["gini"] - 1 / 6) < 1e-9, b["spread"])
    check("books max/min 2", b["spread"]["bookings"]["max_min"] == 2.0
          and b["spread"]["opportunities"]["max_min"] == 2.0, b["spread"])
    g = j["grouping"]
    check("books: grouped by payee, no territories declared",
          g["by"] == "payee" and not g["declares_territories"], g)
    check("books: B5 not credited by any rule",
          g["not_credited"]["count"] == 1 and g["not_credited"]["examples"][0]["id"] == "B5", g)
    check("books: B4 is a split of ana and bo", g["splits"] == 1 and j["several"] == [
        {"matched": ["ana", "bo"], "winner": None, "nested": False, "count": 1,
         "examples": [{"id": "B4", "file": os.path.join("books", "deals.csv"), "row": 5}]}],
          j["several"])
    check("books: the split and the uncredited row are in no book",
          j["none"]["count"] == 1 and j["ties"] == 1, (j["none"], j["ties"]))
    r = tally("territories", "books.tally", "--data", "books", cwd=tmp)
    check("books text: heading and note",
          r.returncode == 0 and "Books of business of \"Books Test\"" in r.stdout
          and "the plan declares no territories" in r.stdout
          and "1 transaction is not credited by any rule" in r.stdout
          and "1 credited to ana, bo" in r.stdout, r.stdout)
    r = tally("territories", "books.tally", "--data", "books", "--by", "segment", "--json", cwd=tmp)
    check("books --by segment exits 0", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        t = json.loads(r.stdout)["balance"]["territories"]
        got = {x["name"]: (x["opportunities"], x["accounts"], x["bookings"]) for x in t}
        check("books --by segment", got == {"MM": (3, 2, "400.00"), "ENT": (2, 2, "1200.00"),
                                            "SMB": (1, 1, "600.00")}, got)
    r = tally("territories", "books.tally", "--data", "books", "--by", "segmnt", cwd=tmp)
    check("--by a misspelt field: exit 2, did you mean",
          r.returncode == 2 and "did you mean `segment`" in r.stderr, r.stderr)
    r = tally("territories", "books.tally", "--data", "books", "--by", "amount", cwd=tmp)
    check("--by a money field: exit 2", r.returncode == 2 and "no text or payee field" in r.stderr,
          r.stderr)
    # What-if: Acme's deals B1 (ana) and B3 (bo) move to cy's book. By hand:
    # ana 100 + 200 + 500 (half of B4) -> 700: 80.00 -> 70.00; bo 300 + 500 ->
    # 500: 80.00 -> 50.00; cy 600 -> 1000: 60.00 -> 100.00; total 220.00 both.
    write(tmp, "book_moves.txt", "# reassign Acme\nmove account Acme to cy\n")
    r = tally("territories", "books.tally", "--data", "books", "--what-if", "book_moves.txt",
              "--json", cwd=tmp)
    check("books --what-if exits 0", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        w = json.loads(r.stdout)["what_if"]
        check("books what-if: 2 deals change book", w["moved_transactions"] == 2, w)
        after = {t["name"]: (t["opportunities"], t["bookings"]) for t in w["balance"]["territories"]}
        check("books what-if balance", after == {"ana": (1, "200.00"), "bo": (0, "0.00"),
                                                 "cy": (3, "1000.00")}, after)
        check("books what-if cost", w["cost"] == {"label": "total", "before": "220.00",
                                                  "after": "220.00", "change": "0.00"}, w["cost"])
        payees = {c["label"]: (c["before"], c["after"]) for c in w["payees"]}
        check("books what-if per payee", payees == {"ana": ("80.00", "70.00"),
                                                    "bo": ("80.00", "50.00"),
                                                    "cy": ("60.00", "100.00")}, payees)
        # The same move written by hand, run by `tally run`.
        by_hand = BOOKS_PLAN.replace(
            'where deal.stage == "Won" on', 'where deal.stage == "Won" and deal.account != "Acme" on'
        ).replace("measure bookings", 'credit acme from deals as deal where deal.stage == "Won" '
                  'and deal.account == "Acme" on deal.close_date {\n  "cy" gets 50%\n'
                  '  "cy" gets 50%\n}\n\nmeasure bookings')
        write(tmp, "books_by_hand.tally", by_hand)
        r = tally("run", "books_by_hand.tally", "--data", "books", "--out", "out_books",
                  "--format", "json", cwd=tmp)
        check("the hand-moved books plan runs", r.returncode == 0, r.stderr)
        if r.returncode == 0:
            with open(os.path.join(tmp, "out_books", "payouts.json"), encoding="utf-8") as f:
                paid = defaultdict(Decimal)
                for row in json.load(f):
                    paid[row["payee"]] += Decimal(row["amount"])
            check("books what-if equals a run of the plan moved by hand",
                  {p: Decimal(a) for p, (_, a) in payees.items()} == dict(paid), (payees, paid))
    r = tally("territories", "books.tally", "--data", "books", "--what-if", "book_moves.txt",
              cwd=tmp)
    check("books what-if text", r.returncode == 0 and "2 transactions change book" in r.stdout
          and "cy   60.00  ->  100.00  +40.00" in r.stdout, r.stdout)
    write(tmp, "bad_book_moves.txt", "move account Acme to cyy\nmove segmnt MM to ana\n")
    r = tally("territories", "books.tally", "--data", "books", "--what-if", "bad_book_moves.txt",
              cwd=tmp)
    check("books what-if errors: located, with hints",
          r.returncode == 1 and 'bad_book_moves.txt:1: error: unknown payee "cyy"; did you mean '
          '"cy"?' in r.stderr and 'bad_book_moves.txt:2: error: unknown field "segmnt"' in r.stderr,
          r.stderr)
    r = tally("territories", "plan.tally", "--data", "data", "--by", "segment", "--what-if",
              "book_moves.txt", cwd=tmp)
    check("--what-if with --by: exit 1", r.returncode == 1 and "--by groups" in r.stderr, r.stderr)


# Every plan of plans/ with its data (plans/README.md).
CRM = os.path.join("..", "shared", "data", "maven_crm")
SUPERSTORE = os.path.join("..", "shared", "data", "superstore", "superstore.csv")
EVERY_PLAN = {
    "demo": ["--data", "plans/data/demo"],
    "ae_quota": ["--data", "plans/data/ae_quota"],
    "sdr_meetings": ["--data", "plans/data/sdr_meetings"],
    "se_overlay": ["--data", "plans/data/se_overlay"],
    "manager_override": ["--data", "plans/data/manager_override"],
    "retail_margin": ["--data", "plans/data/retail_margin"],
    "partner_rebate": ["--data", "plans/data/partner_rebate"],
    "csm_renewal": ["--data", "plans/data/csm_renewal"],
    "ramp_draw": ["--data", "plans/data/ramp_draw"],
    "crm_opportunities": ["--data", CRM],
    "crm_analytics": ["--data", CRM],
    "superstore_regions": ["--data", "plans/data/superstore_regions", "--bind",
                           "superstore=" + SUPERSTORE],
}


def every_plan():
    plans = sorted(f[:-len(".tally")] for f in os.listdir(os.path.join(ROOT, "plans"))
                   if f.endswith(".tally"))
    check("every plan of plans/ is listed here", plans == sorted(EVERY_PLAN), plans)
    results = {}
    for name in plans:
        args = EVERY_PLAN.get(name)
        if args is None:
            continue
        if any(os.path.join("..", "shared") in a and not os.path.exists(os.path.join(
                ROOT, a.split("=")[-1])) for a in args):
            print(f"skip {name}: its data in ../shared is missing")
            continue
        r = tally("territories", os.path.join("plans", name + ".tally"), *args, "--json", cwd=ROOT)
        check(f"{name}: territories exits 0", r.returncode == 0, r.stderr)
        if r.returncode != 0:
            continue
        j = json.loads(r.stdout)
        results[name] = j
        groups = j["balance"]["territories"]
        check(f"{name}: some group has transactions", any(t["opportunities"] for t in groups), j)
        placed = sum(t["opportunities"] for t in groups) + j["none"]["count"] + j["ties"]
        check(f"{name}: every transaction counted once", placed == j["transactions"],
              (placed, j["transactions"]))
        check(f"{name}: books without territories, territories with them",
              ("grouping" in j) == (name not in {"se_overlay", "superstore_regions"}), j.keys())
        text = tally("territories", os.path.join("plans", name + ".tally"), *args, cwd=ROOT)
        check(f"{name}: text exits 0 with a heading", text.returncode == 0 and (
            text.stdout.startswith("Books of business") or text.stdout.startswith("Territories")),
              text.stdout[:200])
    return results


def books_of(path, credited, payee_field, amount_of, account_field=None):
    """The books computed from a CSV alone: per payee, credited rows, accounts, amount."""
    count = defaultdict(int)
    amount = defaultdict(Decimal)
    accounts = defaultdict(set)
    skipped = 0
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if not credited(row):
                skipped += 1
                continue
            payee = row[payee_field]
            count[payee] += 1
            amount[payee] += amount_of(row)
            if account_field and row[account_field]:
                accounts[payee].add(row[account_field])
    return count, amount, accounts, skipped


def independent_books(results):
    if "ae_quota" in results:
        j = results["ae_quota"]
        count, amount, _, skipped = books_of(
            os.path.join(ROOT, "plans", "data", "ae_quota", "deals.csv"),
            lambda r: r["stage"] in ("Won", "Returned"), "owner_id", lambda r: Decimal(r["amount"]))
        got = {t["name"]: (t["opportunities"], Decimal(t["bookings"]))
               for t in j["balance"]["territories"]}
        want = {p: (count[p], amount[p]) for p in count}
        check("ae_quota books equal deals.csv counted in Python", got == want, (got, want))
        check("ae_quota: the deals neither Won nor Returned are not credited",
              j["grouping"]["not_credited"]["count"] == skipped, (j["grouping"], skipped))
        values = [float(amount[p]) for p in sorted(amount)]
        check("ae_quota bookings Gini", abs(j["balance"]["spread"]["bookings"]["gini"] -
                                            gini(values)) < 1e-9, j["balance"]["spread"])
        check("ae_quota bookings max/min", abs(j["balance"]["spread"]["bookings"]["max_min"] -
                                               max(values) / min(values)) < 1e-9)
    if "crm_opportunities" in results:
        j = results["crm_opportunities"]
        count, amount, accounts, skipped = books_of(
            os.path.join(SHARED, "maven_crm", "sales_pipeline.csv"),
            lambda r: r["deal_stage"] == "Won", "sales_agent",
            lambda r: Decimal(r["close_value"] or "0"), "account")
        got = {t["name"]: (t["opportunities"], t["accounts"], Decimal(t["bookings"]))
               for t in j["balance"]["territories"]}
        want = {p: (count[p], len(accounts[p]), amount[p]) for p in count}
        check("crm_opportunities books equal sales_pipeline.csv counted in Python", got == want,
              (got, want))
        check("crm_opportunities: the deals not Won are not credited",
              j["grouping"]["not_credited"]["count"] == skipped, (j["grouping"], skipped))
        values = [count[p] for p in sorted(count)]
        check("crm_opportunities opportunities Gini",
              abs(j["balance"]["spread"]["opportunities"]["gini"] - gini(values)) < 1e-9)


def sample_plans():
    r = tally("territories", os.path.join(ROOT, "plans", "se_overlay.tally"), "--data",
              os.path.join(ROOT, "plans", "data", "se_overlay"), "--json")
    check("se_overlay exits 0", r.returncode == 0, r.stderr)
    if r.returncode != 0:
        return
    j = json.loads(r.stdout)
    # Independent: the plan's territories applied to deals.csv in Python.
    west = {"CA", "OR", "WA", "NV", "AZ"}
    central = {"TX", "IL", "CO", "MN"}
    east = {"NY", "NJ", "MA", "CT", "PA"}
    counts = defaultdict(int)
    won = defaultdict(Decimal)
    with open(os.path.join(ROOT, "plans", "data", "se_overlay", "deals.csv"), newline="") as f:
        for row in csv.DictReader(f):
            state = row["account_state"]
            if row["segment"] == "ENT" and Decimal(row["amount"]) >= 250000:
                name = "Strategic"
            elif state == "CA":
                name = "West.CA"
            elif state in west:
                name = "West"
            elif state in central:
                name = "Central"
            elif state in east:
                name = "East"
            else:
                continue
            counts[name] += 1
            if row["stage"] == "Won":
                won[name] += Decimal(row["amount"])
    got = {t["name"]: (t["opportunities"], Decimal(t["bookings"]))
           for t in j["balance"]["territories"]}
    want = {n: (counts[n], won[n]) for n in counts}
    check("se_overlay opportunities and won bookings per territory", got == want, (got, want))


def superstore():
    path = os.path.join(SHARED, "superstore", "superstore.csv")
    if not os.path.exists(path):
        print("skip superstore: no ../shared/data/superstore")
        return
    plan = os.path.join(ROOT, "plans", "superstore_regions.tally")
    data = os.path.join(ROOT, "plans", "data", "superstore_regions")
    r = tally("territories", plan, "--data", data, "--bind", "superstore=" + path, "--json")
    check("superstore_regions exits 0", r.returncode == 0, r.stderr)
    if r.returncode != 0:
        return
    j = json.loads(r.stdout)
    opps = defaultdict(int)
    booked = defaultdict(Decimal)
    customers = defaultdict(set)
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            sales = Decimal(re.sub(r"[$,]", "", row["Sales"]))
            if row["Segment"] == "Corporate" and sales >= 5000:
                name = "Key"
            elif row["State"] == "California":
                name = "West.California"
            else:
                name = row["Region"]
            opps[name] += 1
            booked[name] += sales
            customers[name].add(row["Customer Name"])
    got = {t["name"]: (t["opportunities"], Decimal(t["bookings"]), t["accounts"])
           for t in j["balance"]["territories"]}
    want = {n: (opps[n], booked[n], len(customers[n])) for n in opps}
    check("superstore balance equals a count of superstore.csv", got == want, (got, want))
    check("superstore: 9,994 lines, none without a territory",
          j["transactions"] == 9994 and j["none"]["count"] == 0, j["none"])
    r = tally("test", plan)
    check("superstore_regions tests pass", r.returncode == 0, r.stdout + r.stderr)
    r = tally("fmt", "--check", plan)
    check("superstore_regions is in canonical layout", r.returncode == 0, r.stdout + r.stderr)
    write_dir = tempfile.mkdtemp()
    write(write_dir, "moves.txt", "move state Nevada to West.California\n")
    r = tally("territories", plan, "--data", data, "--bind", "superstore=" + path,
              "--what-if", os.path.join(write_dir, "moves.txt"), "--json")
    check("superstore what-if exits 0", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        w = json.loads(r.stdout)["what_if"]
        check("superstore what-if moves Nevada's lines (Key lines too)",
              w["moved_transactions"] == sum(1 for _ in open(path, encoding="utf-8-sig")
                                             if ",Nevada," in _), w["moved_transactions"])


def cross_sell():
    folder = os.path.join(SHARED, "maven_crm")
    if not os.path.exists(os.path.join(folder, "accounts.csv")):
        print("skip cross-sell: no ../shared/data/maven_crm")
        return
    r = tally("territories", os.path.join(ROOT, "plans", "crm_opportunities.tally"), "--data",
              folder, "--cross-sell", "--json")
    check("cross-sell exits 0", r.returncode == 0, r.stderr)
    if r.returncode != 0:
        return
    got = json.loads(r.stdout)["cross_sell"]

    # Independent: the same rule in plain Python.
    squeeze = lambda s: re.sub(r"\s", "", s).lower()  # noqa: E731
    with open(os.path.join(folder, "products.csv"), newline="") as f:
        known = {squeeze(row["product"]): row["product"] for row in csv.DictReader(f)}
    with open(os.path.join(folder, "accounts.csv"), newline="") as f:
        accounts = {row["account"]: row for row in csv.DictReader(f)}
    lines = defaultdict(set)
    with open(os.path.join(folder, "sales_pipeline.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["deal_stage"] == "Won" and row["account"]:
                lines[row["account"]].add(known.get(squeeze(row["product"]), row["product"]))

    def band(n):
        return "<1000" if n < 1000 else "1000-4999" if n < 5000 else "5000+"

    groups = defaultdict(list)
    for account in lines:
        a = accounts[account]
        groups[(a["sector"], band(float(a["employees"])))].append(account)
    gaps = []
    for (sector, size), members in sorted(groups.items()):
        if len(members) < 3:
            continue
        for account in sorted(members):
            peers = [p for p in members if p != account]
            med = statistics.median(len(lines[p]) for p in peers)
            if len(lines[account]) >= med:
                continue
            buyers = defaultdict(int)
            for p in peers:
                for line in lines[p]:
                    buyers[line] += 1
            missing = sorted(((l, n) for l, n in buyers.items() if l not in lines[account]),
                             key=lambda x: (-x[1], x[0]))[:3]
            gaps.append({"account": account, "sector": sector, "band": size,
                         "lines": len(lines[account]), "peers": len(peers), "peer_median": med,
                         "missing": [{"line": l, "peers": n} for l, n in missing]})
    check("cross-sell equals the Python computation", got["gaps"] == gaps,
          json.dumps(got["gaps"], indent=1) + "\n" + json.dumps(gaps, indent=1))
    check("cross-sell counts", got["accounts"] == len(lines) and got["groups"] == len(groups), got)
    check("cross-sell finds gaps on the real data", len(gaps) > 0)


with tempfile.TemporaryDirectory() as tmp:
    hand_made(tmp)
    books(tmp)
independent_books(every_plan())
sample_plans()
superstore()
cross_sell()
finish()
