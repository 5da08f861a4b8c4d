// What-if modelling (tally/plan_diff.hpp): whether two plans read the data
// alike, and the diff of their runs. Expected figures are worked out by
// hand in the comments.
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"
#include "tally/plan_diff.hpp"

using tally::DiffLine;
using tally::Engine;
using tally::RunOptions;
using tally::testing::all_messages;
using tally::testing::DataFolder;

namespace {

std::string plan_with(const std::string& rate, const std::string& extra = {},
                      const std::string& deal_fields = "amount: money, segment: text") {
  return R"(plan "Diff" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, )" +
         deal_fields + R"( }
roster payees { id: text key, role: text }

credit won from deals on deal.close_date { deal.owner gets 100% }

measure bookings: money = sum(credit.amount)
payout commission for role == "AE" = )" +
         rate + R"( * bookings
)" + extra;
}

// ann: 10_000 in Q1 and 2_000 in Q2; bob: 1_000 in Q1; sam (SE) nothing.
const char* kDeals =
    "id,close_date,owner,amount,segment\n"
    "d1,2026-01-10,ann,10000,ENT\n"
    "d2,2026-04-10,ann,2000,SMB\n"
    "d3,2026-02-01,bob,1000,SMB\n";
const char* kPayees = "id,role\nann,AE\nbob,AE\nsam,SE\n";

struct Compared {
  std::shared_ptr<const tally::Plan> before, after;
  tally::RunResult run_before, run_after;
};

Compared run_both(const std::string& before, const std::string& after) {
  static const DataFolder data = [] {
    DataFolder folder("plan_diff");
    folder.write("deals.csv", kDeals);
    folder.write("payees.csv", kPayees);
    return folder;
  }();
  Engine engine;
  Compared out;
  auto a = engine.compile(before, "a.tally");
  auto b = engine.compile(after, "b.tally");
  INFO(all_messages(a.messages) + all_messages(b.messages));
  REQUIRE(a.plan);
  REQUIRE(b.plan);
  out.before = a.plan;
  out.after = b.plan;
  RunOptions options;
  options.data_dir = data.path();
  out.run_before = engine.run(*a.plan, options);
  out.run_after = engine.run(*b.plan, options);
  INFO(all_messages(out.run_before.messages) + all_messages(out.run_after.messages));
  REQUIRE(out.run_before.ok);
  REQUIRE(out.run_after.ok);
  return out;
}

const DiffLine* line(const std::vector<DiffLine>& lines, const std::string& name) {
  for (const auto& l : lines)
    if (l.name == name) return &l;
  return nullptr;
}

}  // namespace

TEST_CASE("diff_runs: totals, components, roles and payees", "[plan_diff]") {
  // 8% → 10% of bookings, plus a new 100 USD spiff for AEs in Q1 of the
  // second plan. Under 8%: ann 800 + 160 = 960, bob 80; total 1_040.
  // Under 10%: ann 1_000 + 200 = 1_200, bob 100; commission 1_300 (+260,
  // +25%); spiff for ann and bob in Q1 only: 200. Total 1_500 (+460,
  // 460/1040 = 44.23%). ann 1_200 + 100 = 1_300 (+340, 35.4%); bob 100 + 100
  // = 200 (+120, 150%).
  const auto c =
      run_both(plan_with("8%"), plan_with("10%",
                                          "payout spiff for role == \"AE\" when period == Q1 = "
                                          "100 USD\n"));
  tally::DiffThreshold threshold{true, "40"};  // 40%
  const auto diff = tally::diff_runs(*c.before, c.run_before, *c.after, c.run_after, threshold);
  CHECK(diff.currency == "USD");
  CHECK(diff.total.before == "1040.00");
  CHECK(diff.total.after == "1500.00");
  CHECK(diff.total.change == "460.00");
  CHECK(diff.total.percent == "44.2");
  REQUIRE(diff.components.size() == 2);
  CHECK(diff.components[0].name == "commission");
  CHECK(diff.components[0].change == "260.00");
  CHECK(diff.components[0].percent == "25.0");
  CHECK(diff.components[0].presence == DiffLine::Presence::both);
  CHECK(diff.components[1].name == "spiff");
  CHECK(diff.components[1].presence == DiffLine::Presence::added);
  CHECK(diff.components[1].before == "0.00");
  CHECK(diff.components[1].after == "200.00");
  CHECK(diff.components[1].percent.empty());
  // roles in roster order: AE (ann, bob), SE (sam).
  REQUIRE(diff.roles.size() == 2);
  CHECK(diff.roles[0].name == "AE");
  CHECK(diff.roles[0].change == "460.00");
  CHECK(diff.roles[1].name == "SE");
  CHECK(diff.roles[1].change == "0.00");
  // payees by absolute change: ann +340, bob +120, sam 0.
  REQUIRE(diff.payees.size() == 3);
  CHECK(diff.payees[0].name == "ann");
  CHECK(diff.payees[0].role == "AE");
  CHECK(diff.payees[0].before == "960.00");
  CHECK(diff.payees[0].after == "1300.00");
  CHECK(diff.payees[0].percent == "35.4");
  CHECK(diff.payees[1].name == "bob");
  CHECK(diff.payees[1].percent == "150.0");
  CHECK(diff.payees[2].name == "sam");
  // more than 40%: bob only (ann moved 35.4%).
  REQUIRE(diff.moved.size() == 1);
  CHECK(diff.moved[0].name == "bob");
  // more than 120 USD: ann only (bob moved exactly 120, not more).
  const auto by_amount = tally::diff_runs(*c.before, c.run_before, *c.after, c.run_after,
                                          tally::DiffThreshold{false, "120"});
  REQUIRE(by_amount.moved.size() == 1);
  CHECK(by_amount.moved[0].name == "ann");
}

