// Tables keyed by (payee, period), read from a source and looked up in
// payouts. Expected amounts are worked out by hand in the comments.
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"

using tally::testing::all_messages;
using tally::testing::DataFolder;
using tally::testing::payout;
using tally::testing::run_plan;

namespace {

const std::string kPlan = R"(plan "Quota" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, amount: money }
roster payees { id: text key, name: text, role: text }
source quotas { rep: payee, quarter: period, quota_amount: money }

table quota(payee, period): money from quotas(rep, quarter, quota_amount)

credit won from deals on deal.close_date { deal.owner gets 100% }
measure bookings: money = sum(credit.amount)
let attainment: percent = bookings / quota(payee, period)

payout bonus = 1_000 USD unless attainment >= 100% then 2_500 USD
payout commission = 5% * bookings cap quota(payee, period) * 10%
)";

const std::string kPayees = "id,name,role\nann,Ann,AE\nbob,Bob,AE\n";
const std::string kDeals =
    "id,close_date,owner,amount\n"
    "d1,2026-02-01,ann,60000.00\n"
    "d2,2026-05-01,ann,30000.00\n"
    "d3,2026-02-10,bob,10000.00\n";

std::string quotas_for_all_quarters() {
  std::string text = "rep,quarter,quota_amount\n";
  for (const char* rep : {"ann", "bob"})
    for (int q = 1; q <= 4; ++q)
      text += std::string(rep) + ",2026Q" + std::to_string(q) + ",50000.00\n";
  return text;
}

}  // namespace

TEST_CASE("a (payee, period) table is looked up in payouts", "[tables]") {
  DataFolder data("tables");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  data.write("quotas.csv", quotas_for_all_quarters());
  const auto result = run_plan(kPlan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // ann Q1: 60,000 against 50,000 = 120% -> 2,500; commission 5% = 3,000,
  // under the cap of 10% of the quota = 5,000.
  CHECK(payout(result, "ann", "2026-Q1", "bonus") == "2500.00");
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "3000.00");
  // ann Q2: 30,000 = 60% -> 1,000; commission 1,500.
  CHECK(payout(result, "ann", "2026-Q2", "bonus") == "1000.00");
  CHECK(payout(result, "ann", "2026-Q2", "commission") == "1500.00");
  // bob Q1: 10,000 = 20% -> 1,000; commission 500.
  CHECK(payout(result, "bob", "2026-Q1", "bonus") == "1000.00");
  CHECK(payout(result, "bob", "2026-Q1", "commission") == "500.00");
}

TEST_CASE("a missing table value stops the run with the payee and period", "[tables]") {
  DataFolder data("tables_missing");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  std::string quotas = quotas_for_all_quarters();
  quotas.erase(quotas.find("bob,2026Q3,50000.00\n"), std::string("bob,2026Q3,50000.00\n").size());
  data.write("quotas.csv", quotas);
  const auto result = run_plan(kPlan, data);
  REQUIRE_FALSE(result.ok);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].text ==
        "`quota` has no value for this payee and period (payee \"bob\", period 2026-Q3)");
  CHECK(result.messages[0].file == "plan.tally");
  CHECK(result.messages[0].line == 14);  // the `let attainment` line, first to read it
}

TEST_CASE("two rows for one payee and period are an error naming both", "[tables]") {
  DataFolder data("tables_duplicate");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  data.write("quotas.csv", quotas_for_all_quarters() + "ann,2026Q1,1.00\n");
  const auto result = run_plan(kPlan, data);
  REQUIRE_FALSE(result.ok);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].line == 10);  // the 9th data row
  CHECK(result.messages[0].text ==
        "`quota` has two rows for payee \"ann\" in 2026-Q1: rows 2 and 10");
}

TEST_CASE("marginal tiers over attainment pay each slice at its own rate", "[tables][rates]") {
  // LANGUAGE.md section 3: an AE at 120% of a 100,000 USD quota earns
  // 2% x 50,000 + 8% x 50,000 + 12% x 20,000 = 1,000 + 4,000 + 2,400 = 7,400.
  const std::string plan = kPlan + R"(
rates ae_rates on attainment marginal {
  0%   ..  50% : 2%
  50%  .. 100% : 8%
  100% .. 150% : 12%
  150% ..      : 15%
}
rates kicker on bookings retroactive { 0 USD .. 100_000 USD : 1%, 100_000 USD .. : 2% }
payout tiered = apply(ae_rates, bookings, base: quota(payee, period))
payout kick = apply(kicker, bookings)
)";
  DataFolder data("rates");
  data.write("payees.csv", kPayees);
  data.write(
      "deals.csv",
      "id,close_date,owner,amount\nd1,2026-02-01,ann,120000.00\nd2,2026-02-01,bob,99999.00\n");
  std::string quotas = "rep,quarter,quota_amount\n";
  for (const char* rep : {"ann", "bob"})
    for (int q = 1; q <= 4; ++q)
      quotas += std::string(rep) + ",2026Q" + std::to_string(q) + ",100000.00\n";
  data.write("quotas.csv", quotas);
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "tiered") == "7400.00");
  // bob at 99.999%: 1,000 + 8% x 49,999 = 1,000 + 3,999.92 = 4,999.92.
  CHECK(payout(result, "bob", "2026-Q1", "tiered") == "4999.92");
  // Retroactive: ann's 120,000 is past 100,000, all of it at 2%; bob's 99,999 at 1%.
  CHECK(payout(result, "ann", "2026-Q1", "kick") == "2400.00");
  CHECK(payout(result, "bob", "2026-Q1", "kick") == "999.99");
  CHECK(payout(result, "ann", "2026-Q2", "tiered") == "0.00");
}

TEST_CASE("a base of zero for attainment tiers stops the run, naming payee and period",
          "[tables][rates]") {
  // Without the plan's own attainment (which would divide by zero first).
  std::string plan = kPlan.substr(0, kPlan.find("let attainment"));
  plan += R"(
rates ae_rates on 0% marginal { 0% .. 100% : 5%, 100% .. : 10% }
payout tiered = apply(ae_rates, bookings, base: quota(payee, period))
)";
  DataFolder data("rates_zero_base");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  std::string quotas = quotas_for_all_quarters();
  quotas.replace(quotas.find("ann,2026Q1,50000.00"), 19, "ann,2026Q1,0.00");
  data.write("quotas.csv", quotas);
  const auto result = run_plan(plan, data);
  REQUIRE_FALSE(result.ok);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].text ==
        "the base of the rate tiers is 0.00; it must be more than zero (payee \"ann\", period "
        "2026-Q1)");
}
