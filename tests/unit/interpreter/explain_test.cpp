// Explain (Engine::explain) and in-memory sources (RunOptions::tables):
// the derivation tree of one payout or value, read from the registers of
// the real run. Expected values are worked out by hand in comments.
#include <catch2/catch.hpp>

#include "interpreter/explain.hpp"
#include "plan_fixture.hpp"
#include "tally/explain.hpp"

using tally::Engine;
using tally::ExplainNode;
using tally::InlineTable;
using tally::RunOptions;
using tally::testing::all_messages;
using tally::testing::DataFolder;
using tally::testing::payout;

namespace {

const std::string kPlan = R"(plan "Explained" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  segment: text
  stage: text
  amount: money
}
roster payees { id: text key, role: text }
source quotas { rep: payee, quarter: period, amount: money }
table quota(payee, period): money from quotas(rep, quarter, amount)

credit won from deals where deal.stage == "Won" on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
measure enterprise: money = sum(credit.amount where deal.segment == "ENT")
let rate = 8%

rates kicker on attainment retroactive {
  0%   .. 100% : 0%
  100% ..      : 1%
}
let attainment: percent = bookings / quota(payee, period)

payout commission for role == "AE" = rate * bookings + 2% * enterprise cap 10_000 USD
payout bonus for role == "AE" when bookings > 0 USD = apply(kicker, bookings, base: quota(payee, period))
payout floor_pay for role == "AE" = 1% * bookings floor 500 USD
)";

const std::string kDeals =
    "id,close_date,owner,segment,stage,amount\n"
    "d1,2026-01-10,ann,ENT,Won,100000.00\n"
    "d2,2026-02-20,ann,SMB,Won,25000.50\n"
    "d3,2026-03-01,ann,ENT,Lost,90000.00\n"
    "d4,2026-04-01,bob,SMB,Won,10000.00\n";

const std::string kPayees = "id,role\nann,AE\nbob,AE\nsam,SE\n";
// Every payee has a quota in every quarter of 2026 (a run pays the whole year).
const std::string kQuotas = [] {
  std::string rows = "rep,quarter,amount\n";
  for (const char* quarter : {"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"})
    rows += std::string("ann,") + quarter + ",100000\nbob," + quarter + ",50000\nsam," + quarter +
            ",1\n";
  return rows;
}();

/// The first node labelled `label` in the tree, or null.
const ExplainNode* find(const ExplainNode& node, const std::string& label) {
  if (node.label == label) return &node;
  for (const auto& child : node.children)
    if (const ExplainNode* found = find(child, label)) return found;
  return nullptr;
}

tally::Explanation explain(const std::string& payee, const std::string& period,
                           const std::string& name) {
  static const DataFolder data = [] {
    DataFolder folder("explain");
    folder.write("deals.csv", kDeals);
    folder.write("payees.csv", kPayees);
    folder.write("quotas.csv", kQuotas);
    return folder;
  }();
  Engine engine;
  auto compiled = engine.compile(kPlan, "plan.tally");
  INFO(all_messages(compiled.messages));
  REQUIRE(compiled.plan);
  RunOptions options;
  options.data_dir = data.path();
  return engine.explain(*compiled.plan, options, payee, period, name);
}

}  // namespace

