#!/usr/bin/env python3
"""End-to-end tests of the `tally` program: eval, check, run, exit codes and
error messages, as a user meets them. Each case states the expected output,
worked out by hand.

    test_cli.py TALLY_BINARY PROJECT_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import check, finish, summary  # noqa: E402

TALLY = sys.argv[1]
ROOT = sys.argv[2]
DEMO = os.path.join(ROOT, "plans", "demo.tally")
DEMO_DATA = os.path.join(ROOT, "plans", "data", "demo")


def tally(*args, cwd=None):
    return subprocess.run([TALLY, *args], capture_output=True, text=True, cwd=cwd)


def expect_eval(expression, expected):
    r = tally("eval", expression)
    check(f"eval {expression!r}", r.returncode == 0 and r.stdout == expected + "\n",
          f"  expected {expected!r}, got {r.stdout!r} (exit {r.returncode}) {r.stderr}")


def expect_eval_error(expression, fragment):
    r = tally("eval", expression)
    check(f"eval error {expression!r}", r.returncode == 1 and fragment in r.stderr,
          f"  expected exit 1 and {fragment!r} in stderr, got exit {r.returncode}: {r.stderr}")


# ---- eval: exact arithmetic, units, rounding (values worked out by hand)
expect_eval("1.10 + 2.205", "3.305")
expect_eval("round(2.5, 1, half_even)", "2")
expect_eval("round(3.5, 1, half_even)", "4")
expect_eval("round(2.5, 1, half_up)", "3")
expect_eval("round(-2.5, 1, half_up)", "-3")
expect_eval("round(1.005, 0.01, half_up)", "1.01")
expect_eval("round(1.005, 0.01, half_even)", "1.00")
expect_eval("round(2.675, 0.05, half_even)", "2.70")
expect_eval("0.1 + 0.2", "0.3")
expect_eval("1 / 3", "0.3333333333333333333333333333")
expect_eval("7 / 2", "3.5")
expect_eval("10 * 8%", "80%")
expect_eval("1000 USD * 8%", "80.00 USD")
expect_eval("8%", "8%")
expect_eval("12.5% + 1%", "13.5%")
expect_eval("500 USD * 3", "1500.00 USD")
expect_eval("1_200_000 USD * 2%", "24000.00 USD")
expect_eval("120_000 USD / 100_000 USD", "1.2")
expect_eval("9223372036854775807.0 + 1", "9223372036854775808.0")
expect_eval("99999999999.0 * 99999999999 * 99999999999", "999999999970000000000299999999999.0")
expect_eval("2026-03-15 - 2026-01-01", "73")
expect_eval("2026-02-28 + 1", "2026-03-01")
expect_eval("period_of(2026-05-20)", "2026-Q2")
expect_eval("1 < 2 and 3 >= 3", "true")
expect_eval('"CA" in {"CA", "OR"}', "true")
expect_eval("75% in 50% .. 100%", "true")
expect_eval("100% in 50% .. 100%", "false")
expect_eval("min(3, 2.5)", "2.5")
expect_eval("abs(-4.20)", "4.20")

# ---- eval: errors say what and where, exit 1
expect_eval_error("1 / 0", "division by zero")
expect_eval_error("9223372036854775807 + 1", "integer overflow")
expect_eval_error("1 / 0", "<expression>:1:1: error:")
expect_eval_error("500 USD + 10%", "money and percent cannot be added")
expect_eval_error("500 USD + 10%", "did you mean `500 USD * 10%`?")
expect_eval_error("100 USD + 5 EUR", "without a conversion")
expect_eval_error("roun(1.5, 1)", "did you mean `round`?")
expect_eval_error("1 +", "error:")
expect_eval_error("2026-02-30", "not a valid date")

# ---- usage errors exit 2
r = tally("run")
check("run without plan exits 2", r.returncode == 2, r.stderr)
r = tally("run", DEMO, "--data", DEMO_DATA, "--frobnicate")
check("unknown flag exits 2", r.returncode == 2 and "frobnicate" in r.stderr, r.stderr)
r = tally("bogus")
check("unknown command exits 2, named, with the list of commands",
      r.returncode == 2 and 'unknown command "bogus"' in r.stderr and " explain " in r.stderr,
      r.stderr)
r = tally("run")
check("a usage error names its command and its --help",
      r.stderr.startswith("tally run: error: ") and "`tally run --help`" in r.stderr, r.stderr)
for command in ["run", "explain", "diff", "statements", "repl", "test", "check", "fmt", "eval",
                "disasm", "report", "territories", "forecast"]:
    r = tally(command, "--help")
    check(f"{command} --help", r.returncode == 0 and f"Usage: tally {command}" in r.stdout
          and r.stderr == "", r.stdout + r.stderr)
r = tally()
check("no command exits 2", r.returncode == 2, r.stderr)
r = tally("run", "no/such/plan.tally")
check("missing plan file exits 2", r.returncode == 2 and "no/such/plan.tally" in r.stderr, r.stderr)
r = tally("run", DEMO, "--data", DEMO_DATA, "--bind", "deals")
check("--bind without = exits 2", r.returncode == 2 and "NAME=PATH" in r.stderr, r.stderr)

# ---- check
r = tally("check", DEMO)
check("check demo", r.returncode == 0 and "ok" in r.stdout, r.stdout + r.stderr)

with tempfile.TemporaryDirectory() as tmp:
    bad_plan = os.path.join(tmp, "bad.tally")
    with open(bad_plan, "w") as f:
        f.write(open(DEMO).read().replace("8% * bookings", "8% * bookngs"))
    r = tally("check", bad_plan)
    check("check reports unknown name with location and hint",
          r.returncode == 1 and "bad.tally:" in r.stderr and "unknown name `bookngs`" in r.stderr
          and "did you mean `bookings`?" in r.stderr and "^" in r.stderr, r.stderr)

    # ---- run: outputs and summary
    out = os.path.join(tmp, "out")
    r = tally("run", DEMO, "--data", DEMO_DATA, "--out", out)
    check("run demo", r.returncode == 0 and "Total paid:" in r.stdout, r.stdout + r.stderr)
    check("run writes three tables",
          all(os.path.exists(os.path.join(out, n)) for n in ("payouts.csv", "credits.csv", "measures.csv")))
    if os.path.exists(os.path.join(out, "payouts.csv")):
        header = open(os.path.join(out, "payouts.csv")).readline()
        check("payouts header", header == "payee,period,component,amount\n", header)
        credits_header = open(os.path.join(out, "credits.csv")).readline()
        check("credits header", credits_header.startswith("rule,transaction,row,payee,period,kind,share,amount"),
              credits_header)

    # ---- run: a bad data row stops the run, names file/row/column, writes nothing
    data = os.path.join(tmp, "data")
    shutil.copytree(DEMO_DATA, data)
    lines = open(os.path.join(data, "deals.csv")).read().splitlines(keepends=True)
    fields = lines[6].rstrip("\n").split(",")
    fields[7] = "12x4.00"
    lines[6] = ",".join(fields) + "\n"
    open(os.path.join(data, "deals.csv"), "w").writelines(lines)
    out2 = os.path.join(tmp, "out2")
    r = tally("run", DEMO, "--data", data, "--out", out2)
    check("bad amount: exit 1, names file, row 7 and column", r.returncode == 1 and "deals.csv:7:" in r.stderr
          and "amount" in r.stderr and "12x4.00" in r.stderr, r.stderr)
    check("bad amount: nothing written", not os.path.exists(out2))

    # ---- run: a payee not in the roster
    lines[6] = ",".join(fields[:2] + ["zed"] + fields[3:7] + ["1000.00"]) + "\n"
    lines[6] = lines[6].replace(",Lost,", ",Won,")
    open(os.path.join(data, "deals.csv"), "w").writelines(lines)
    r = tally("run", DEMO, "--data", data, "--out", out2)
    check("unknown payee: exit 1 and names the row", r.returncode == 1 and "deals.csv:7" in r.stderr
          and '"zed"' in r.stderr, r.stderr)
    check("unknown payee: nothing written", not os.path.exists(out2))

    # ---- run: missing data file
    empty = os.path.join(tmp, "empty")
    os.mkdir(empty)
    r = tally("run", DEMO, "--data", empty, "--out", out2)
    check("missing data: exit 1 and says which file", r.returncode == 1 and "deals.csv" in r.stderr
          and "--bind" in r.stderr, r.stderr)

    # ---- --bind overrides the data folder
    shutil.copy(os.path.join(DEMO_DATA, "deals.csv"), os.path.join(tmp, "my_deals.csv"))
    r = tally("run", DEMO, "--data", DEMO_DATA, "--bind", "deals=" + os.path.join(tmp, "my_deals.csv"), "-q")
    check("--bind", r.returncode == 0, r.stderr)
    r = tally("run", DEMO, "--data", DEMO_DATA, "--bind", "dealz=x.csv")
    check("--bind of an unknown source", r.returncode == 1 and "dealz" in r.stderr, r.stderr)

    # ---- --from/--to restrict the periods
    out3 = os.path.join(tmp, "out3")
    r = tally("run", DEMO, "--data", DEMO_DATA, "--out", out3, "--from", "2026-Q2", "--to", "2026-Q2", "-q")
    periods = {line.split(",")[1] for line in open(os.path.join(out3, "payouts.csv")).read().splitlines()[1:]} \
        if r.returncode == 0 else set()
    check("--from/--to", r.returncode == 0 and periods == {"2026-Q2"}, r.stderr + str(periods))
    r = tally("run", DEMO, "--data", DEMO_DATA, "--from", "2026-Q9")
    check("--from with a bad period", r.returncode == 1 and "2026-Q9" in r.stderr, r.stderr)

    # ---- division by zero at run time names the plan location, the payee and period
    zero_plan = os.path.join(tmp, "zero.tally")
    with open(zero_plan, "w") as f:
        f.write(open(DEMO).read().replace("payout se_commission for role == \"SE\" = 4% * bookings",
                                          "payout se_commission for role == \"SE\" = bookings / new_logos * 1%"))
    r = tally("run", zero_plan, "--data", DEMO_DATA, "--out", out2)
    check("division by zero in a payout", r.returncode == 1 and "division by zero" in r.stderr
          and "zero.tally:" in r.stderr and "payee" in r.stderr, r.stderr)

    # ---- disasm
    r = tally("disasm", DEMO)
    check("disasm lists opcodes", r.returncode == 0 and "SELECT_TRUE" in r.stdout and "LOAD_FIELD" in r.stdout,
          r.stdout[:500] + r.stderr)

# ---- fmt: --check reports, --write rewrites, then --check passes
with tempfile.TemporaryDirectory() as tmp:
    messy = os.path.join(tmp, "messy.tally")
    with open(messy, "w") as f:
        f.write('plan "M"   currency USD\nlet   rate=8%   // the rate\n')
    r = tally("fmt", "--check", messy)
    check("fmt --check flags an unformatted file", r.returncode == 1 and "messy.tally" in r.stdout,
          r.stdout + r.stderr)
    r = tally("fmt", "--write", messy)
    text = open(messy).read()
    check("fmt --write rewrites it, comment kept", r.returncode == 0 and "let rate = 8%" in text
          and "// the rate" in text, text + r.stderr)
    r = tally("fmt", "--check", messy)
    check("fmt --check then passes", r.returncode == 0, r.stdout + r.stderr)
    r = tally("fmt", messy)
    check("fmt prints the same text", r.returncode == 0 and r.stdout == text, r.stdout)
    r = tally("check", "--values", messy)
    check("check --values prints constant lets", r.returncode == 0 and "rate = 8%\n" in r.stdout,
          r.stdout + r.stderr)
    broken = os.path.join(tmp, "broken.tally")
    with open(broken, "w") as f:
        f.write("measure x = \n")
    r = tally("fmt", "--write", broken)
    check("fmt refuses a file that does not parse, and leaves it", r.returncode == 1
          and open(broken).read() == "measure x = \n", r.stderr)


def test_lenient_rejects():
    """--lenient: data errors become warnings, rejects.csv lists them, the
    summary counts them; without it the same data stops the run and writes
    nothing."""
    case = os.path.join(ROOT, "tests", "conformance", "crediting", "lenient_rejects")
    plan = os.path.join(case, "plan.tally")
    data = os.path.join(case, "data")
    with tempfile.TemporaryDirectory() as tmp:
        strict_out = os.path.join(tmp, "strict")
        r = tally("run", plan, "--data", data, "--out", strict_out)
        check("a data error stops the run", r.returncode == 1 and "duplicate key" in r.stderr,
              r.stderr)
        check("a stopped run writes nothing", not os.path.exists(strict_out),
              str(os.listdir(strict_out)) if os.path.exists(strict_out) else "")
        out = os.path.join(tmp, "lenient")
        r = tally("run", plan, "--data", data, "--out", out, "--lenient")
        check("--lenient runs", r.returncode == 0, r.stdout + r.stderr)
        check("--lenient warns", r.stderr.count("warning:") == 3, r.stderr)
        check("--lenient counts the rejects in the summary",
              "Rejected: 3 (unknown_payee 1, duplicate_key 1, split_shares 1)" in r.stdout,
              r.stdout)
        rejects = os.path.join(out, "rejects.csv")
        lines = open(rejects).read().splitlines() if os.path.exists(rejects) else []
        check("rejects.csv has a header and one row per reject",
              len(lines) == 4 and lines[0] == "kind,file,row,transaction,message"
              and lines[1].startswith("duplicate_key,deals.csv,3,d1,"), "\n".join(lines))


test_lenient_rejects()


def test_outputs_and_timings():
    """--outputs builds and writes only the tables asked for (payouts always),
    removing an older file of a table left out; --timings prints every stage's
    wall time to stderr; a table name that does not exist is a usage error."""
    plan = os.path.join(ROOT, "plans", "demo.tally")
    data = os.path.join(ROOT, "plans", "data", "demo")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        r = tally("run", plan, "--data", data, "--out", out)
        check("a plain run writes the three tables", r.returncode == 0 and sorted(os.listdir(out))
              == ["credits.csv", "measures.csv", "payouts.csv"], r.stderr)
        full_payouts = open(os.path.join(out, "payouts.csv")).read()
        r = tally("run", plan, "--data", data, "--out", out, "--outputs", "payouts",
                  "--timings")
        check("--outputs payouts writes payouts.csv only and removes the older tables",
              r.returncode == 0 and os.listdir(out) == ["payouts.csv"], str(os.listdir(out)))
        check("the payouts do not depend on the tables asked for",
              open(os.path.join(out, "payouts.csv")).read() == full_payouts, "")
        check("the summary names the one file written",
              "Wrote payouts.csv to " in r.stdout, r.stdout)
        stages = ["compile", "load", "territories", "credit", "periods", "tables", "aggregate",
                  "payouts", "write", "total"]
        check("--timings prints each stage", r.stderr.startswith("timings:\n  stage ")
              and all(f"\n  {s} " in r.stderr for s in stages), r.stderr)
        r = tally("run", plan, "--data", data, "--out", out, "--outputs", "payouts,measures")
        check("--outputs takes a list", r.returncode == 0 and sorted(os.listdir(out))
              == ["measures.csv", "payouts.csv"], str(os.listdir(out)))
        r = tally("run", plan, "--data", data, "--out", out, "--outputs", "ledger")
        check("--outputs with an unknown table is a usage error",
              r.returncode == 2 and "ledger" in r.stderr, r.stderr)


test_outputs_and_timings()


TESTED_PLAN = """plan "Tested" version 1
  currency USD
  fiscal year FY2027 starts 2026-02-01, periods quarter
  rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, stage: text, amount: money }
