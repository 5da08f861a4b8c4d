// Runs of small plans over inline data, end to end through the public API.
// Expected amounts are worked out by hand in the comments.
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"

using tally::RunOptions;
using tally::testing::all_messages;
using tally::testing::DataFolder;
using tally::testing::measure;
using tally::testing::payout;
using tally::testing::run_plan;

namespace {

const std::string kPlan = R"(plan "Run" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  se: payee
  stage: text
  kind: text
  amount: money
}
roster payees { id: text key, name: text, role: text }

credit won from deals where deal.stage == "Won" on deal.close_date {
  deal.owner gets 100%
  deal.se gets 50% overlay
}

measure bookings: money = sum(credit.amount)
measure deals_won: int = count(credit where credit.kind == direct)
measure new_bookings: money = sum(credit.amount where deal.kind == "New")
measure biggest: money = max(credit.amount)
measure smallest: money = min(credit.amount)
measure average: money = avg(credit.amount)

payout commission for role == "AE" = 10% * bookings cap 2_000 USD
payout se_pay for role == "SE" = 3% * bookings
payout kicker for role == "AE" when deals_won >= 2 = 1% * new_bookings floor 5 USD
)";

const std::string kPayees = "id,name,role\nann,Ann,AE\nbob,Bob,AE\nsam,Sam,SE\n";

const std::string kDeals =
    "id,close_date,owner,se,stage,kind,amount\n"
    "d1,2026-01-10,ann,sam,Won,New,10000.00\n"
    "d2,2026-02-20,ann,sam,Won,Renewal,5000.50\n"
    "d3,2026-03-31,bob,sam,Lost,New,99999.00\n"
    "d4,2026-04-01,bob,sam,Won,New,30000.00\n"
    "d5,2026-12-31,ann,sam,Won,New,333.33\n";

}  // namespace

TEST_CASE("a plan runs end to end with hand-checked payouts", "[run]") {
  DataFolder data("basic");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  const auto result = run_plan(kPlan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);

  // Q1: ann won d1 + d2 = 15000.50; 10% = 1500.05 (under the 2000 cap).
  CHECK(measure(result, "ann", "2026-Q1", "bookings") == "15000.5000");
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "1500.05");
  // ann has 2 direct credits in Q1, new bookings 10000.00: 1% = 100.00.
  CHECK(measure(result, "ann", "2026-Q1", "deals_won") == "2");
  CHECK(payout(result, "ann", "2026-Q1", "kicker") == "100.00");
  // d3 is lost: bob has nothing in Q1; his kicker does not apply (1 deal < 2).
  CHECK(payout(result, "bob", "2026-Q1", "commission") == "0.00");
  CHECK(payout(result, "bob", "2026-Q1", "kicker").empty());
  // Q2: bob's 30000.00 at 10% = 3000.00, capped at 2000.00.
  CHECK(payout(result, "bob", "2026-Q2", "commission") == "2000.00");
  // sam: 50% overlay of d1 + d2 = 7500.25 in Q1; 3% = 225.0075 -> 225.01.
  CHECK(measure(result, "sam", "2026-Q1", "bookings") == "7500.2500");
  CHECK(payout(result, "sam", "2026-Q1", "se_pay") == "225.01");
  CHECK(payout(result, "sam", "2026-Q1", "commission").empty());
  // Q4: ann 333.33 at 10% = 33.333 -> 33.33; sam 166.665 at 3% = 4.99995 -> 5.00.
  CHECK(payout(result, "ann", "2026-Q4", "commission") == "33.33");
  CHECK(payout(result, "sam", "2026-Q4", "se_pay") == "5.00");
  // min/max/avg over ann's Q1 credits 10000.00 and 5000.50.
  CHECK(measure(result, "ann", "2026-Q1", "biggest") == "10000.0000");
  CHECK(measure(result, "ann", "2026-Q1", "smallest") == "5000.5000");
  CHECK(measure(result, "ann", "2026-Q1", "average") ==
        "7500.2500");  // exact quotient keeps the scale
  // Q3 has no credit at all, yet it is paid (zero): the whole year is run.
  CHECK(payout(result, "ann", "2026-Q3", "commission") == "0.00");
  CHECK(result.summary.periods == 4);
  CHECK(result.summary.payees == 3);
  CHECK(result.summary.credits == 8);  // 4 won deals x 2 lines
  // Total: ann 1500.05 + 100.00 + 0 + 0 + 33.33; bob 0 + 2000.00 + 0 + 0;
  // sam 225.01 + 450.00 (15000 x 3%) + 0 + 5.00.
  CHECK(result.summary.total_paid == "4313.39");
}