TEST_CASE("explain a payout: every step with its value", "[explain]") {
  // ann in 2026-Q1: bookings = 100_000 + 25_000.50 = 125_000.50 (d3 is
  // lost); enterprise = 100_000 (d1). 8% × 125_000.50 = 10_000.04, plus 2%
  // × 100_000 = 2_000: 12_000.04, capped at 10_000.
  const auto e = explain("ann", "2026-Q1", "commission");
  INFO(all_messages(e.messages));
  REQUIRE(e.ok);
  INFO(e.text);
  CHECK(e.root.label == "commission(ann, 2026-Q1)");
  CHECK(e.root.value == "10000.00 USD");
  const ExplainNode* bookings = find(e.root, "bookings");
  REQUIRE(bookings);
  CHECK(bookings->value == "125000.50 USD");
  REQUIRE(bookings->children.size() == 2);  // d1 and d2, each a credit
  CHECK(bookings->children[0].label == "credit d1");
  CHECK(bookings->children[0].value == "100000.00 USD");
  CHECK(bookings->children[0].note == "rule won, direct, share 100%, amount 100000.00 USD");
  CHECK(bookings->children[1].label == "credit d2");
  const ExplainNode* enterprise = find(e.root, "enterprise");
  REQUIRE(enterprise);
  CHECK(enterprise->value == "100000.00 USD");
  REQUIRE(enterprise->children.size() == 1);  // the filter keeps d1 only
  CHECK(enterprise->children[0].label == "credit d1");
  const ExplainNode* rate = find(e.root, "rate");
  REQUIRE(rate);
  CHECK(rate->value == "8%");
  CHECK(rate->note == "constant");
  const ExplainNode* sum = find(e.root, "rate * bookings + 2% * enterprise");
  REQUIRE(sum);
  CHECK(sum->value == "12000.04 USD");
  const ExplainNode* cap = find(e.root, "cap 10_000 USD");
  REQUIRE(cap);
  CHECK(cap->note == "bound: 12000.04 USD is capped");
  CHECK(e.root.children.back().label == "rounded half_even to 0.01");
  CHECK(e.root.children.back().value == "10000.00 USD");
}

TEST_CASE("explain the retroactive tier reached and the guard", "[explain]") {
  // ann: attainment 125_000.50 / 100_000 = 125.0005% reaches the 1% tier,
  // which applies to all of it: 1_250.005, rounded half even to 1_250.00.
  const auto e = explain("ann", "2026-Q1", "bonus");
  INFO(all_messages(e.messages));
  REQUIRE(e.ok);
  INFO(e.text);
  CHECK(e.root.value == "1250.00 USD");
  const ExplainNode* reached = find(e.root, "tier 100%.. at 1%");
  REQUIRE(reached);
  CHECK(reached->value == "1250.005 USD");
  CHECK(reached->note == "reached: the rate applies to all of 125000.50 USD");
  const ExplainNode* below = find(e.root, "tier 0%..100% at 0%");
  REQUIRE(below);
  CHECK(below->note == "not the tier reached");
  const ExplainNode* when = find(e.root, "bookings > 0 USD");
  REQUIRE(when);
  CHECK(when->value == "true");
  CHECK(when->note == "when");
}

TEST_CASE("explain a floor that binds and a payout that does not apply", "[explain]") {
  // bob in 2026-Q2: 1% of 10_000 = 100, raised to the 500 floor.
  const auto floor = explain("bob", "2026-Q2", "floor_pay");
  REQUIRE(floor.ok);
  INFO(floor.text);
  CHECK(floor.root.value == "500.00 USD");
  const ExplainNode* node = find(floor.root, "floor 500 USD");
  REQUIRE(node);
  CHECK(node->note == "bound: 100.00 USD is raised");
  // sam is an SE: the commission's role guard is false.
  const auto none = explain("sam", "2026-Q1", "commission");
  REQUIRE(none.ok);
  INFO(none.text);
  CHECK(none.root.value == "0.00 USD");
  CHECK(none.root.note == "payout: does not apply to this payee in this period");
  REQUIRE(!none.root.children.empty());
  CHECK(none.root.children[0].label == "role == \"AE\"");
  CHECK(none.root.children[0].value == "false");
}

TEST_CASE("explain a let, and the text rendering", "[explain]") {
  const auto e = explain("bob", "2026-Q1", "attainment");
  REQUIRE(e.ok);
  // bob has no credit in Q1: 0 / 50_000 = 0% (money / money is a plain
  // decimal, 0; the let declares it a percent).
  CHECK(e.text ==
        "attainment(bob, 2026-Q1) = 0%  (let)\n"
        "  bookings / quota(payee, period) = 0\n"
        "    bookings = 0.00 USD  (measure: sum(credit.amount), 0 credits)\n"
        "    quota(payee, period) = 50000.00 USD  (table `quota`)\n");
}