roster payees { id: text key, name: text, role: text }
source targets { rep: payee, quarter: period, quota: money, incentive: money }
table quota(payee, period): money from targets(rep, quarter, quota)
table target_incentive(payee, period): money from targets(rep, quarter, incentive)

credit won from deals where deal.stage == "Won" on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)

rates ae_rates on bookings / quota(payee, period) marginal {
  0%   ..  50% : 2%
  50%  .. 100% : 8%
  100% .. 150% : 12%
  150% ..      : 15%
}

payout commission for role == "AE" =
  apply(ae_rates, bookings, base: quota(payee, period))
  cap 3 * target_incentive(payee, period)

test "AE at 120% attainment, marginal tiers" {
  payee ann role "AE" quota 100_000 USD target_incentive 20_000 USD
  deal owner ann amount 120_000 USD stage "Won" close_date 2026-03-15
  expect commission(ann, Q1) == 7_400 USD
}
"""

FAILING_TEST = """
test "a wrong expectation" {
  payee bo role "AE" quota 100_000 USD target_incentive 20_000 USD
  deal id "D7" owner bo amount 120_000 USD stage "Won" close_date 2026-03-15
  expect commission(bo, Q1) == 7_000 USD
}
"""


def test_tally_test():
    """`tally test`: PASS/FAIL lines, the closing count, exit codes, and a
    failure with its expected and actual values and the explain tree.
    120_000 on a 100_000 quota pays 2% of 50_000 + 8% of 50_000 + 12% of
    20_000 = 1_000 + 4_000 + 2_400 = 7_400."""
    r = tally("test", DEMO)
    check("tally test on a plan without tests", r.returncode == 0
          and r.stdout == "0 passed, 0 failed\n", r.stdout + r.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good.tally")
        with open(good, "w") as f:
            f.write(TESTED_PLAN)
        r = tally("test", good)
        check("tally test passes", r.returncode == 0 and r.stdout ==
              "PASS AE at 120% attainment, marginal tiers\n1 passed, 0 failed\n",
              r.stdout + r.stderr)
        bad = os.path.join(tmp, "bad.tally")
        with open(bad, "w") as f:
            f.write(TESTED_PLAN + FAILING_TEST)
        r = tally("test", bad)
        lines = r.stdout.splitlines()
        check("a failing test exits 1 with the closing count", r.returncode == 1
              and lines[-1] == "1 passed, 1 failed", r.stdout + r.stderr)
        check("PASS and FAIL lines name the tests",
              "PASS AE at 120% attainment, marginal tiers" in lines
              and "FAIL a wrong expectation" in lines, r.stdout)
        # bad.tally: the plan's 33 lines, a blank line, then the test from
        # line 35: its expect is on line 38.
        for fragment in ["bad.tally:38: expect commission(bo, Q1) == 7_000 USD",
                         "expected: 7000.00 USD", "actual:   7400.00 USD",
                         "commission(bo, FY2027-Q1) = 7400.00 USD",
                         "bookings = 120000.00 USD",
                         "credit D7 = 120000.00 USD  (rule won, direct, share 100%",
                         "tier 0%..50% at 2% = 1000.00 USD  (slice 50000.00 USD)",
                         "tier 50%..100% at 8% = 4000.00 USD  (slice 50000.00 USD)",
                         "tier 100%..150% at 12% = 2400.00 USD  (slice 20000.00 USD)",
                         "tier 150%.. at 15%  (not reached)",
                         "cap 3 * target_incentive(payee, period) = 60000.00 USD  (not reached)",
                         "rounded half_even to 0.01 = 7400.00 USD"]:
            check(f"the failure shows {fragment!r}", fragment in r.stdout, r.stdout)
        r = tally("test", good, bad)
        check("several plans: one count, names prefixed by the plan",
              r.returncode == 1 and r.stdout.splitlines()[-1] == "2 passed, 1 failed"
              and f"FAIL {bad}: a wrong expectation" in r.stdout, r.stdout)
        broken = os.path.join(tmp, "broken.tally")
        with open(broken, "w") as f:
            f.write("measure x = \n")
        r = tally("test", broken)
        check("a plan that does not compile: exit 1, errors on stderr",
              r.returncode == 1 and "error" in r.stderr
              and r.stdout == "0 passed, 0 failed\n", r.stdout + r.stderr)
    r = tally("test")
    check("tally test without a plan is a usage error", r.returncode == 2, r.stderr)
    r = tally("test", "no/such/plan.tally")
    check("tally test on a missing file is a usage error", r.returncode == 2, r.stderr)


test_tally_test()

finish()