TEST_CASE("the run can be limited to some periods", "[run]") {
  DataFolder data("periods");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  RunOptions options;
  options.first_period = "2026-Q2";
  options.last_period = "2026-Q2";
  const auto result = run_plan(kPlan, data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(result.summary.periods == 1);
  CHECK(result.summary.credits == 2);
  CHECK(payout(result, "bob", "2026-Q2", "commission") == "2000.00");
  CHECK(payout(result, "ann", "2026-Q1", "commission").empty());
}

TEST_CASE("a fiscal year starting in February places deals in its quarters", "[run]") {
  std::string plan = kPlan;
  plan.replace(plan.find("  periods quarter"), 17,
               "  fiscal year FY2027 starts 2026-02-01, periods quarter");
  DataFolder data("fiscal");
  data.write("payees.csv", kPayees);
  // 2026-01-31 is the last day of FY2026 (Q4 = Nov-Jan); 2026-02-01 opens FY2027-Q1.
  data.write("deals.csv",
             "id,close_date,owner,se,stage,kind,amount\n"
             "d1,2026-01-31,ann,sam,Won,New,100.00\n"
             "d2,2026-02-01,ann,sam,Won,New,200.00\n");
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(measure(result, "ann", "FY2026-Q4", "bookings") == "100.0000");
  CHECK(measure(result, "ann", "FY2027-Q1", "bookings") == "200.0000");
  CHECK(result.summary.periods == 8);  // both fiscal years, whole
}

TEST_CASE("a credit to someone not in the roster stops the run, naming the row", "[run]") {
  DataFolder data("unknown_payee");
  data.write("payees.csv", kPayees);
  data.write("deals.csv",
             "id,close_date,owner,se,stage,kind,amount\nd1,2026-01-10,anne,sam,Won,New,1.00\n");
  const auto result = run_plan(kPlan, data);
  REQUIRE_FALSE(result.ok);
  REQUIRE(result.messages.size() == 1);
  const auto& m = result.messages[0];
  CHECK(m.line == 2);
  CHECK(m.file.size() >= 9);
  CHECK(m.file.substr(m.file.size() - 9) == "deals.csv");
  CHECK(m.text ==
        "credit rule `won` credits payee \"anne\" for deal \"d1\", who is not in the roster "
        "`payees`");
  CHECK(m.hint == "did you mean \"ann\"?");
}

TEST_CASE("division by zero at run time names the plan line, the payee and the period", "[run]") {
  std::string plan = kPlan;
  plan.replace(plan.find("3% * bookings"), 13, "bookings / deals_won * 1%");
  DataFolder data("division");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  const auto result = run_plan(plan, data);
  REQUIRE_FALSE(result.ok);
  REQUIRE(result.messages.size() == 1);
  // sam (an SE) never has direct credits: deals_won is 0 for him in Q1.
  CHECK(result.messages[0].text == "division by zero (payee \"sam\", period 2026-Q1)");
  CHECK(result.messages[0].file == "plan.tally");
  CHECK(result.messages[0].line == 30);
}

TEST_CASE("`and` does not evaluate its right side where the left is false", "[run]") {
  std::string plan = kPlan;
  // For payees with no credit the division would fail; the guard protects it.
  plan.replace(plan.find("when deals_won >= 2"), 19,
               "when deals_won > 0 and bookings / deals_won > 1 USD");
  DataFolder data("and");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "kicker") == "100.00");
  CHECK(payout(result, "bob", "2026-Q1", "kicker").empty());
}

