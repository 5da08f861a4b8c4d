// `tally test` through the public API (Engine::test): test blocks run over
// the rows they state. Expected amounts are worked out by hand in comments.
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"

using tally::Engine;
using tally::TestReport;
using tally::testing::all_messages;

namespace {

// A fiscal year from February (FY2027 = Feb 2026 - Jan 2027), quota and
// target incentive per (payee, quarter), marginal tiers over attainment.
const std::string kPlan = R"(plan "Tested" version 1
  currency USD
  fiscal year FY2027 starts 2026-02-01, periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  stage: text
  amount: money
}
roster payees { id: text key, name: text, role: text }
source targets { rep: payee, quarter: period, quota: money, incentive: money }
table quota(payee, period): money from targets(rep, quarter, quota)
table target_incentive(payee, period): money from targets(rep, quarter, incentive)

credit won from deals where deal.stage == "Won" on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
measure won_deals: int = count(credit)
let attainment: percent = bookings / quota(payee, period)

rates ae_rates on attainment marginal {
  0%   ..  50% : 2%
  50%  .. 100% : 8%
  100% .. 150% : 12%
  150% ..      : 15%
}

payout commission for role == "AE" =
  apply(ae_rates, bookings, base: quota(payee, period))
  cap 3 * target_incentive(payee, period)
)";

TestReport run_tests(const std::string& tests) {
  Engine engine;
  auto compiled = engine.compile(kPlan + tests, "plan.tally");
  INFO(all_messages(compiled.messages));
  REQUIRE(compiled.plan);
  return engine.test(*compiled.plan);
}

}  // namespace

TEST_CASE("a plan without tests reports none", "[test_runner]") {
  const TestReport report = run_tests("");
  CHECK(report.tests.empty());
  CHECK(report.passed == 0);
  CHECK(report.failed == 0);
}

TEST_CASE("a test passes on the plan's numbers", "[test_runner]") {
  // 120_000 on a 100_000 quota: 2% of 50_000 + 8% of 50_000 + 12% of 20_000
  // = 1_000 + 4_000 + 2_400 = 7_400. 2026-03-15 is in FY2027-Q1 (Feb-Apr).
  const TestReport report = run_tests(R"(
test "AE at 120% attainment" {
  payee ann role "AE" quota 100_000 USD target_incentive 20_000 USD
  deal owner ann amount 120_000 USD stage "Won" close_date 2026-03-15
  expect commission(ann, Q1) == 7_400 USD
  expect attainment(ann, Q1) == 120%
  expect bookings(ann, FY2027-Q1) == 120_000 USD
  expect won_deals(ann, Q1) == 1
}
)");
  REQUIRE(report.tests.size() == 1);
  INFO(report.tests[0].details);
  CHECK(report.tests[0].name == "AE at 120% attainment");
  CHECK(report.tests[0].passed);
  CHECK(report.passed == 1);
  CHECK(report.failed == 0);
}

TEST_CASE("a failing expect shows expected, actual and the explain tree", "[test_runner]") {
  // Two won deals of 70_000 and 50_000 in FY2027-Q1 (2026-04-30 is still
  // Q1): 120_000, so the commission is 7_400, not the 7_000 expected.
  const TestReport report = run_tests(R"(
test "wrong" {
  payee ann role "AE" quota 100_000 USD target_incentive 20_000 USD
  deal owner ann amount 70_000 USD stage "Won" close_date 2026-03-15
  deal owner ann amount 50_000 USD stage "Won" close_date 2026-04-30
  deal owner ann amount 99_000 USD stage "Lost" close_date 2026-04-30
  expect commission(ann, Q1) == 7_000 USD
}
)");
  REQUIRE(report.tests.size() == 1);
  const std::string& details = report.tests[0].details;
  INFO(details);
  CHECK_FALSE(report.tests[0].passed);
  CHECK(report.failed == 1);
  CHECK(details.find("plan.tally:") != std::string::npos);
  CHECK(details.find("expect commission(ann, Q1) == 7_000 USD") != std::string::npos);
  CHECK(details.find("expected: 7000.00 USD") != std::string::npos);
  CHECK(details.find("actual:   7400.00 USD") != std::string::npos);
  // The tree: the measure with its two credits (the lost deal is not one),
  // the table lookup, each tier's slice and pay, the cap not reached.
  CHECK(details.find("commission(ann, FY2027-Q1) = 7400.00 USD") != std::string::npos);
  CHECK(details.find("bookings = 120000.00 USD") != std::string::npos);
  CHECK(details.find("2 credits") != std::string::npos);
  CHECK(details.find("credit deal-1 = 70000.00 USD") != std::string::npos);
  CHECK(details.find("credit deal-2 = 50000.00 USD") != std::string::npos);
  CHECK(details.find("deal-3") == std::string::npos);
  CHECK(details.find("quota(payee, period) = 100000.00 USD") != std::string::npos);
  CHECK(details.find("tier 0%..50% at 2% = 1000.00 USD  (slice 50000.00 USD)") !=
        std::string::npos);
  CHECK(details.find("tier 50%..100% at 8% = 4000.00 USD") != std::string::npos);
  CHECK(details.find("tier 100%..150% at 12% = 2400.00 USD  (slice 20000.00 USD)") !=
        std::string::npos);
  CHECK(details.find("tier 150%.. at 15%  (not reached)") != std::string::npos);
  CHECK(details.find("cap 3 * target_incentive(payee, period) = 60000.00 USD  (not reached)") !=
        std::string::npos);
}