TEST_CASE("a payout of the first plan only is removed", "[plan_diff]") {
  const auto c =
      run_both(plan_with("8%", "payout spiff for role == \"AE\" = 50 USD\n"), plan_with("8%"));
  const auto diff = tally::diff_runs(*c.before, c.run_before, *c.after, c.run_after, {});
  const DiffLine* spiff = line(diff.components, "spiff");
  REQUIRE(spiff);
  CHECK(spiff->presence == DiffLine::Presence::removed);
  // 50 USD to ann and bob in each of the 4 quarters of 2026: 400.
  CHECK(spiff->before == "400.00");
  CHECK(spiff->change == "-400.00");
  CHECK(spiff->percent == "-100.0");
}

TEST_CASE("payees of a roster without roles are grouped as (no role)", "[plan_diff]") {
  std::string plan = plan_with("8%");
  plan.replace(plan.find("role: text"), 10, "team: text");
  plan.replace(plan.find("for role == \"AE\" "), 17, "");
  DataFolder data("plan_diff_roles");
  data.write("deals.csv", kDeals);
  data.write("payees.csv", "id,team\nann,x\nbob,y\nsam,z\n");
  auto before = tally::testing::run_plan(plan, data);
  INFO(all_messages(before.messages));
  REQUIRE(before.ok);
  Engine engine;
  const auto compiled = engine.compile(plan, "plan.tally");
  REQUIRE(compiled.plan);
  const auto diff = tally::diff_runs(*compiled.plan, before, *compiled.plan, before, {});
  REQUIRE(diff.roles.size() == 1);
  CHECK(diff.roles[0].name == "(no role)");
  // 8% of 13_000 (ann 10_000 + 2_000, bob 1_000), the same in both.
  CHECK(diff.roles[0].before == "1040.00");
  CHECK(diff.roles[0].change == "0.00");
  CHECK(diff.roles[0].percent == "0.0");
  CHECK(diff.moved.empty());
}

TEST_CASE("parse_threshold reads a percentage or an amount", "[plan_diff]") {
  auto t = tally::parse_threshold("10%");
  REQUIRE(t);
  CHECK(t->relative);
  CHECK(t->amount == "10");
  t = tally::parse_threshold("500.50");
  REQUIRE(t);
  CHECK_FALSE(t->relative);
  CHECK(t->amount == "500.50");
  CHECK_FALSE(tally::parse_threshold("ten"));
  CHECK_FALSE(tally::parse_threshold("%"));
  CHECK_FALSE(tally::parse_threshold("-5%"));
  CHECK_FALSE(tally::parse_threshold(""));
}

TEST_CASE("compare_sources names each difference and both files", "[plan_diff]") {
  Engine engine;
  auto compile = [&](const std::string& text, const std::string& name) {
    auto compiled = engine.compile(text, name);
    INFO(all_messages(compiled.messages));
    REQUIRE(compiled.plan);
    return compiled.plan;
  };
  const auto base = compile(plan_with("8%"), "a.tally");
  CHECK(tally::compare_sources(*base, "a.tally", *compile(plan_with("10%"), "b.tally"), "b.tally")
            .empty());
  // a field of another type, a field more; a source more; another currency.
  auto differences = tally::compare_sources(
      *base, "a.tally",
      *compile(plan_with("8%", "", "amount: money, segment: int, region: text"), "b.tally"),
      "b.tally");
  REQUIRE(differences.size() == 2);
  CHECK(differences[0].text ==
        "source `deals`: field `segment` is text in a.tally but int in b.tally");
  CHECK(differences[0].hint == "declare `deals` with the same fields in both plans");
  CHECK(differences[1].text == "source `deals`: field `region` is in b.tally but not in a.tally");
  std::string more = plan_with("8%") + "source fx { day: date, rate: decimal }\n";
  differences = tally::compare_sources(*base, "a.tally", *compile(more, "b.tally"), "b.tally");
  REQUIRE(differences.size() == 1);
  CHECK(differences[0].text == "source `fx` is declared in b.tally but not in a.tally");
  std::string euros = plan_with("8%");
  euros.replace(euros.find("currency USD"), 12, "currency EUR");
  differences = tally::compare_sources(*base, "a.tally", *compile(euros, "b.tally"), "b.tally");
  REQUIRE(!differences.empty());
  CHECK(differences[0].text ==
        "the plans pay in different currencies: USD in a.tally, EUR in b.tally");
}
