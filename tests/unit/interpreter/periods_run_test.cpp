// Runs of plans whose results depend on earlier periods (cumulative values,
// yearly and deferred caps, payment plans, draws, clawbacks), end to end
// through the public API. Expected amounts are worked out by hand in the
// comments (docs/semantics/periods.md explains each rule).
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"

using tally::RunOptions;
using tally::testing::all_messages;
using tally::testing::compile_messages;
using tally::testing::DataFolder;
using tally::testing::measure;
using tally::testing::payout;
using tally::testing::run_plan;

namespace {

std::string plan(const std::string& grain, const std::string& rest) {
  return R"(plan "Periods" version 1
  currency USD
  periods )" +
         grain + R"(
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  amount: money
  cancelled_on: date?
}
roster payees { id: text key, name: text, role: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
)" + rest;
}

const std::string kPayees = "id,name,role\nann,Ann,AE\nsam,Sam,SDR\n";

}  // namespace

TEST_CASE("ytd, qtd and to_date restart at their window", "[periods]") {
  DataFolder data("cumulative_windows");
  data.write("payees.csv", kPayees);
  // Monthly plan over 2026-11 .. 2027-02 (two plan years):
  //   bookings 100, 200, 300, 400 in Nov, Dec, Jan, Feb.
  //   ytd: 100, 300 | 300, 700 (restarts in January)
  //   qtd: Nov 100 (Q4 starts in October), Dec 300 | Jan 300, Feb 700
  //   to_date: 100, 300, 600, 1000
  data.write("deals.csv",
             "id,close_date,owner,amount,cancelled_on\n"
             "d1,2026-11-05,ann,100,\nd2,2026-12-05,ann,200,\n"
             "d3,2027-01-05,ann,300,\nd4,2027-02-05,ann,400,\n");
  RunOptions options;
  options.first_period = "2026-11";
  options.last_period = "2027-02";
  const auto result = run_plan(plan("month", R"(
measure y: money = ytd(bookings)
measure q: money = qtd(bookings)
measure t: money = to_date(bookings)
measure n: int = count(credit)
measure n_to_date: int = to_date(n)
payout commission = 1% * y
)"),
                               data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(measure(result, "ann", "2026-11", "y") == "100.00");
  CHECK(measure(result, "ann", "2026-12", "y") == "300.00");
  CHECK(measure(result, "ann", "2027-01", "y") == "300.00");
  CHECK(measure(result, "ann", "2027-02", "y") == "700.00");
  CHECK(measure(result, "ann", "2026-12", "q") == "300.00");
  CHECK(measure(result, "ann", "2027-01", "q") == "300.00");
  CHECK(measure(result, "ann", "2027-02", "q") == "700.00");
  CHECK(measure(result, "ann", "2027-02", "t") == "1000.00");
  CHECK(measure(result, "ann", "2027-02", "n_to_date") == "4");
  CHECK(payout(result, "ann", "2027-02", "commission") == "7.00");
}

TEST_CASE("ytd over a payout reads what it paid earlier in the year", "[periods]") {
  DataFolder data("paid_before");
  data.write("payees.csv", kPayees);
  // Quarterly: bookings 1_000, 3_000, 0, 2_000. capped pays 10% cap 250:
  //   100, 250, 0, 200. so_far = ytd(capped): 0, 100, 350, 350.
  data.write("deals.csv",
             "id,close_date,owner,amount,cancelled_on\n"
             "d1,2026-02-01,ann,1000,\nd2,2026-05-01,ann,3000,\nd3,2026-11-01,ann,2000,\n");
  const auto result = run_plan(plan("quarter", R"(
payout capped = 10% * bookings cap 250 USD
payout so_far for role == "AE" = ytd(capped)
)"),
                               data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q2", "capped") == "250.00");
  CHECK(payout(result, "ann", "2026-Q1", "so_far") == "0.00");
  CHECK(payout(result, "ann", "2026-Q2", "so_far") == "100.00");
  CHECK(payout(result, "ann", "2026-Q3", "so_far") == "350.00");
  CHECK(payout(result, "ann", "2026-Q4", "so_far") == "350.00");
}

TEST_CASE("a yearly cap starts again each plan year", "[periods]") {
  DataFolder data("yearly_cap");
  data.write("payees.csv", kPayees);
  // cap 1_000 per year, 10% of bookings: 2026-Q1 8_000 -> 800; Q2 5_000 -> 500,
  // room 200 -> 200; 2027-Q1 9_000 -> 900, room 1_000 -> 900.
  data.write("deals.csv",
             "id,close_date,owner,amount,cancelled_on\n"
             "d1,2026-02-01,ann,8000,\nd2,2026-05-01,ann,5000,\nd3,2027-02-01,ann,9000,\n");
  const auto result = run_plan(
      plan("quarter", "payout commission = 10% * bookings cap 1_000 USD per year\n"), data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "800.00");
  CHECK(payout(result, "ann", "2026-Q2", "commission") == "200.00");
  CHECK(payout(result, "ann", "2026-Q3", "commission") == "0.00");
  CHECK(payout(result, "ann", "2027-Q1", "commission") == "900.00");
}

TEST_CASE("a deferred cap pays its excess when there is room", "[periods]") {
  DataFolder data("deferred_cap");
  data.write("payees.csv", kPayees);
  // cap 300 defer: Q1 10% x 7_000 = 700 -> 300 (defer 400); Q2 0 -> 300 (defer
  // 100); Q3 0 -> 100 (defer 0).
  data.write("deals.csv", "id,close_date,owner,amount,cancelled_on\nd1,2026-02-01,ann,7000,\n");
  const auto result =
      run_plan(plan("quarter", "payout commission = 10% * bookings cap 300 USD defer\n"), data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "300.00");
  CHECK(measure(result, "ann", "2026-Q1", "commission_deferred") == "400.00");
  CHECK(payout(result, "ann", "2026-Q2", "commission") == "300.00");
  CHECK(payout(result, "ann", "2026-Q3", "commission") == "100.00");
  CHECK(measure(result, "ann", "2026-Q3", "commission_deferred") == "0.00");
  CHECK(payout(result, "ann", "2026-Q4", "commission") == "0.00");
}

TEST_CASE("a payment plan carries the difference and recovers it", "[periods]") {
  DataFolder data("payment_plan");
  data.write("payees.csv", kPayees);
  // pay min 100: Q1 earns 0 -> pays 100 (carried -100); Q2 earns 250 -> 150
  // available -> 150 (carried 0); a max alone: see the conformance case.
  data.write("deals.csv", "id,close_date,owner,amount,cancelled_on\nd1,2026-05-01,ann,2500,\n");
  RunOptions options;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q2";
  const auto result =
      run_plan(plan("quarter", "payout commission = 10% * bookings pay min 100 USD per period\n"),
               data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "100.00");
  CHECK(measure(result, "ann", "2026-Q1", "commission_carried") == "-100.00");
  CHECK(payout(result, "ann", "2026-Q2", "commission") == "150.00");
  CHECK(measure(result, "ann", "2026-Q2", "commission_carried") == "0.00");
}

TEST_CASE("draws: guarantee per month in a quarterly plan, recovery after the end", "[periods]") {
  DataFolder data("draws");
  data.write("payees.csv", kPayees);
  // sam (SDR), guarantee 500 per month = 1_500 a quarter, only in Q1; recoverable,
  // no limit. Q1 commission 10% x 4_000 = 400 -> top-up 1_100, balance 1_100.
  // Q2 commission 10% x 9_000 = 900 -> repays 900, balance 200.
  // Q3 commission 10% x 5_000 = 500 -> repays 200, balance 0.
  // ann (AE) has no draw: no rows.
  data.write("deals.csv",
             "id,close_date,owner,amount,cancelled_on\n"
             "d1,2026-02-01,sam,4000,\nd2,2026-05-01,sam,9000,\nd3,2026-08-01,sam,5000,\n");
  const auto result = run_plan(plan("quarter", R"(
payout commission = 10% * bookings
draw ramp for role == "SDR" when period == Q1 = 500 USD per month recoverable
)"),
                               data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "sam", "2026-Q1", "ramp") == "1100.00");
  CHECK(measure(result, "sam", "2026-Q1", "ramp_balance") == "1100.00");
  CHECK(payout(result, "sam", "2026-Q2", "ramp") == "");
  CHECK(payout(result, "sam", "2026-Q2", "ramp_recovery") == "-900.00");
  CHECK(measure(result, "sam", "2026-Q2", "ramp_balance") == "200.00");
  CHECK(payout(result, "sam", "2026-Q3", "ramp_recovery") == "-200.00");
  CHECK(measure(result, "sam", "2026-Q3", "ramp_balance") == "0.00");
  CHECK(payout(result, "sam", "2026-Q4", "ramp_recovery") == "");
  CHECK(measure(result, "sam", "2026-Q4", "ramp_balance") == "");
  CHECK(payout(result, "ann", "2026-Q1", "ramp") == "");
}

TEST_CASE("a clawback is pro rata of the deal's credit and charged when cancelled", "[periods]") {
  DataFolder data("clawback");
  data.write("payees.csv", kPayees);
  // Q1: d1 3_000 + d2 1_000 -> commission 10% x 4_000 = 400. d1 cancelled in
  // Q3, 5 months after the close: within 6 months -> Q3 charge
  // 400 x 3_000 / 4_000 = 300. d2 cancelled 7 months later: kept.
  data.write("deals.csv",
             "id,close_date,owner,amount,cancelled_on\n"
             "d1,2026-02-01,ann,3000,2026-07-01\nd2,2026-02-15,ann,1000,2026-09-16\n");
  const auto result = run_plan(plan("quarter", R"(
payout commission = 10% * bookings
clawback commission when deal.cancelled_on within 6 months of deal.close_date
)"),
                               data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "400.00");
  CHECK(payout(result, "ann", "2026-Q2", "commission_clawback") == "");
  CHECK(payout(result, "ann", "2026-Q3", "commission_clawback") == "-300.00");
  CHECK(payout(result, "ann", "2026-Q4", "commission_clawback") == "");
  CHECK(result.summary.total_paid == "100.00");
}

TEST_CASE("a clawback without a within window is dated by its date field", "[periods]") {
  DataFolder data("clawback_no_window");
  data.write("payees.csv", kPayees);
  // ann Q1: D1 60_000 (cancelled 2026-04-20) + D2 40_000 = 100_000 -> commission 10_000.
  data.write("deals.csv",
             "id,close_date,owner,amount,cancelled_on\n"
             "D1,2026-02-10,ann,60000,2026-04-20\nD2,2026-03-01,ann,40000,\n");
  RunOptions options;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q2";
  auto run = [&](const std::string& condition) {
    return run_plan(
        plan("quarter",
             "payout commission = 10% * bookings\nclawback commission when " + condition + "\n"),
        data, options);
  };
  SECTION("the first date field the condition reads dates the charge") {
    // D1: 10_000 x 60_000 / 100_000 = 6_000 charged in Q2, the period of 2026-04-20.
    const auto result = run("deal.cancelled_on != null");
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    CHECK(payout(result, "ann", "2026-Q1", "commission_clawback") == "");
    CHECK(payout(result, "ann", "2026-Q2", "commission_clawback") == "-6000.00");
  }
  SECTION("a condition that reads no date charges in the period the credit was earned") {
    // D2: 10_000 x 40_000 / 100_000 = 4_000, charged in Q1 itself.
    const auto result = run("deal.id == \"D2\"");
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    CHECK(payout(result, "ann", "2026-Q1", "commission") == "10000.00");
    CHECK(payout(result, "ann", "2026-Q1", "commission_clawback") == "-4000.00");
    CHECK(payout(result, "ann", "2026-Q2", "commission_clawback") == "");
  }
  SECTION("a row whose date field is empty is charged in the credit's period") {
    // D1 dated 2026-04-20 -> Q2 -6_000; D2 matches with no cancelled_on -> Q1 -4_000.
    const auto result = run("deal.id == \"D2\" or deal.cancelled_on != null");
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    CHECK(payout(result, "ann", "2026-Q1", "commission_clawback") == "-4000.00");
    CHECK(payout(result, "ann", "2026-Q2", "commission_clawback") == "-6000.00");
  }
}

TEST_CASE("a run from mid-year computes the plan year from its start", "[periods]") {
  DataFolder data("mid_year");
  data.write("payees.csv", kPayees);
  // sam's ramp runs in Q1 only: Q1 commission 10% x 2_000 = 200 -> top-up 800,
  // balance 800. Q2 commission 10% x 6_000 = 600 -> repays 600, balance 200.
  // A run of Q2 alone computes Q1 for its balance and writes only Q2.
  data.write("deals.csv",
             "id,close_date,owner,amount,cancelled_on\n"
             "d1,2026-02-01,sam,2000,\nd2,2026-05-01,sam,6000,\n");
  RunOptions options;
  options.first_period = "2026-Q2";
  options.last_period = "2026-Q2";
  const auto result = run_plan(plan("quarter", R"(
payout commission = 10% * bookings
draw ramp for role == "SDR" when period == Q1 = 1_000 USD recoverable limit 1_000 USD
)"),
                               data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "sam", "2026-Q1", "commission") == "");
  CHECK(payout(result, "sam", "2026-Q1", "ramp") == "");
  CHECK(payout(result, "sam", "2026-Q2", "commission") == "600.00");
  CHECK(payout(result, "sam", "2026-Q2", "ramp_recovery") == "-600.00");
  CHECK(measure(result, "sam", "2026-Q2", "ramp_balance") == "200.00");
  CHECK(result.summary.total_paid == "0.00");
}