TEST_CASE("explain reports what it cannot find", "[explain]") {
  auto e = explain("ann", "2026-Q1", "nothing");
  CHECK_FALSE(e.ok);
  REQUIRE(e.messages.size() == 1);
  CHECK(e.messages[0].text == "the plan has no payout, measure or let called `nothing`");
  e = explain("zed", "2026-Q1", "commission");
  CHECK_FALSE(e.ok);
  REQUIRE(e.messages.size() == 1);
  CHECK(e.messages[0].text == "\"zed\" is not a payee of the run");
  e = explain("ann", "2027-Q1", "commission");
  CHECK_FALSE(e.ok);
  REQUIRE(e.messages.size() == 1);
  CHECK(e.messages[0].text == "2027-Q1 is not a period of the run");
  e = explain("ann", "someday", "commission");
  CHECK_FALSE(e.ok);
}

TEST_CASE("explain_many answers several requests from one run", "[explain]") {
  DataFolder data("explain_many");
  data.write("deals.csv", kDeals);
  data.write("payees.csv", kPayees);
  data.write("quotas.csv", kQuotas);
  Engine engine;
  auto compiled = engine.compile(kPlan, "plan.tally");
  REQUIRE(compiled.plan);
  RunOptions options;
  options.data_dir = data.path();
  const auto answers = engine.explain_many(*compiled.plan, options,
                                           {{"ann", "2026-Q1", "commission"},
                                            {"bob", "2026-Q2", "bookings"},
                                            {"ann", "2026-Q1", "nothing"},
                                            {"ann", "2026-Q1", "floor_pay"}});
  REQUIRE(answers.size() == 4);
  // the same trees as one explain each: commission capped at 10_000 (see
  // above); bob's Q2 bookings are d4, 10_000; ann's 1% of 125_000.50 is
  // 1_250.005, above the 500 floor, rounded half-even to 1_250.00.
  CHECK(answers[0].ok);
  CHECK(answers[0].root.value == "10000.00 USD");
  CHECK(answers[0].text == explain("ann", "2026-Q1", "commission").text);
  CHECK(answers[1].ok);
  CHECK(answers[1].root.value == "10000.00 USD");
  CHECK_FALSE(answers[2].ok);
  REQUIRE(answers[2].messages.size() == 1);
  CHECK(answers[2].messages[0].text == "the plan has no payout, measure or let called `nothing`");
  CHECK(answers[3].ok);
  CHECK(answers[3].root.value == "1250.00 USD");
}

TEST_CASE("a run reports its roster and the files it read", "[explain]") {
  DataFolder data("payees_table");
  data.write("deals.csv", kDeals);
  data.write("payees.csv", kPayees);
  data.write("quotas.csv", kQuotas);
  Engine engine;
  auto compiled = engine.compile(kPlan, "plan.tally");
  REQUIRE(compiled.plan);
  RunOptions options;
  options.data_dir = data.path();
  const auto run = engine.run(*compiled.plan, options);
  REQUIRE(run.ok);
  CHECK(run.payees.columns == std::vector<std::string>{"payee", "role"});
  CHECK(run.payees.rows ==
        std::vector<std::vector<std::string>>{{"ann", "AE"}, {"bob", "AE"}, {"sam", "SE"}});
  REQUIRE(run.summary.inputs.size() == 3);  // deals, payees, quotas in declaration order
  CHECK(run.summary.inputs[0].first == "deals");
  CHECK(run.summary.inputs[0].second.ends_with("deals.csv"));
  CHECK(run.summary.inputs[1].first == "payees");
  CHECK(run.summary.inputs[2].second.ends_with("quotas.csv"));
}

TEST_CASE("declarations lists the plan's names in the order written", "[explain]") {
  Engine engine;
  auto compiled = engine.compile(kPlan, "plan.tally");
  REQUIRE(compiled.plan);
  using Kind = tally::Declaration::Kind;
  std::vector<std::string> listed;
  for (const auto& d : engine.declarations(*compiled.plan)) {
    listed.push_back(d.name);
    if (d.name == "bookings") {
      CHECK(d.kind == Kind::measure);
      CHECK(d.type == "money (USD)");
      CHECK(d.per_payee);
      CHECK(d.line == 22);
    }
    if (d.name == "rate") CHECK_FALSE(d.per_payee);
    if (d.name == "commission") CHECK(d.kind == Kind::payout);
    if (d.name == "kicker") CHECK(d.kind == Kind::rates);
  }
  CHECK(listed == std::vector<std::string>{"deals", "payees", "quotas", "quota", "bookings",
                                           "enterprise", "rate", "kicker", "attainment",
                                           "commission", "bonus", "floor_pay"});
}