TEST_CASE("missing data files are named, with the way to bind them", "[run]") {
  DataFolder data("missing");
  data.write("payees.csv", kPayees);
  const auto result = run_plan(kPlan, data);
  REQUIRE_FALSE(result.ok);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].text.find("no data for source `deals`") == 0);
  CHECK(result.messages[0].hint == "put the file there, or bind it with --bind deals=PATH");
}

TEST_CASE("bad data values stop the run with file, row and column", "[run]") {
  DataFolder data("bad_value");
  data.write("payees.csv", kPayees);
  data.write("deals.csv",
             "id,close_date,owner,se,stage,kind,amount\nd1,2026-01-10,ann,sam,Won,New,1.00\n"
             "d2,2026-13-01,ann,sam,Won,New,1.00\n");
  const auto result = run_plan(kPlan, data);
  REQUIRE_FALSE(result.ok);
  REQUIRE_FALSE(result.messages.empty());
  CHECK(result.messages[0].line == 3);
  CHECK(result.messages[0].column == 2);
  CHECK(result.messages[0].text.find("close_date") != std::string::npos);
  CHECK(result.messages[0].text.find("2026-13-01") != std::string::npos);
}

TEST_CASE("outputs are written whole or not at all", "[run]") {
  DataFolder data("outputs");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  const auto result = run_plan(kPlan, data);
  REQUIRE(result.ok);
  const std::string out = data.path() + "/out";
  const auto messages = tally::write_outputs(result, out);
  INFO(all_messages(messages));
  CHECK(messages.empty());
  for (const char* name : {"payouts.csv", "credits.csv", "measures.csv"})
    CHECK(std::filesystem::exists(std::filesystem::path(out) / name));
  // Nothing but the three tables is left behind (no temporary folder).
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(data.path())) ++entries;
  CHECK(entries == 3);  // payees.csv, deals.csv, out
}

TEST_CASE("`in` over a list-valued field tests its items", "[run]") {
  const std::string plan = R"(plan "Lists" version 1
  currency USD
source deals {
  id: text key
  close_date: date
  owner: payee
  tags: list<text> sep "|"
  amount: money
}
roster payees { id: text key, name: text, role: text }
credit won from deals where "vip" in deal.tags on deal.close_date {
  deal.owner gets 100%
}
measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";
  DataFolder data("list_membership");
  data.write("payees.csv", kPayees);
  // d2's tags hold "vipx" and "new": no item is exactly "vip".
  data.write("deals.csv",
             "id,close_date,owner,tags,amount\n"
             "d1,2026-01-10,ann,vip|new,100.00\n"
             "d2,2026-01-11,ann,vipx|new,900.00\n"
             "d3,2026-01-12,ann,,50.00\n");
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "10.00");  // 10% of d1's 100.00
}

TEST_CASE("functions and unless exceptions run inside payouts", "[run]") {
  std::string plan = kPlan;
  // A bonus by attainment band, later exceptions winning: under 10,000 USD
  // of bookings 0; from 10,000 USD 100; from 20,000 USD 250.
  plan += R"(
fn band_bonus(b: money): money = 0 USD unless b >= 10_000 USD then 100 USD unless b >= 20_000 USD then 250 USD
payout bonus for role == "AE" = band_bonus(bookings)
)";
  DataFolder data("functions");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "bonus") == "100.00");  // 15,000.50
  CHECK(payout(result, "bob", "2026-Q2", "bonus") == "250.00");  // 30,000.00
  CHECK(payout(result, "ann", "2026-Q4", "bonus") == "0.00");    // 333.33
  CHECK(payout(result, "sam", "2026-Q1", "bonus").empty());      // an SE
}
