// Optional values in a run: `x ?? default`, `x == null`, `x != null` over
// fields declared with `?` whose cells are empty. Expected amounts are worked
// out by hand in the comments.
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"

using tally::testing::all_messages;
using tally::testing::DataFolder;
using tally::testing::measure;
using tally::testing::payout;
using tally::testing::run_plan;

namespace {

const std::string kPlan = R"(plan "Nulls" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  amount: money
  discount: money?
  region: text?
}
roster payees { id: text key, name: text, role: text, bonus: money? }

credit won from deals amount deal.amount - (deal.discount ?? 0 USD) on deal.close_date {
  deal.owner gets 100%
}

measure net: money = sum(credit.amount)
measure unplaced: int = count(credit where deal.region == null)
measure placed: int = count(credit where deal.region != null and deal.region ?? "" == "West")
payout commission = 10% * net + (payee.bonus ?? 0 USD)
)";

}  // namespace

TEST_CASE("?? gives the default where an optional field is empty, == null finds it", "[run]") {
  DataFolder data("nulls");
  data.write("payees.csv", "id,name,role,bonus\nann,Ann,AE,\nbob,Bob,AE,50\n");
  data.write("deals.csv",
             "id,close_date,owner,amount,discount,region\n"
             "d1,2026-01-10,ann,1000,,West\n"
             "d2,2026-02-10,ann,2000,500,\n"
             "d3,2026-02-11,bob,300,,\n");
  const auto result = run_plan(kPlan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // ann: 1000 - 0 + 2000 - 500 = 2500 net; 10% = 250; no bonus.
  // The credit is amount × 100% (1.00), so the sum carries two places.
  CHECK(measure(result, "ann", "2026-Q1", "net") == "2500.00");
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "250.00");
  CHECK(measure(result, "ann", "2026-Q1", "unplaced") == "1");
  CHECK(measure(result, "ann", "2026-Q1", "placed") == "1");
  // bob: 300 net, 10% = 30, plus his bonus of 50.
  CHECK(payout(result, "bob", "2026-Q1", "commission") == "80.00");
  CHECK(measure(result, "bob", "2026-Q1", "unplaced") == "1");
  CHECK(measure(result, "bob", "2026-Q1", "placed") == "0");
}