TEST_CASE("render_explain indents two spaces a level", "[explain]") {
  ExplainNode leaf{"b", "2", "", {}};
  ExplainNode root{"a", "1", "note", {leaf, ExplainNode{"c", "", "not evaluated", {}}}};
  CHECK(tally::render_explain(root) == "a = 1  (note)\n  b = 2\n  c  (not evaluated)\n");
}

TEST_CASE("sources given in memory run like files", "[explain][inline]") {
  Engine engine;
  auto compiled = engine.compile(kPlan, "plan.tally");
  REQUIRE(compiled.plan);
  RunOptions options;
  options.data_dir = "/nonexistent";  // every source is given below
  InlineTable deals;
  deals.columns = {"id", "close_date", "owner", "segment", "stage", "amount"};
  deals.rows = {{"d1", "2026-01-10", "ann", "", "Won", "4000.5"}};
  InlineTable payees;
  payees.columns = {"id", "role"};
  payees.rows = {{"ann", "AE"}};
  InlineTable quotas;
  quotas.columns = {"rep", "quarter", "amount"};
  quotas.rows = {{"ann", "2026-Q1", "1000"},
                 {"ann", "2026-Q2", "1000"},
                 {"ann", "2026-Q3", "1000"},
                 {"ann", "2026-Q4", "1000"}};
  options.tables = {{"deals", deals}, {"payees", payees}, {"quotas", quotas}};
  const auto run = engine.run(*compiled.plan, options);
  INFO(all_messages(run.messages));
  REQUIRE(run.ok);
  // 8% of 4_000.50 = 320.04; the empty segment is the empty text, not ENT.
  CHECK(payout(run, "ann", "2026-Q1", "commission") == "320.04");

  SECTION("a cell that does not parse, a missing value and an unknown column are errors") {
    deals.rows = {{"d1", "2026-13-10", "ann", "", "Won", "1"},
                  {"d2", "2026-01-10", "ann", "", "Won", std::nullopt}};
    deals.origin = "test.tally";
    deals.row_lines = {7, 8};
    options.tables["deals"] = deals;
    auto failed = engine.run(*compiled.plan, options);
    CHECK_FALSE(failed.ok);
    const std::string text = all_messages(failed.messages);
    CHECK(text.find("test.tally:7") != std::string::npos);
    CHECK(text.find("\"2026-13-10\"") != std::string::npos);
    CHECK(text.find("test.tally:8") != std::string::npos);
    CHECK(text.find("needs a value for `amount`") != std::string::npos);
    deals.columns.push_back("colour");
    options.tables["deals"] = deals;
    failed = engine.run(*compiled.plan, options);
    CHECK(all_messages(failed.messages).find("`deals` has no field `colour`") != std::string::npos);
  }
}

namespace {

/// The data folder of kPlan, written once.
const DataFolder& explain_data() {
  static const DataFolder data = [] {
    DataFolder folder("explain_pay");
    folder.write("deals.csv", kDeals);
    folder.write("payees.csv", kPayees);
    folder.write("quotas.csv", kQuotas);
    return folder;
  }();
  return data;
}

tally::PayExplanation explain_pay(const std::string& payee, const std::string& period,
                                  const std::string& component = {}) {
  Engine engine;
  auto compiled = engine.compile(kPlan, "plan.tally");
  REQUIRE(compiled.plan);
  RunOptions options;
  options.data_dir = explain_data().path();
  return tally::explain_pay(engine, *compiled.plan, options, payee, period, component);
}

}  // namespace