TEST_CASE("a table set on a payee holds in every period of the test's year", "[test_runner]") {
  // Q2 (May-Jul 2026): 40_000 on 100_000 is 40%, all at 2%: 800. The cap
  // 3 × 1_000 = 3_000 binds in Q3: 200_000 pays 1_000 + 4_000 + 6_000 = 11_000.
  const TestReport report = run_tests(R"(
test "quarters" {
  payee bo role "AE" quota 100_000 USD target_incentive 1_000 USD
  deal owner bo amount 40_000 USD stage "Won" close_date 2026-05-02
  deal owner bo amount 200_000 USD stage "Won" close_date 2026-08-02
  expect commission(bo, Q2) == 800 USD
  expect commission(bo, Q3) == 3_000 USD
  expect commission(bo, Q4) == 0 USD
  expect commission(bo, Q1) == 0 USD
  expect quota(bo, Q3) == 100_000 USD
  expect target_incentive(bo, FY2027-Q4) == 1_000 USD
}
)");
  REQUIRE(report.tests.size() == 1);
  INFO(report.tests[0].details);
  CHECK(report.tests[0].passed);
}

TEST_CASE("a payout that does not apply to a payee counts as zero", "[test_runner]") {
  const TestReport report = run_tests(R"(
test "an SE earns no commission" {
  payee sam role "SE" quota 100_000 USD target_incentive 1_000 USD
  deal owner sam amount 40_000 USD stage "Won" close_date 2026-05-02
  expect commission(sam, Q2) == 0 USD
  expect commission(sam, Q2) > 0 USD
}
)");
  REQUIRE(report.tests.size() == 1);
  const std::string& details = report.tests[0].details;
  INFO(details);
  CHECK_FALSE(report.tests[0].passed);
  // Only the second expect fails: its tree says why there is no payout.
  CHECK(details.find("expect commission(sam, Q2) > 0 USD") != std::string::npos);
  CHECK(details.find("expected: > 0.00 USD") != std::string::npos);
  CHECK(details.find("does not apply to this payee") != std::string::npos);
  CHECK(details.find("== 0 USD") == std::string::npos);
}

TEST_CASE("a bare period needs a date in the test's rows", "[test_runner]") {
  const TestReport report = run_tests(R"(
test "no data" {
  payee ann role "AE" quota 100_000 USD target_incentive 1_000 USD
  expect commission(ann, Q1) == 0 USD
}
test "no data, a full period" {
  payee ann role "AE" quota 100_000 USD target_incentive 1_000 USD
  expect commission(ann, FY2027-Q1) == 0 USD
}
)");
  REQUIRE(report.tests.size() == 2);
  CHECK_FALSE(report.tests[0].passed);
  CHECK(report.tests[0].details.find("`Q1` names no year") != std::string::npos);
  INFO(report.tests[1].details);
  CHECK(report.tests[1].passed);
  CHECK(report.passed == 1);
  CHECK(report.failed == 1);
}

TEST_CASE("a run error fails the test with the error naming the plan line", "[test_runner]") {
  const TestReport report = run_tests(R"(
test "unknown owner" {
  payee ann role "AE" quota 100_000 USD target_incentive 1_000 USD
  deal owner "zed" amount 40_000 USD stage "Won" close_date 2026-05-02
  expect commission(ann, Q2) == 0 USD
}
test "a table value the test does not give" {
  payee ann role "AE" quota 100_000 USD
  deal owner ann amount 40_000 USD stage "Won" close_date 2026-05-02
  expect commission(ann, Q2) == 800 USD
}
)");
  REQUIRE(report.tests.size() == 2);
  const std::string& details = report.tests[0].details;
  INFO(details);
  CHECK_FALSE(report.tests[0].passed);
  // kPlan is 35 lines; the tests start on line 37, so the deal is on line 39.
  CHECK(details.find("\"zed\"") != std::string::npos);
  CHECK(details.find("plan.tally:39") != std::string::npos);
  INFO(report.tests[1].details);
  CHECK_FALSE(report.tests[1].passed);
  CHECK(report.tests[1].details.find("`incentive`") != std::string::npos);
}

TEST_CASE("rows without a key get one of their own; unstated numbers are zero", "[test_runner]") {
  // Three deals with no id: deal-1, deal-2, deal-3 (no duplicate key); the
  // third states no amount, so it is 0 and counts as a credit of 0.
  const TestReport report = run_tests(R"(
test "keys" {
  payee ann role "AE" quota 100_000 USD target_incentive 1_000 USD
  deal owner ann amount 10_000 USD stage "Won" close_date 2026-05-02
  deal owner ann amount 10_000 USD stage "Won" close_date 2026-05-03
  deal owner ann stage "Won" close_date 2026-05-04
  expect bookings(ann, Q2) == 20_000 USD
  expect won_deals(ann, Q2) == 3
}
)");
  REQUIRE(report.tests.size() == 1);
  INFO(report.tests[0].details);
  CHECK(report.tests[0].passed);
}

TEST_CASE("comparisons are exact", "[test_runner]") {
  // 30_001 at 2% = 600.02: neither 600 nor 600.0199 equals it.
  const TestReport report = run_tests(R"(
test "exact" {
  payee ann role "AE" quota 100_000 USD target_incentive 1_000 USD
  deal owner ann amount 30_001 USD stage "Won" close_date 2026-05-02
  expect commission(ann, Q2) == 600.02 USD
  expect commission(ann, Q2) != 600 USD
  expect commission(ann, Q2) != 600.0199 USD
  expect commission(ann, Q2) == 600.020 USD
}
)");
  REQUIRE(report.tests.size() == 1);
  INFO(report.tests[0].details);
  CHECK(report.tests[0].passed);
}