TEST_CASE("a plan without state runs exactly the periods asked for", "[periods]") {
  DataFolder data("no_state");
  data.write("payees.csv", kPayees);
  data.write("deals.csv",
             "id,close_date,owner,amount,cancelled_on\n"
             "d1,2026-02-01,ann,2000,\nd2,2026-05-01,ann,6000,\n");
  RunOptions options;
  options.first_period = "2026-Q2";
  options.last_period = "2026-Q2";
  const auto result =
      run_plan(plan("quarter", "payout commission = 10% * bookings\n"), data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(result.summary.periods == 1);
  CHECK(result.credits.rows.size() == 1);
  CHECK(payout(result, "ann", "2026-Q2", "commission") == "600.00");
}

namespace {

// AEs paid on attainment (bookings over a quota only they have) and on the
// average deal (bookings over a count that is 0 for the manager); the
// manager mia is paid an override only.
const std::string kLetsPlan = R"(plan "Lets" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, amount: money }
roster payees { id: text key, name: text, role: text, manager: payee? }
source quotas { rep: payee, quarter: period, amount: money }
table quota(payee, period): money from quotas(rep, quarter, amount)

credit won from deals on deal.close_date {
  deal.owner                      gets 100%
  managers(deal.owner, levels: 1) gets 100% rollup
}

measure bookings: money = sum(credit.amount where credit.kind == direct)
measure deal_count: int = count(credit where credit.kind == direct)
measure team_bookings: money = sum(credit.amount where credit.kind == rollup)
let attainment: percent = bookings / quota(payee, period)
let avg_deal: money = bookings / deal_count

payout commission for role == "AE" = 10% * bookings * attainment
payout big_deal for role == "AE" when deal_count > 0 and avg_deal >= 25_000 USD = 500 USD
payout override for role == "MGR" = 2% * team_bookings
)";

void write_lets_data(DataFolder& data) {
  data.write("payees.csv", "id,name,role,manager\nann,Ann,AE,mia\nmia,Mia,MGR,\n");
  data.write("deals.csv", "id,close_date,owner,amount\nD1,2026-02-10,ann,60000\n");
  data.write("quotas.csv", "rep,quarter,amount\nann,2026-Q1,50000\n");
}

}  // namespace