TEST_CASE("an unknown payee, period or name comes with the nearest ones", "[explain][hints]") {
  // ann2 is one edit from ann; zed is near no roster id, so the roster is listed.
  auto e = explain("ann2", "2026-Q1", "commission");
  REQUIRE(e.messages.size() == 1);
  CHECK(e.messages[0].text == "\"ann2\" is not a payee of the run");
  CHECK(e.messages[0].hint == "did you mean ann?");
  CHECK(e.messages[0].rendered ==
        "error: \"ann2\" is not a payee of the run\nhint: did you mean ann?");
  e = explain("zed", "2026-Q1", "commission");
  REQUIRE(e.messages.size() == 1);
  CHECK(e.messages[0].hint == "the run's payees are ann, bob, sam");
  // The run pays the four quarters of 2026 (its credits fall in 2026);
  // 2026-Q1 is one edit from 2027-Q1, the nearest.
  e = explain("ann", "2027-Q1", "commission");
  REQUIRE(e.messages.size() == 1);
  CHECK(e.messages[0].hint ==
        "did you mean 2026-Q1? the run pays 2026-Q1, 2026-Q2, 2026-Q3, 2026-Q4");
  // comission → commission (one edit); then by distance, ties in declaration order.
  e = explain("ann", "2026-Q1", "comission");
  REQUIRE(e.messages.size() == 1);
  CHECK(e.messages[0].text == "the plan has no payout, measure or let called `comission`");
  CHECK(e.messages[0].hint.starts_with(
      "did you mean `commission`? the plan's payouts, measures and lets, nearest first: "
      "commission (payout), "));
  for (const char* name : {"bookings (measure)", "rate (let)", "floor_pay (payout)"})
    CHECK(e.messages[0].hint.find(name) != std::string::npos);
}

TEST_CASE("nearest_names keeps plausible typos, the nearest first", "[explain][hints]") {
  const std::vector<std::string> ids = {"dan", "anna", "bob", "ann", "Ann2"};
  // ann2 (4 letters) allows 1 edit: Ann2 is 0 (case is ignored), anna and
  // ann are 1, dan is 2.
  CHECK(tally::nearest_names("ann2", ids, 3) == std::vector<std::string>{"Ann2", "anna", "ann"});
  CHECK(tally::nearest_names("ann2", ids, 1) == std::vector<std::string>{"Ann2"});
  CHECK(tally::nearest_names("zed", ids, 3).empty());
}

TEST_CASE("explain_pay: every payout of the payee under the pay", "[explain][pay]") {
  // ann in 2026-Q1 (see above): commission capped at 10_000.00; bonus
  // 1_250.00; floor_pay 1% of 125_000.50 = 1_250.005 → 1_250.00 (above the
  // 500 floor). Total 12_500.00.
  const auto pay = explain_pay("ann", "2026-Q1");
  INFO(all_messages(pay.messages));
  REQUIRE(pay.ok);
  CHECK(pay.root.label == "pay(ann, 2026-Q1)");
  CHECK(pay.period == "2026-Q1");
  CHECK(pay.root.value == "12500.00 USD");
  CHECK(pay.root.note == "3 components");
  REQUIRE(pay.root.children.size() == 3);
  CHECK(pay.root.children[0].label == "commission(ann, 2026-Q1)");
  CHECK(pay.root.children[0].value == "10000.00 USD");
  CHECK(pay.root.children[1].label == "bonus(ann, 2026-Q1)");
  CHECK(pay.root.children[1].value == "1250.00 USD");
  CHECK(pay.root.children[2].label == "floor_pay(ann, 2026-Q1)");
  CHECK(pay.root.children[2].value == "1250.00 USD");
  bool loaded = false;
  for (const auto& stage : pay.summary.stages) loaded = loaded || stage.name == "load";
  CHECK(loaded);
  // bob has no credit in Q1: commission 0 (it applies to an AE), the bonus's
  // `when bookings > 0 USD` is false so it is left out, floor_pay is raised
  // to its 500 floor.
  const auto bob = explain_pay("bob", "2026-Q1");
  REQUIRE(bob.ok);
  CHECK(bob.root.value == "500.00 USD");
  REQUIRE(bob.root.children.size() == 2);
  CHECK(bob.root.children[0].label == "commission(bob, 2026-Q1)");
  CHECK(bob.root.children[1].label == "floor_pay(bob, 2026-Q1)");
  // sam is an SE: no payout of the plan is for him.
  const auto sam = explain_pay("sam", "2026-Q1");
  REQUIRE(sam.ok);
  CHECK(sam.root.value == "0.00 USD");
  CHECK(sam.root.note == "no payout applies to this payee in this period");
  CHECK(sam.root.children.empty());
}

