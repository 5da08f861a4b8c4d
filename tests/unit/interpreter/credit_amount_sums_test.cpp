// The fast path for `sum(credit.amount)` and `avg(credit.amount)`
// (interpreter/credit_amount_sums.cpp) against the bytecode path, which
// `sum(credit.amount * 1)` takes: the same values, scale included, with
// amounts of several scales, negative amounts, sums that cancel, and sums
// that pass the 64-bit units (the fast path then hands over to exact
// decimals). A few values are also worked out by hand.
#include <catch2/catch.hpp>

#include <string>

#include "plan_fixture.hpp"

using tally::RunOptions;
using tally::testing::all_messages;
using tally::testing::DataFolder;
using tally::testing::measure;
using tally::testing::run_plan;

namespace {

const std::string kPlan = R"(plan "Sums" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  helper: payee
  share: percent
  amount: money
}
roster payees { id: text key, role: text }

credit won from deals on deal.close_date {
  deal.owner  gets 100%
  deal.helper gets deal.share overlay
}

measure fast: money = sum(credit.amount)
measure slow: money = sum(credit.amount * 1)
measure fast_mean: money = avg(credit.amount)
measure slow_mean: money = avg(credit.amount * 1)
payout pay = 1% * fast
)";

/// Runs kPlan over `deals_csv` and checks that the fast and bytecode
/// measures agree for every payee and period.
tally::RunResult run_and_compare(const std::string& name, const std::string& deals_csv) {
  DataFolder data(name);
  data.write("payees.csv", "id,role\nann,AE\nbob,AE\ncat,SE\n");
  data.write("deals.csv", "id,close_date,owner,helper,share,amount\n" + deals_csv);
  RunOptions options;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q2";
  auto result = run_plan(kPlan, data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  for (const char* payee : {"ann", "bob", "cat"})
    for (const char* period : {"2026-Q1", "2026-Q2"}) {
      INFO(payee << " " << period);
      CHECK(measure(result, payee, period, "fast") == measure(result, payee, period, "slow"));
      CHECK(measure(result, payee, period, "fast_mean") ==
            measure(result, payee, period, "slow_mean"));
    }
  return result;
}

}  // namespace

TEST_CASE("sum(credit.amount) without the VM: amounts of several scales, signs, cancelling") {
  const auto result = run_and_compare("credit_amount_scales",
                                      "d1,2026-01-05,ann,cat,50%,1000.00\n"
                                      "d2,2026-01-06,ann,cat,12.5%,-1000.00\n"
                                      "d3,2026-01-07,bob,cat,33.3333%,10.01\n"
                                      "d4,2026-02-01,bob,cat,100%,-10.01\n"
                                      "d7,2026-05-03,ann,bob,25%,0.04\n");
  // By hand: ann's Q1 direct credits (amount x 1.00: scale 4) 1000.00 -
  // 1000.00 cancel. The share column holds 33.3333%, so all its values are
  // read at scale 6 and every overlay has scale 8: cat's are 500 - 125 +
  // 3.33666333 - 10.01 = 368.32666333, their mean a quarter of that; bob's
  // Q2 overlay is 0.04 x 0.250000 = 0.01000000; ann's Q2 0.04 x 1.00.
  CHECK(measure(result, "ann", "2026-Q1", "fast") == "0.0000");
  CHECK(measure(result, "cat", "2026-Q1", "fast") == "368.32666333");
  CHECK(measure(result, "cat", "2026-Q1", "fast_mean") == "92.0816658325");
  CHECK(measure(result, "bob", "2026-Q2", "fast") == "0.01000000");
  CHECK(measure(result, "ann", "2026-Q2", "fast") == "0.0400");
}

TEST_CASE("sum(credit.amount) without the VM: a sum past 64-bit units stays exact") {
  // Direct credits of 600,000,000,000,000.00 x 1.00 are 6e18 units at scale
  // 4; two of them pass 2^63 - 1 (about 9.2e18).
  const auto result = run_and_compare("credit_amount_overflow",
                                      "d5,2026-04-01,ann,cat,50%,600000000000000.00\n"
                                      "d6,2026-04-02,ann,bob,50%,600000000000000.00\n"
                                      "d7,2026-05-03,ann,bob,50%,0.04\n");
  CHECK(measure(result, "ann", "2026-Q2", "fast") == "1200000000000000.0400");
  CHECK(measure(result, "bob", "2026-Q2", "fast") == "300000000000000.0200");
}
