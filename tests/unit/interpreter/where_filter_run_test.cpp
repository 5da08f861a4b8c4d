// `where` filters of several conditions joined by `and`, in a credit rule
// and in aggregates: the rows and credits they keep, and the right side of
// an `and` (or an `or`) runs only where the left does not decide, so a
// division guarded by the condition before it never divides by zero. The
// compiler narrows the lanes a condition at a time (select_where); these
// runs check that the lanes are those the whole condition selects, text
// compared with a constant included (SELECT_SYM_EQ / _NE). Expected
// values are worked out by hand in the comments.
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"

using tally::testing::all_messages;
using tally::testing::DataFolder;
using tally::testing::measure;
using tally::testing::payout;
using tally::testing::run_plan;

namespace {

const std::string kPlan = R"(plan "Filters" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  stage: text
  amount: money
  units: int
}
roster payees { id: text key, name: text, role: text }

credit won from deals
  where deal.stage == "Won" and deal.amount > 0 USD and
        (deal.units == 0 or deal.amount / deal.units >= 50 USD)
  on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
measure per_unit_big: int = count(credit where deal.units > 0 and deal.amount / deal.units > 100 USD)
measure mixed: int =
  count(credit where credit.kind == direct and (deal.units > 5 or deal.amount > 900 USD))
measure not_d2: int = count(credit where deal.id != "d2")
measure just_d3: int = count(credit where "d3" == deal.id and deal.units > 0)
payout commission = 10% * bookings
)";

}  // namespace

TEST_CASE("a where of conditions joined by `and` keeps the rows and credits all of them hold for",
          "[run]") {
  DataFolder data("where_filters");
  data.write("payees.csv", "id,name,role\nann,Ann,AE\nbob,Bob,AE\n");
  data.write("deals.csv",
             "id,close_date,owner,stage,amount,units\n"
             "d1,2026-01-05,ann,Won,300,0\n"    // no units: the rule's `or` decides early
             "d2,2026-01-10,ann,Won,1000,2\n"   // 500 a unit
             "d3,2026-02-10,ann,Won,500,10\n"   // 50 a unit: just kept by the rule
             "d4,2026-02-11,bob,Won,200,1\n"    // 200 a unit
             "d5,2026-02-12,bob,Lost,9000,1\n"  // not won
             "d6,2026-03-01,bob,Won,0,3\n");    // nothing to credit
  const auto result = run_plan(kPlan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // The rule keeps d1, d2, d3 (ann) and d4 (bob); 300 / 0 is never worked out.
  CHECK(measure(result, "ann", "2026-Q1", "bookings") == "1800.00");
  CHECK(measure(result, "bob", "2026-Q1", "bookings") == "200.00");
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "180.00");
  CHECK(payout(result, "bob", "2026-Q1", "commission") == "20.00");
  // More than 100 a unit: d2 (500) and d4 (200); d3 is 50; d1 has no units,
  // so its division never runs.
  CHECK(measure(result, "ann", "2026-Q1", "per_unit_big") == "1");
  CHECK(measure(result, "bob", "2026-Q1", "per_unit_big") == "1");
  // Direct and (more than 5 units or more than 900 USD): d2 (1000 USD) and
  // d3 (10 units); not d1 (0 units, 300 USD) nor d4 (1 unit, 200 USD).
  CHECK(measure(result, "ann", "2026-Q1", "mixed") == "2");
  CHECK(measure(result, "bob", "2026-Q1", "mixed") == "0");
  // Text against a constant, either side, == and != (SELECT_SYM_EQ / _NE).
  CHECK(measure(result, "ann", "2026-Q1", "not_d2") == "2");  // d1, d3
  CHECK(measure(result, "bob", "2026-Q1", "not_d2") == "1");  // d4
  CHECK(measure(result, "ann", "2026-Q1", "just_d3") == "1");
  CHECK(measure(result, "bob", "2026-Q1", "just_d3") == "0");
}