TEST_CASE("explain_pay of one component, and what it cannot explain", "[explain][pay]") {
  const auto bookings = explain_pay("ann", "2026-Q1", "bookings");
  REQUIRE(bookings.ok);
  CHECK(bookings.root.label == "bookings(ann, 2026-Q1)");
  CHECK(bookings.root.value == "125000.50 USD");
  auto bad = explain_pay("ann2", "2026-Q1");
  CHECK_FALSE(bad.ok);
  REQUIRE(bad.messages.size() == 1);  // one message, not one per payout
  CHECK(bad.messages[0].hint == "did you mean ann?");
  bad = explain_pay("ann", "2026-Q7");  // no such quarter: the run's periods are listed
  CHECK_FALSE(bad.ok);
  REQUIRE(bad.messages.size() == 1);
  CHECK(bad.messages[0].text.starts_with("\"2026-Q7\" is not a period of this plan"));
  CHECK(bad.messages[0].hint ==
        "did you mean 2026-Q1? the run pays 2026-Q1, 2026-Q2, 2026-Q3, 2026-Q4");
  bad = explain_pay("ann", "2026-Q1", "bokings");
  CHECK_FALSE(bad.ok);
  REQUIRE(bad.messages.size() == 1);
  CHECK(bad.messages[0].hint.starts_with("did you mean `bookings`?"));
}

TEST_CASE("render_explanation lists the largest credits and sums the rest", "[explain][text]") {
  ExplainNode measure{"bookings", "66.85 USD", "measure", {}};
  for (const char* value : {"10.00 USD", "30.50 USD", "20.25 USD", "5.00 USD", "1.10 USD"})
    measure.children.push_back({std::string("credit d") + value[0] + value[1], value, "", {}});
  // the two largest, 30.50 and 20.25, then 10.00 + 5.00 + 1.10 = 16.10.
  CHECK(tally::render_explanation(measure, 2) ==
        "bookings = 66.85 USD  (measure)\n"
        "  credit d30 = 30.50 USD\n"
        "  credit d20 = 20.25 USD\n"
        "  … and 3 more credits totalling 16.10 USD\n");
  // no limit, or a limit not passed: every credit in its order.
  CHECK(tally::render_explanation(measure, 0) == tally::render_explain(measure));
  CHECK(tally::render_explanation(measure, 5) == tally::render_explain(measure));
  // 1_236 credits of 1.00: 2 shown, 1_234 more totalling 1_234.00.
  ExplainNode many{"count", "", "", {}};
  for (int i = 0; i < 1236; ++i) many.children.push_back({"credit x", "1.00 USD", "", {}});
  const std::string text = tally::render_explanation(many, 2);
  CHECK(text.ends_with("  … and 1,234 more credits totalling 1234.00 USD\n"));
}

namespace {

// Every deal credits its owner and, at 50% overlay, a partner: the credits of
// one payee-period lie apart in the credit table, and bob's 2026-Q3 has more
// credits than one batch of lanes.
const std::string kSpreadPlan = R"(plan "Spread" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  partner: payee
  segment: text
  amount: money
}
roster payees { id: text key, role: text }

credit won from deals on deal.close_date {
  deal.owner   gets 100%
  deal.partner gets 50% overlay
}

measure bookings: money = sum(credit.amount)
measure enterprise: money = sum(credit.amount where deal.segment == "ENT")
measure deals_won: int = count(credit)
payout commission = 10% * bookings + 1% * enterprise
)";

std::string spread_deals() {
  std::string rows =
      "id,close_date,owner,partner,segment,amount\n"
      "d1,2026-01-05,ann,cy,ENT,1000.00\n"
      "d2,2026-01-20,bob,ann,SMB,200.00\n"
      "d3,2026-04-02,ann,bob,SMB,300.00\n"
      "d4,2026-02-11,cy,ann,ENT,400.00\n"
      "d5,2026-05-15,bob,cy,ENT,500.00\n";
  for (int i = 1; i <= 1100; ++i) rows += "b" + std::to_string(i) + ",2026-07-01,bob,cy,SMB,1.00\n";
  rows += "d6,2026-08-30,ann,bob,ENT,600.00\n";
  return rows;
}

