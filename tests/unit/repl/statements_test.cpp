// Statements (`tally statements`): reading explain trees (tier slices,
// caps, quota and attainment), exact amounts and safe file names. The
// statement code lives in repl/ (the `tally` program, over the public API
// only) and has no library target of its own, so its sources are compiled
// into this test directly. Expected values are worked out by hand in comments.
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"
#include "repl/statement_amount.hpp"
#include "repl/statement_data.hpp"
#include "repl/statement_tree.hpp"

using tally::Engine;
using tally::ExplainNode;
using tally::RunOptions;
using tally::testing::all_messages;
using tally::testing::DataFolder;
using namespace tally::cli;

TEST_CASE("call arguments split at top-level commas only", "[statements]") {
  const auto args = call_arguments("apply(ae_rates, bookings, base: quota(payee, period))");
  REQUIRE(args);
  CHECK(*args == std::vector<std::string>{"ae_rates", "bookings", "base: quota(payee, period)"});
  const auto quoted = call_arguments("f(\"a, (b\", c)");
  REQUIRE(quoted);
  CHECK(quoted->size() == 2);
  CHECK_FALSE(call_arguments("f(a) + g(b)"));
  CHECK_FALSE(call_arguments("bookings"));
  CHECK_FALSE(call_arguments("(a, b)"));
  CHECK(call_arguments("now()")->empty());

  const auto apply = parse_apply("apply(tiers, bookings, base: quota(payee, period))");
  REQUIRE(apply);
  CHECK(apply->rates == "tiers");
  CHECK(apply->applied == "bookings");
  CHECK(apply->base == "quota(payee, period)");
  const auto plain = parse_apply("apply(kicker, attainment)");
  REQUIRE(plain);
  CHECK(plain->base.empty());
  CHECK_FALSE(parse_apply("apply(kicker)"));
  CHECK_FALSE(parse_apply("applyx(a, b)"));
}

TEST_CASE("values as explain prints them", "[statements]") {
  auto n = parse_number("125000.50 USD");
  REQUIRE(n);
  CHECK(n->number == Approx(125000.5));
  CHECK(n->digits == "125000.50");
  CHECK(n->unit == "USD");
  n = parse_number("120%");
  REQUIRE(n);
  CHECK(n->number == Approx(120));
  CHECK(n->unit == "%");
  n = parse_number("-3");
  REQUIRE(n);
  CHECK(n->number == Approx(-3));
  CHECK(n->unit.empty());
  CHECK_FALSE(parse_number("true"));
  CHECK_FALSE(parse_number("\"AE\""));
  CHECK_FALSE(parse_number("2026-Q1"));  // a period is no number
  CHECK_FALSE(parse_number(""));
  CHECK(leading_name("quota(payee, period)") == "quota");
  CHECK(leading_name("bookings") == "bookings");
  CHECK(leading_name("3 * x").empty());
}

TEST_CASE("tier labels and notes", "[statements]") {
  auto step = parse_tier({"tier 50%..100% at 8%", "4447.0196 USD", "slice 55587.745 USD", {}});
  REQUIRE(step);
  CHECK(step->lower == "50%");
  CHECK(step->upper == "100%");
  CHECK(step->rate == "8%");
  CHECK(step->paid);
  CHECK(step->slice == "55587.745 USD");
  CHECK(step->amount == "4447.0196 USD");
  step = parse_tier({"tier 150%.. at 15%", "", "not reached", {}});
  REQUIRE(step);
  CHECK(step->upper.empty());
  CHECK_FALSE(step->paid);
  CHECK(step->amount.empty());
  step = parse_tier({"tier 0.00 USD..5000.00 USD at 3%",
                     "129.5325 USD",
                     "reached: the rate applies to all of 4317.75 USD",
                     {}});
  REQUIRE(step);
  CHECK(step->lower == "0.00 USD");
  CHECK(step->upper == "5000.00 USD");
  CHECK(step->paid);
  CHECK(step->slice == "4317.75 USD");
  step = parse_tier({"tier 5000.00 USD..10000.00 USD at 4%", "", "not the tier reached", {}});
  REQUIRE(step);
  CHECK_FALSE(step->paid);
  CHECK_FALSE(parse_tier({"tiers", "", "", {}}));
  CHECK_FALSE(parse_tier({"tier 50% at 8%", "", "", {}}));
}

TEST_CASE("caps and floors of a payout", "[statements]") {
  ExplainNode root{"commission(ann, 2026-Q1)", "10000.00 USD", "payout", {}};
  root.children.push_back({"cap 10_000 USD", "10000 USD", "bound: 12000.04 USD is capped", {}});
  root.children.push_back({"floor 500 USD", "500 USD", "not reached", {}});
  root.children.push_back(
      {"cap 3 * ti", "9.00 USD", "carried over the year: the run applies it", {}});
  const auto limits = payout_limits(root);
  REQUIRE(limits.size() == 3);
  CHECK(limits[0].kind == "cap");
  CHECK(limits[0].expression == "10_000 USD");
  CHECK(limits[0].bound);
  CHECK(limits[0].before == "12000.04 USD");
  CHECK(limits[1].kind == "floor");
  CHECK_FALSE(limits[1].bound);
  CHECK(limits[2].carried);
  CHECK_FALSE(payout_does_not_apply(root));
  root.note = "payout: does not apply to this payee in this period";
  CHECK(payout_does_not_apply(root));
}