TEST_CASE("a let is computed only for the payees whose payouts read it", "[periods]") {
  DataFolder data("lets_where_needed");
  write_lets_data(data);
  RunOptions options;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q1";
  const auto result = run_plan(kLetsPlan, data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // ann: attainment 60_000 / 50_000 = 120%: 10% x 60_000 x 1.2 = 7_200;
  //   avg_deal 60_000 >= 25_000: big_deal 500.
  // mia: no quota and no deals of her own; override 2% x 60_000 = 1_200.
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "7200.00");
  CHECK(payout(result, "ann", "2026-Q1", "big_deal") == "500.00");
  CHECK(payout(result, "mia", "2026-Q1", "override") == "1200.00");
  CHECK(payout(result, "mia", "2026-Q1", "commission") == "");
  // Measures are still computed for every payee.
  CHECK(measure(result, "mia", "2026-Q1", "team_bookings") == "60000.00");
  CHECK(measure(result, "mia", "2026-Q1", "deal_count") == "0");
}

TEST_CASE("a let a payout of every payee reads still needs its quota", "[periods]") {
  DataFolder data("lets_needed_everywhere");
  write_lets_data(data);
  RunOptions options;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q1";
  // The payout has no role guard: mia needs attainment too.
  const auto result =
      run_plan(kLetsPlan + "payout bonus when attainment > 100% = 100 USD\n", data, options);
  CHECK_FALSE(result.ok);
  CHECK_THAT(all_messages(result.messages), Catch::Contains("`quota` has no value"));
  CHECK_THAT(all_messages(result.messages), Catch::Contains("mia"));
}