bool same_tree(const ExplainNode& a, const ExplainNode& b) {
  if (a.label != b.label || a.value != b.value || a.note != b.note ||
      a.children.size() != b.children.size())
    return false;
  for (std::size_t i = 0; i < a.children.size(); ++i)
    if (!same_tree(a.children[i], b.children[i])) return false;
  return true;
}

}  // namespace

TEST_CASE("explain_many over payees and periods gives each the tree of its own explain",
          "[explain]") {
  DataFolder data("explain_spread");
  data.write("deals.csv", spread_deals());
  data.write("payees.csv", "id,role\nann,AE\nbob,AE\ncy,SE\n");
  Engine engine;
  auto compiled = engine.compile(kSpreadPlan, "plan.tally");
  INFO(all_messages(compiled.messages));
  REQUIRE(compiled.plan);
  RunOptions options;
  options.data_dir = data.path();
  std::vector<tally::ExplainRequest> requests;
  for (const char* payee : {"ann", "bob", "cy"})
    for (const char* period : {"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"})
      for (const char* name : {"commission", "bookings", "enterprise", "deals_won"})
        requests.push_back({payee, period, name});
  const auto answers = engine.explain_many(*compiled.plan, options, requests);
  REQUIRE(answers.size() == requests.size());
  for (std::size_t r = 0; r < requests.size(); ++r) {
    const auto& [payee, period, name] = requests[r];
    INFO(payee << " " << period << " " << name);
    const auto alone = engine.explain(*compiled.plan, options, payee, period, name);
    REQUIRE(alone.ok);
    REQUIRE(answers[r].ok);
    CHECK(answers[r].text == alone.text);
    CHECK(same_tree(answers[r].root, alone.root));
  }
  auto answer = [&](const std::string& payee, const std::string& period,
                    const std::string& name) -> const ExplainNode& {
    for (std::size_t r = 0; r < requests.size(); ++r)
      if (requests[r].payee == payee && requests[r].period == period && requests[r].name == name)
        return answers[r].root;
    FAIL("no such request");
    return answers[0].root;
  };
  // ann in Q1: d1 as owner (1_000), d2 and d4 as partner (50% of 200 and of
  // 400): 1_300; ENT are d1 and d4: 1_000 + 200 = 1_200. Commission: 10% ×
  // 1_300 + 1% × 1_200 = 130 + 12 = 142.
  const ExplainNode& ann_q1 = answer("ann", "2026-Q1", "bookings");
  CHECK(ann_q1.value == "1300.00 USD");
  REQUIRE(ann_q1.children.size() == 3);
  CHECK(ann_q1.children[0].label == "credit d1");
  CHECK(ann_q1.children[1].label == "credit d2");
  CHECK(ann_q1.children[1].value == "100.00 USD");
  CHECK(ann_q1.children[2].label == "credit d4");
  CHECK(ann_q1.children[2].note == "rule won, overlay, share 50%, amount 200.00 USD");
  CHECK(answer("ann", "2026-Q1", "enterprise").value == "1200.00 USD");
  CHECK(answer("ann", "2026-Q1", "commission").value == "142.00 USD");
  // cy in Q2: half of d5 (500, ENT) only.
  const ExplainNode& cy_q2 = answer("cy", "2026-Q2", "enterprise");
  CHECK(cy_q2.value == "250.00 USD");
  REQUIRE(cy_q2.children.size() == 1);
  CHECK(cy_q2.children[0].label == "credit d5");
  // bob in Q3: the 1_100 deals of 1.00 he owns, then half of d6 (600): 1_400
  // over 1_101 credits, more than one batch.
  const ExplainNode& bob_q3 = answer("bob", "2026-Q3", "bookings");
  CHECK(bob_q3.value == "1400.00 USD");
  CHECK(bob_q3.note == "measure: sum(credit.amount), 1101 credits");
  REQUIRE(bob_q3.children.size() == 1101);
  CHECK(bob_q3.children[0].label == "credit b1");
  CHECK(bob_q3.children[1024].label == "credit b1025");
  CHECK(bob_q3.children[1100].label == "credit d6");
  CHECK(bob_q3.children[1100].value == "300.00 USD");
  CHECK(answer("bob", "2026-Q3", "deals_won").value == "1101");
  // nobody closes anything in Q4.
  CHECK(answer("ann", "2026-Q4", "bookings").note == "measure: sum(credit.amount), 0 credits");
}
