// The REPL's engine (tally::Session): expressions over a loaded plan and its
// data, lets and declarations typed in, :type, :explain, :run, is_complete
// and completions, and errors that leave the session usable. Expected values
// are worked out by hand in comments.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "plan_fixture.hpp"
#include "tally/session.hpp"

using tally::Engine;
using tally::Message;
using tally::Session;
using tally::SessionReply;
using tally::testing::all_messages;
using tally::testing::DataFolder;

namespace {

const std::string kPlan = R"(plan "Session" version 1
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

fn doubled(x: money): money = x * 2

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

// Every payee has a quota in every quarter of 2026 (the run pays 2026-Q1..Q4).
const std::string kQuotas = [] {
  std::string rows = "rep,quarter,amount\n";
  for (const char* quarter : {"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"})
    rows += std::string("ann,") + quarter + ",100000\nbob," + quarter + ",50000\nsam," + quarter +
            ",1\n";
  return rows;
}();

/// The plan file and its data in a fresh folder.
struct Fixture {
  DataFolder data{"session"};
  DataFolder plans{"session_plans"};
  std::string plan_path;
  Fixture() {
    data.write("deals.csv", kDeals);
    data.write("payees.csv", kPayees);
    data.write("quotas.csv", kQuotas);
    plans.write("plan.tally", kPlan);
    plan_path = (std::filesystem::path(plans.path()) / "plan.tally").string();
  }
};

/// A session over the fixture's plan and data.
struct Loaded {
  Fixture fixture;
  Engine engine;
  Session session{engine};
  Loaded() {
    const auto loaded = session.load(fixture.plan_path);
    INFO(all_messages(loaded.messages));
    REQUIRE(loaded.ok);
    REQUIRE(session.set_data(fixture.data.path()).ok);
  }
  /// The value of one input; fails the test when it has none.
  std::string value(const std::string& input) {
    const SessionReply reply = session.submit(input);
    INFO(input << "\n" << all_messages(reply.messages));
    CHECK(reply.ok);
    return reply.output;
  }
  /// The messages of an input that must fail.
  std::string error(const std::string& input) {
    const SessionReply reply = session.submit(input);
    INFO(input << " = " << reply.output);
    CHECK_FALSE(reply.ok);
    CHECK(tally::has_errors(reply.messages));
    return all_messages(reply.messages);
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("session: plain expressions without a plan, as tally eval", "[session]") {
  Engine engine;
  Session session(engine);
  auto reply = session.submit("1.10 + 2.205");
  CHECK(reply.ok);
  CHECK(reply.output == "3.305");
  // a let typed in is kept for later lines: 3 * 2 = 6
  reply = session.submit("let a = 3");
  INFO(all_messages(reply.messages));
  CHECK(reply.ok);
  CHECK(reply.output == "a: let = 3");
  CHECK(session.submit("a * 2").output == "6");
  // a call needs a plan: with none, bookings is an unknown function
  reply = session.submit("bookings(\"ann\", 2026-Q1)");
  CHECK_FALSE(reply.ok);
  CHECK(contains(all_messages(reply.messages), "unknown function `bookings`"));
}

TEST_CASE("session: calls of measures, lets, payouts, tables, rates, functions", "[session]") {
  Loaded s;
  // ann in 2026-Q1: d1 100_000 + d2 25_000.50 (d3 is lost) = 125_000.50
  CHECK(s.value("bookings(\"ann\", 2026-Q1)") == "125000.50 USD");
  // only d1 is ENT and won
  CHECK(s.value("enterprise(\"ann\", 2026-Q1)") == "100000.00 USD");
  // attainment = 125_000.50 / 100_000 = 1.2500050 = 125.0005%; Q1 is 2026-Q1
  // since the data has the one plan year 2026
  CHECK(s.value("attainment(\"ann\", Q1)") == "125.0005%");
  // 8% × 125_000.50 + 2% × 100_000 = 10_000.04 + 2_000 = 12_000.04, capped at 10_000
  CHECK(s.value("commission(\"ann\", 2026-Q1)") == "10000.00 USD");
  // bob in Q2: d4 10_000 (SMB): 8% × 10_000 = 800
  CHECK(s.value("commission(\"bob\", 2026-Q2)") == "800.00 USD");
  // ann Q1: attainment 125% ≥ 100%, retroactive 1% of all 125_000.50 =
  // 1_250.005, rounded half even to 0.01 = 1_250.00
  CHECK(s.value("bonus(\"ann\", 2026-Q1)") == "1250.00 USD");
  // bob Q1 has no bookings: 1% × 0 is raised to the floor of 500
  CHECK(s.value("floor_pay(\"bob\", 2026-Q1)") == "500.00 USD");
  // sam is SE: the AE payout does not apply, 0
  CHECK(s.value("commission(\"sam\", 2026-Q1)") == "0.00 USD");
  // the quota table: ann 100_000 every quarter
  CHECK(s.value("quota(\"ann\", 2026-Q3)") == "100000.00 USD");
  CHECK(s.value("quota(\"bob\", Q2)") == "50000.00 USD");
  // the constant let and arithmetic on it: 8% × 2 = 16%
  CHECK(s.value("rate") == "8%");
  CHECK(s.value("rate * 2") == "16%");
  // a function of the plan: 2 × 12.50 = 25
  CHECK(s.value("doubled(12.50 USD)") == "25.00 USD");
  // calls combined: 125_000.50 + 10_000 = 135_000.50; 10_000 / 125_000.50 of
  // the payout (0.0799996...) compared
  CHECK(s.value("bookings(\"ann\", 2026-Q1) + bookings(\"bob\", 2026-Q2)") == "135000.50 USD");
  CHECK(s.value("commission(\"ann\", 2026-Q1) < bookings(\"ann\", 2026-Q1)") == "true");
  // the same call twice answers the same (from the kept run)
  CHECK(s.value("bookings(\"ann\", 2026-Q1)") == "125000.50 USD");
}

TEST_CASE("session: rates applied to a constant", "[session]") {
  Loaded s;
  // kicker on attainment, retroactive: 120% reaches the tier 100%.. at 1%,
  // which applies to all of 120%: 1% × 1.2 = 0.012
  // = 1.2%, a percent as the rate and the attainment are
  CHECK(s.value("apply(kicker, 120%)") == "1.2%");
  // 50% stays in the first tier at 0%
  CHECK(s.value("apply(kicker, 50%)") == "0%");
  CHECK(s.session.type_of("apply(kicker, 120%)").output == "percent");
}

TEST_CASE("session: lets typed in, constant and per payee, used by later lines", "[session]") {
  Loaded s;
  // a constant let of the data, computed when typed: 2 × 125_000.50
  CHECK(s.value("let x = bookings(\"ann\", 2026-Q1) * 2") == "x: let = 250001.00 USD");
  CHECK(s.value("x + 1 USD") == "250002.00 USD");
  // a let per payee and period in plan style: 2% × 125_000.50 = 2_500.01
  const std::string declared = s.value("let extra = 2% * bookings");
  CHECK(contains(declared, "extra: let"));
  CHECK(contains(declared, "per payee and period"));
  CHECK(s.value("extra(\"ann\", 2026-Q1)") == "2500.01 USD");
  // a constant let in plan style stays a let of the plan: 8% + 1% = 9%
  CHECK(s.value("let y = rate + 1%") == "y: let = 9%");
  CHECK(s.value("y") == "9%");
  // a payout typed in: 10% of bookings; bob Q2 10% × 10_000 = 1_000
  CHECK(contains(s.value("payout tip = 10% * bookings"), "tip: payout"));
  CHECK(s.value("tip(\"bob\", 2026-Q2)") == "1000.00 USD");
  // a measure typed in: of ann's Q1 credits only d1 (100_000) is over 50_000
  CHECK(s.value("measure big: money = sum(credit.amount where deal.amount > 50_000 USD)") ==
        "big: measure, money (USD) per payee and period");
  CHECK(s.value("big(\"ann\", 2026-Q1)") == "100000.00 USD");
  // typing a let again replaces it: x is now 3
  CHECK(s.value("let x = 3") == "x: let = 3");
  CHECK(s.value("x * 2") == "6");
  // x (typed in) and the plan's declarations complete
  const auto words = s.session.completions("ex");
  CHECK(std::find(words.begin(), words.end(), "extra") != words.end());
}

TEST_CASE("session: declarations that do not check are refused at <repl>", "[session]") {
  Loaded s;
  // `nosuch` is unknown: the message points into the input, at column 9
  SessionReply reply = s.session.submit("let y = nosuch + 1");
  CHECK_FALSE(reply.ok);
  REQUIRE_FALSE(reply.messages.empty());
  const Message& m = reply.messages.front();
  CHECK(m.file == "<repl>");
  CHECK(m.line == 1);
  CHECK(m.column == 9);
  CHECK(contains(m.text, "unknown name `nosuch`"));
  // the caret sits under the input's text
  CHECK(contains(m.rendered, "let y = nosuch + 1"));
  CHECK(contains(m.rendered, "        ^"));
  // a refused declaration is not kept: y is still unknown
  CHECK(contains(s.error("y"), "unknown name `y`"));
  // the second line of a two-line declaration
  reply = s.session.submit("let z =\n  rate + nosuch");
  CHECK_FALSE(reply.ok);
  REQUIRE_FALSE(reply.messages.empty());
  CHECK(reply.messages.front().file == "<repl>");
  CHECK(reply.messages.front().line == 2);
  CHECK(reply.messages.front().column == 10);
  // a name the plan declares cannot be declared again
  reply = s.session.submit("let rate = 9%");
  CHECK_FALSE(reply.ok);
  CHECK(reply.messages.front().file == "<repl>");
  CHECK(s.value("rate") == "8%");
  // a plan header cannot be typed in
  CHECK(contains(s.error("plan \"x\" version 1\n  currency USD"), "plan header"));
}

TEST_CASE("session: errors are messages and the session goes on", "[session]") {
  Loaded s;
  // a bare per-payee name says how to call it
  std::string text = s.error("bookings");
  CHECK(contains(text, "`bookings` is a value per payee and period: write bookings(\""));
  text = s.error("commission + 1 USD");
  CHECK(contains(text, "`commission` is a payout per payee and period: write commission(\""));
  // a syntax error, with the caret in the input
  SessionReply reply = s.session.submit("1 + * 2");
  CHECK_FALSE(reply.ok);
  REQUIRE_FALSE(reply.messages.empty());
  CHECK(reply.messages.front().file == "<repl>");
  // division by zero
  CHECK(contains(s.error("1 / 0"), "zero"));
  // unknown payee, with the near match
  text = s.error("bookings(\"anne\", 2026-Q1)");
  CHECK(contains(text, "no payee \"anne\" in the roster"));
  CHECK(contains(text, "did you mean \"ann\"?"));
  // a period the run does not pay
  text = s.error("bookings(\"ann\", 2025-Q1)");
  CHECK(contains(text, "2025-Q1 is not a period of the run"));
  CHECK(contains(text, "2026-Q1 to 2026-Q4"));
  // a call with one argument
  CHECK(contains(s.error("bookings(\"ann\")"), "takes a payee and a period"));
  // sam and bob have no bookings in 2026-Q1: 0 / 0
  CHECK(contains(s.error("bookings(\"sam\", 2026-Q1) / bookings(\"bob\", 2026-Q1)"), "zero"));
  // and a good line after all that works
  CHECK(s.value("bookings(\"ann\", 2026-Q1)") == "125000.50 USD");
  CHECK(s.value("1 + 1") == "2");
}

TEST_CASE("session: a call before any data is loaded", "[session]") {
  Fixture fixture;
  Engine engine;
  Session session(engine);
  REQUIRE(session.load(fixture.plan_path).ok);
  auto reply = session.submit("bookings(\"ann\", 2026-Q1)");
  CHECK_FALSE(reply.ok);
  CHECK(contains(all_messages(reply.messages), ":data"));
  // :type needs no data
  reply = session.type_of("bookings(\"ann\", 2026-Q1)");
  CHECK(reply.ok);
  CHECK(reply.output == "money (USD)");
  CHECK_FALSE(session.set_data(fixture.data.path() + "/nothing-here").ok);
  REQUIRE(session.set_data(fixture.data.path()).ok);
  CHECK(session.submit("bookings(\"ann\", 2026-Q1)").output == "125000.50 USD");
}

TEST_CASE("session: data errors come back as messages", "[session]") {
  Fixture fixture;
  // a deal of a payee the roster does not have
  fixture.data.write("deals.csv", kDeals + "d5,2026-01-11,zed,SMB,Won,5.00\n");
  Engine engine;
  Session session(engine);
  REQUIRE(session.load(fixture.plan_path).ok);
  REQUIRE(session.set_data(fixture.data.path()).ok);
  auto reply = session.submit("bookings(\"ann\", 2026-Q1)");
  CHECK_FALSE(reply.ok);
  CHECK(contains(all_messages(reply.messages), "zed"));
  CHECK(session.submit("1 + 2").output == "3");
}

TEST_CASE("session: :type gives the type without running", "[session]") {
  Loaded s;
  CHECK(s.session.type_of("bookings(\"ann\", 2026-Q1)").output == "money (USD)");
  CHECK(s.session.type_of("attainment(\"ann\", Q1)").output == "percent");
  CHECK(s.session.type_of("rate * 2").output == "percent");
  CHECK(s.session.type_of("bookings(\"ann\", 2026-Q1) > 0 USD").output == "bool");
  CHECK(s.session.type_of("\"x\"").output == "text");
  const auto reply = s.session.type_of("bookings");
  CHECK_FALSE(reply.ok);
  CHECK(contains(all_messages(reply.messages), "value per payee and period"));
}

TEST_CASE("session: :explain of a call is the tree of tally explain", "[session]") {
  Loaded s;
  const auto reply = s.session.explain("commission(\"ann\", 2026-Q1)");
  INFO(all_messages(reply.messages));
  REQUIRE(reply.ok);
  // the oracle: Engine::explain over the same plan and data
  auto compiled = s.engine.compile_file(s.fixture.plan_path);
  REQUIRE(compiled.plan);
  tally::RunOptions options;
  options.data_dir = s.fixture.data.path();
  const auto expected = s.engine.explain(*compiled.plan, options, "ann", "2026-Q1", "commission");
  REQUIRE(expected.ok);
  CHECK(reply.output == expected.text);
  CHECK(contains(reply.output, "commission(ann, 2026-Q1) = 10000.00 USD"));
  CHECK(contains(reply.output, "credit d1 = 100000.00 USD"));
}

TEST_CASE("session: :explain of a compound expression", "[session]") {
  Loaded s;
  // 10_000 (ann Q1 commission) + 10_000 (bob Q2 bookings) = 20_000
  const auto reply = s.session.explain("commission(\"ann\", 2026-Q1) + bookings(\"bob\", Q2)");
  INFO(all_messages(reply.messages));
  REQUIRE(reply.ok);
  INFO(reply.output);
  // the root with the value, then the trees of the two calls
  CHECK(reply.output.rfind("commission(\"ann\", 2026-Q1) + bookings(\"bob\", Q2) = 20000.00 USD\n",
                           0) == 0);
  CHECK(contains(reply.output, "\n  commission(ann, 2026-Q1) = 10000.00 USD"));
  CHECK(contains(reply.output, "\n  bookings(bob, 2026-Q2) = 10000.00 USD"));
  CHECK(contains(reply.output, "credit d4 = 10000.00 USD"));
  // a constant expression: the root alone
  const auto constant = s.session.explain("rate * 2");
  REQUIRE(constant.ok);
  CHECK(constant.output == "rate * 2 = 16%  (constant)\n");
}

TEST_CASE("session: :run summarises the run", "[session]") {
  Loaded s;
  const auto reply = s.session.run();
  INFO(all_messages(reply.messages));
  REQUIRE(reply.ok);
  INFO(reply.output);
  // 3 payees, 2026-Q1..Q4. Paid by hand:
  //   Q1: ann commission 10_000 + bonus 1_250 + floor_pay max(1_250.005 ->
  //       1_250.01 rounded, 500) = 1_250.00 (1% × 125_000.50 = 1_250.005,
  //       half even 1_250.00); bob floor 500 → 10_000 + 1_250 + 1_250 + 500 = 13_000
  //   Q2: bob commission 800 + bonus (10_000/50_000 = 20% < 100%: 0) + floor
  //       max(100, 500) = 500; ann floor 500 → 800 + 500 + 500 = 1_800
  //   Q3, Q4: ann and bob floor 500 each → 1_000 each
  // total 13_000 + 1_800 + 1_000 + 1_000 = 16_800
  CHECK(contains(reply.output, "payees   3\n"));
  CHECK(contains(reply.output, "periods  4 (2026-Q1 to 2026-Q4)\n"));
  CHECK(contains(reply.output, "total    16800.00 USD\n"));
  CHECK(contains(reply.output, "  2026-Q1  13000.00 USD\n"));
  CHECK(contains(reply.output, "  2026-Q2  1800.00 USD\n"));
  CHECK(contains(reply.output, "  2026-Q4  1000.00 USD\n"));
}

TEST_CASE("session: is_complete", "[session]") {
  Engine engine;
  Session session(engine);
  // finished
  CHECK(session.is_complete(""));
  CHECK(session.is_complete("1 + 1"));
  CHECK(session.is_complete("bookings(\"ann\", 2026-Q1)"));
  CHECK(session.is_complete("let x = 3"));
  CHECK(session.is_complete("8%"));
  CHECK(session.is_complete("2026-03-15"));
  CHECK(session.is_complete("\"a ( string\""));
  CHECK(session.is_complete("1 + 1 // a comment ending in +"));
  CHECK(session.is_complete("f(x) /* ( */"));
  CHECK(session.is_complete("x == y"));
  CHECK(session.is_complete("brand"));  // ends in `and` inside a word
  CHECK(session.is_complete("rates r {\n  0% .. : 1%\n}"));
  CHECK(session.is_complete(":type bookings"));
  CHECK(session.is_complete("(1 + 2))"));  // too many: the parser says so
  // unfinished
  CHECK_FALSE(session.is_complete("bookings(\"ann\","));
  CHECK_FALSE(session.is_complete("(1 + 2"));
  CHECK_FALSE(session.is_complete("rates r {"));
  CHECK_FALSE(session.is_complete("{1, [2"));
  CHECK_FALSE(session.is_complete("\"unterminated"));
  CHECK_FALSE(session.is_complete("1 +"));
  CHECK_FALSE(session.is_complete("1 -"));
  CHECK_FALSE(session.is_complete("2 *"));
  CHECK_FALSE(session.is_complete("2 /"));
  CHECK_FALSE(session.is_complete("let x ="));
  CHECK_FALSE(session.is_complete("x >="));
  CHECK_FALSE(session.is_complete("a and"));
  CHECK_FALSE(session.is_complete("a or"));
  CHECK_FALSE(session.is_complete("x ??"));
  CHECK_FALSE(session.is_complete("0% .."));
  CHECK_FALSE(session.is_complete("let x = 1 +  // more to come"));
  CHECK_FALSE(session.is_complete("f(a) /* not closed"));
  CHECK_FALSE(session.is_complete("let x =\n  1 +\n"));
}

TEST_CASE("session: completions", "[session]") {
  Loaded s;
  auto has = [](const std::vector<std::string>& words, const std::string& word) {
    return std::find(words.begin(), words.end(), word) != words.end();
  };
  // keywords
  auto words = s.session.completions("le");
  CHECK(has(words, "let"));
  words = s.session.completions("pay");
  CHECK(has(words, "payout"));
  // builtin functions and the plan's declarations
  words = s.session.completions("ro");
  CHECK(has(words, "round"));
  CHECK(has(words, "roster"));
  words = s.session.completions("boo");
  CHECK(words == std::vector<std::string>{"bookings"});
  words = s.session.completions("comm");
  CHECK(has(words, "commission"));
  // sorted and unique
  words = s.session.completions("");
  CHECK(std::is_sorted(words.begin(), words.end()));
  CHECK(std::adjacent_find(words.begin(), words.end()) == words.end());
  // payee ids once the data was read, with their quotes
  CHECK(s.session.completions("\"a").empty());
  CHECK(s.value("1 + 1") == "2");  // reads no data
  CHECK(s.value("bookings(\"bob\", 2026-Q2)") == "10000.00 USD");
  CHECK(s.session.completions("\"a") == std::vector<std::string>{"\"ann\""});
  CHECK(s.session.completions("\"") == std::vector<std::string>{"\"ann\"", "\"bob\"", "\"sam\""});
  // ids are not offered outside a string
  CHECK_FALSE(has(s.session.completions("an"), "ann"));
}

TEST_CASE("session: reload after the plan changed, broken plans refused", "[session]") {
  Loaded s;
  CHECK(s.value("let x = bookings(\"ann\", 2026-Q1)") == "x: let = 125000.50 USD");
  CHECK(s.value("let twice = rate * 2") == "twice: let = 16%");
  // the plan file is edited: the rate is now 10%
  std::string edited = kPlan;
  edited.replace(edited.find("let rate = 8%"), 13, "let rate = 10%");
  s.fixture.plans.write("plan.tally", edited);
  auto reply = s.session.reload();
  INFO(all_messages(reply.messages));
  REQUIRE(reply.ok);
  CHECK(s.value("rate") == "10%");
  // the lets typed in are kept, and follow the new plan
  CHECK(s.value("twice") == "20%");
  CHECK(s.value("x") == "125000.50 USD");
  // 10% × 125_000.50 + 2% × 100_000 = 14_500.05, capped at 10_000; bob Q2 10% × 10_000
  CHECK(s.value("commission(\"bob\", 2026-Q2)") == "1000.00 USD");
  // a broken plan is refused and the previous one stays
  s.fixture.plans.write("plan.tally", edited + "\nlet broken = nosuch\n");
  reply = s.session.reload();
  CHECK_FALSE(reply.ok);
  CHECK(contains(all_messages(reply.messages), "nosuch"));
  CHECK(s.value("rate") == "10%");
  CHECK(s.value("commission(\"bob\", 2026-Q2)") == "1000.00 USD");
  // a missing file likewise
  CHECK_FALSE(s.session.load(s.fixture.plan_path + ".missing").ok);
  CHECK(s.session.plan_path() == s.fixture.plan_path);
  // a plan where a typed let no longer checks: it is dropped with a warning
  std::string renamed = edited;
  renamed.replace(renamed.find("let rate = 10%"), 14, "let pct = 10%");
  const std::string uses_rate = "= rate * bookings";
  renamed.replace(renamed.find(uses_rate), uses_rate.size(), "= pct * bookings");
  s.fixture.plans.write("plan.tally", renamed);
  reply = s.session.reload();
  INFO(all_messages(reply.messages));
  REQUIRE(reply.ok);
  CHECK(contains(all_messages(reply.messages), "let twice = rate * 2"));
  CHECK(contains(s.error("twice"), "unknown name `twice`"));
  CHECK(s.value("x") == "125000.50 USD");
}

TEST_CASE("session: Q1 needs a year when the data spans several", "[session]") {
  Fixture fixture;
  // a 2027 deal: the run pays the plan years 2026 and 2027
  fixture.data.write("deals.csv", kDeals + "d6,2027-02-01,bob,SMB,Won,100.00\n");
  std::string quotas = kQuotas;
  for (const char* quarter : {"2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"})
    quotas += std::string("ann,") + quarter + ",1\nbob," + quarter + ",1\nsam," + quarter + ",1\n";
  fixture.data.write("quotas.csv", quotas);
  Engine engine;
  Session session(engine);
  REQUIRE(session.load(fixture.plan_path).ok);
  REQUIRE(session.set_data(fixture.data.path()).ok);
  auto reply = session.submit("bookings(\"bob\", Q1)");
  CHECK_FALSE(reply.ok);
  const std::string text = all_messages(reply.messages);
  INFO(text);
  CHECK(contains(text, "`Q1` names no year"));
  CHECK(contains(text, "2026, 2027"));
  CHECK(contains(text, "2027-Q1"));
  reply = session.submit("bookings(\"bob\", 2027-Q1)");
  INFO(all_messages(reply.messages));
  CHECK(reply.output == "100.00 USD");
}

TEST_CASE("session: answers are kept until the data is loaded again", "[session]") {
  Loaded s;
  CHECK(s.value("bookings(\"bob\", 2026-Q2)") == "10000.00 USD");
  // the file changes on disk: bob's d4 is now 12_000
  std::string deals = kDeals;
  deals.replace(deals.find("10000.00"), 8, "12000.00");
  s.fixture.data.write("deals.csv", deals);
  // the kept answer (no new run for a value already computed)
  CHECK(s.value("bookings(\"bob\", 2026-Q2)") == "10000.00 USD");
  // `:data` again reads the files again
  REQUIRE(s.session.set_data(s.fixture.data.path()).ok);
  CHECK(s.value("bookings(\"bob\", 2026-Q2)") == "12000.00 USD");
  // :run without data is an error, not a crash
  Engine engine;
  Session bare(engine);
  const auto reply = bare.run();
  CHECK_FALSE(reply.ok);
  CHECK(contains(all_messages(reply.messages), ":data"));
  CHECK_FALSE(bare.reload().ok);
  CHECK(bare.explain("1 + 2").output == "1 + 2 = 3  (constant)\n");
}

// Not a timed test: prints how long session lines take on the reference
// workload (bench/workload/plan.tally) when TALLY_SESSION_BENCH_DATA names
// its data folder (e.g. 1M deals generated as bench/workload/README.md says):
//   TALLY_SESSION_BENCH_DATA=DIR test_interpreter "[.bench]"
TEST_CASE("session: timings on the reference workload", "[.bench]") {
  const char* dir = std::getenv("TALLY_SESSION_BENCH_DATA");
  if (!dir) return;
  Engine engine;
  Session session(engine);
  // wall time, and the process's CPU time (the figure that holds on a busy machine)
  auto timed = [&](const std::string& what, auto&& line) {
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu = std::clock();
    const SessionReply reply = line();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu_seconds = static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC;
    std::printf("%-40s %7.3f s wall %7.3f s cpu  %s\n", what.c_str(), seconds, cpu_seconds,
                reply.ok ? reply.output.substr(0, reply.output.find('\n')).c_str()
                         : all_messages(reply.messages).c_str());
  };
  timed("load", [&] { return session.load(TALLY_SOURCE_DIR "/bench/workload/plan.tally"); });
  timed("data", [&] { return session.set_data(dir); });
  timed("1 + 1", [&] { return session.submit("1 + 1"); });
  timed("bookings(\"1\", 2026-Q1): first run",
        [&] { return session.submit("bookings(\"1\", 2026-Q1)"); });
  timed("bookings(\"1\", 2026-Q1): kept",
        [&] { return session.submit("bookings(\"1\", 2026-Q1)"); });
  timed(":explain commission(\"1\", Q1): a run",
        [&] { return session.explain("commission(\"1\", Q1)"); });
  timed(":explain commission(\"1\", Q1): kept",
        [&] { return session.explain("commission(\"1\", Q1)"); });
  timed("attainment(\"2\", Q2): a run", [&] { return session.submit("attainment(\"2\", Q2)"); });
  timed(":run: kept", [&] { return session.run(); });
}