TEST_CASE("names of quotas and attainments", "[statements]") {
  CHECK(is_quota_name("quota"));
  CHECK(is_quota_name("team_quota"));
  CHECK(is_quota_name("revenue_goal"));
  CHECK(is_quota_name("Sales_Target"));
  CHECK_FALSE(is_quota_name("target_incentive"));
  CHECK_FALSE(is_quota_name("bookings"));
  CHECK(is_attainment_name("attainment"));
  CHECK(is_attainment_name("quota_attainment"));
  CHECK_FALSE(is_attainment_name("bookings"));
}

TEST_CASE("exact amounts with thousands separators", "[statements]") {
  auto a = Amount::parse("0.1");
  auto b = Amount::parse("0.2");
  REQUIRE(a);
  REQUIRE(b);
  CHECK((*a + *b).plain() == "0.3");  // exact, not 0.30000000000000004
  CHECK(Amount::parse("1234567.5")->grouped() == "1,234,567.50");
  CHECK(Amount::parse("-1234.5")->grouped() == "-1,234.50");
  CHECK(Amount::parse("28033.2300")->grouped() == "28,033.23");
  CHECK(Amount::parse("1645.9136")->grouped() == "1,645.9136");
  CHECK(Amount::parse("999")->grouped(0) == "999");
  CHECK(Amount::parse("125000.50 USD")->plain(2) == "125000.50");
  CHECK_FALSE(Amount::parse("abc"));
  CHECK_FALSE(Amount::parse("12x"));
  // 7_945.07 + 23_103.96 + 23_966.00 + 4_971.38 = 59_986.41
  Amount sum;
  for (const char* text : {"7945.07", "23103.96", "23966.00", "4971.38"})
    sum += *Amount::parse(text);
  CHECK(sum.grouped() == "59,986.41");
  CHECK(compare(*Amount::parse("10.5"), *Amount::parse("10.50")) == 0);
  CHECK(*Amount::parse("-400") < *Amount::parse("0.01"));
  CHECK((-*Amount::parse("400")).negative());
  CHECK(group_thousands("100000.00 USD") == "100,000.00 USD");
  CHECK(group_thousands("125.0005%") == "125.0005%");
  CHECK(group_thousands("1000%") == "1,000%");
  CHECK(group_thousands("2026-Q1") == "2026-Q1");
  CHECK(group_thousands("-") == "-");
}

TEST_CASE("safe file names are distinct for distinct ids", "[statements]") {
  std::map<std::string, int> taken;
  CHECK(safe_file_name("ann", taken) == "ann");
  CHECK(safe_file_name("2026-Q1", taken) == "2026-Q1");
  CHECK(safe_file_name("a/b", taken) == "a~2Fb");
  CHECK(safe_file_name("..", taken) == "~2E~2E");
  CHECK(safe_file_name("<b>&", taken) == "~3Cb~3E~26");
  CHECK(safe_file_name("a~2Fb", taken) == "a~7E2Fb");  // `~` itself is escaped
  // the same name but for letter case: a second folder on a case-blind disk
  CHECK(safe_file_name("Ann", taken) == "Ann~~2");
  CHECK(safe_file_name("ANN", taken) == "ANN~~3");
  CHECK(safe_file_name("", taken) == "~");
}

namespace {

const std::string kPlan = R"(plan "Statements" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  amount: money
}
roster payees { id: text key, role: text }
source quotas { rep: payee, quarter: period, amount: money }
table quota(payee, period): money from quotas(rep, quarter, amount)

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
let attainment: percent = bookings / quota(payee, period)

rates ladder on attainment marginal {
  0%   ..  50% : 4%
  50%  .. 100% : 8%
  100% .. 150% : 12%
  150% ..      : 16%
}

payout commission for role == "AE" = apply(ladder, bookings, base: quota(payee, period)) cap 8_000 USD
payout kicker for role == "SE" = 10% * max(bookings - quota(payee, period), 0 USD)
payout bonus for role == "SE" = 1% * bookings * attainment
)";

// Every payee has a quota in every quarter of 2026 (a run pays the whole year).
std::string quotas() {
  std::string rows = "rep,quarter,amount\n";
  for (const char* quarter : {"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"})
    rows += std::string("ann,") + quarter + ",100000\nsam," + quarter + ",20000\n";
  return rows;
}

std::vector<tally::Explanation> explain_all(const std::vector<tally::ExplainRequest>& requests) {
  static const DataFolder data = [] {
    DataFolder folder("statements");
    folder.write("deals.csv",
                 "id,close_date,owner,amount\n"
                 "d1,2026-01-10,ann,100000.00\n"
                 "d2,2026-02-20,ann,25000.50\n"
                 "d3,2026-02-21,sam,30000\n");
    folder.write("payees.csv", "id,role\nann,AE\nsam,SE\n");
    folder.write("quotas.csv", quotas());
    return folder;
  }();
  Engine engine;
  auto compiled = engine.compile(kPlan, "plan.tally");
  INFO(all_messages(compiled.messages));
  REQUIRE(compiled.plan);
  RunOptions options;
  options.data_dir = data.path();
  return engine.explain_many(*compiled.plan, options, requests);
}

}  // namespace