TEST_CASE("a measure is computed for every payee, even one no payout reads", "[periods]") {
  DataFolder data("measures_everywhere");
  write_lets_data(data);
  RunOptions options;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q1";
  // Measures are written to measures.csv for every payee (and only
  // measures can be accumulated by ytd), so a quota measure needs mia's row.
  const auto result = run_plan(kLetsPlan + "measure period_quota: money = quota(payee, period)\n" +
                                   "payout ytd_bonus for role == \"AE\" = 1% * ytd(period_quota)\n",
                               data, options);
  CHECK_FALSE(result.ok);
  CHECK_THAT(all_messages(result.messages), Catch::Contains("`quota` has no value"));
  CHECK_THAT(all_messages(result.messages), Catch::Contains("mia"));
}

TEST_CASE("a test reads a let where it can be computed, and says why not elsewhere", "[periods]") {
  tally::Engine engine;
  auto compiled = engine.compile(kLetsPlan + R"(
test "manager without quota" {
  payee ann role "AE" manager mia quota 50_000 USD
  payee mia role "MGR"
  deal owner ann amount 60_000 USD close_date 2026-02-10
  expect commission(ann, Q1) == 7_200 USD
  expect attainment(ann, Q1) == 120%
  expect override(mia, Q1) == 1_200 USD
}
test "attainment of the manager" {
  payee ann role "AE" manager mia quota 50_000 USD
  payee mia role "MGR"
  deal owner ann amount 60_000 USD close_date 2026-02-10
  expect attainment(mia, Q1) == 0%
}
)",
                                 "plan.tally");
  INFO(all_messages(compiled.messages));
  REQUIRE(compiled.plan);
  const tally::TestReport report = engine.test(*compiled.plan);
  REQUIRE(report.tests.size() == 2);
  INFO(report.tests[0].details + report.tests[1].details);
  CHECK(report.tests[0].passed);
  CHECK_FALSE(report.tests[1].passed);
  CHECK_THAT(report.tests[1].details, Catch::Contains("`quota` has no value"));
}