TEST_CASE("the plan's name from its header", "[statements]") {
  Engine engine;
  const auto compiled = engine.compile(kPlan, "plan.tally");
  REQUIRE(compiled.plan);
  CHECK(engine.plan_name(*compiled.plan) == "Statements");
}

TEST_CASE("tiers, cap and attainment read from real explain trees", "[statements]") {
  const auto answers = explain_all({{"ann", "2026-Q1", "commission"},
                                    {"ann", "2026-Q1", "attainment"},
                                    {"sam", "2026-Q1", "kicker"},
                                    {"sam", "2026-Q1", "attainment"},
                                    {"sam", "2026-Q1", "bonus"}});
  REQUIRE(answers.size() == 5);
  for (const auto& answer : answers) {
    INFO(all_messages(answer.messages));
    REQUIRE(answer.ok);
  }
  INFO(answers[0].text);
  // ann, Q1: bookings 100_000 + 25_000.50 = 125_000.50 against a quota of
  // 100_000: 125.0005%. Marginal slices: 50_000 at 4% = 2_000, 50_000 at 8%
  // = 4_000, 25_000.50 at 12% = 3_000.06; the top tier is not reached.
  // 9_000.06 is capped at 8_000.
  const auto ladders = tier_ladders(answers[0].root, "commission");
  REQUIRE(ladders.size() == 1);
  const TierLadder& ladder = ladders[0];
  CHECK(ladder.payout == "commission");
  CHECK(ladder.call.rates == "ladder");
  CHECK(ladder.marginal);
  CHECK(ladder.applied_value == "125000.50 USD");
  CHECK(ladder.base_value == "100000.00 USD");
  REQUIRE(ladder.steps.size() == 4);
  CHECK(ladder.steps[0].amount == "2000.00 USD");
  CHECK(ladder.steps[0].slice == "50000.00 USD");
  CHECK(ladder.steps[1].amount == "4000.00 USD");
  CHECK(ladder.steps[2].slice == "25000.50 USD");
  CHECK(ladder.steps[2].amount == "3000.06 USD");
  CHECK_FALSE(ladder.steps[3].paid);
  CHECK(ladder.steps[3].upper.empty());
  CHECK(ladder.current == 2);
  REQUIRE(ladder.position);
  CHECK(*ladder.position == Approx(125.0005));

  const auto limits = payout_limits(answers[0].root);
  REQUIRE(limits.size() == 1);
  CHECK(limits[0].bound);
  CHECK(limits[0].before == "9000.06 USD");

  // rule 1: the base of the apply is the quota
  auto found = find_attainment({&answers[0].root}, &answers[1].root);
  REQUIRE(found);
  CHECK(found->quota == "100000.00 USD");
  CHECK(found->quota_label == "quota(payee, period)");
  CHECK(found->achieved == "125000.50 USD");
  CHECK(found->achieved_label == "bookings");
  REQUIRE(found->percent);
  CHECK(*found->percent == Approx(125.0005));

  // rule 2: the attainment let alone, `bookings / quota(payee, period)`;
  // sam: 30_000 / 20_000 = 150%
  INFO(answers[3].text);
  found = find_attainment({}, &answers[3].root);
  REQUIRE(found);
  CHECK(found->quota == "20000.00 USD");
  CHECK(found->achieved == "30000.00 USD");
  REQUIRE(found->percent);
  CHECK(*found->percent == Approx(150));

  // rule 3: a quota subtracted in the payout: sam's kicker is 10% of
  // 30_000 - 20_000 = 1_000, and 30_000 is what counts against the quota.
  INFO(answers[2].text);
  CHECK(answers[2].root.value == "1000.00 USD");
  CHECK(tier_ladders(answers[2].root, "kicker").empty());
  found = find_attainment({&answers[2].root}, nullptr);
  REQUIRE(found);
  CHECK(found->quota == "20000.00 USD");
  CHECK(found->achieved == "30000.00 USD");
  REQUIRE(found->percent);
  CHECK(*found->percent == Approx(150));

  // rule 2 again, the let read by a payout: sam's bonus is 1% × 30_000 ×
  // 150% = 450
  INFO(answers[4].text);
  CHECK(answers[4].root.value == "450.00 USD");
  found = find_attainment({&answers[4].root}, nullptr);
  REQUIRE(found);
  CHECK(found->quota == "20000.00 USD");
  CHECK(found->achieved == "30000.00 USD");
  REQUIRE(found->percent);
  CHECK(*found->percent == Approx(150));

  // nothing to find
  const ExplainNode flat{"bonus(ann, 2026-Q1)", "5.00 USD", "payout", {}};
  CHECK_FALSE(find_attainment({&flat}, nullptr));
}
