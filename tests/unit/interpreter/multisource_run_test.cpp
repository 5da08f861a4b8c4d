// Plans whose credit rules read several sources (docs/semantics/crediting.md,
// "Credits from several sources"): each aggregate takes in the credits of the
// source whose rows it reads, or every credit when it reads only credit
// attributes. Expected values are worked out by hand in the comments.
#include <catch2/catch.hpp>
#include <string>

#include "tests/unit/interpreter/plan_fixture.hpp"

using namespace tally;
using namespace tally::testing;

namespace {

// The rules are declared meetings, opportunities, meetings again (`rebooked`
// credits a second SDR on each meeting), so the meeting credits are two
// separate ranges of the credit table.
const char* kPlan = R"(plan "SDR" currency USD
periods quarter
rounding half_even to 0.01

source meetings { id: text key, held_on: date, sdr: payee, backup: payee, outcome: text }
source opportunities { id: text key, close_date: date, sdr: payee, stage: text, amount: money }
roster payees { id: text key, name: text, role: text }

credit booked from meetings as m amount 0 USD on m.held_on {
  m.sdr gets 100%
}
credit sourced from opportunities as opp on opp.close_date {
  opp.sdr gets 100%
}
credit rebooked from meetings as m amount 0 USD on m.held_on {
  m.backup gets 100% overlay
}

measure qualified: int = count(credit where m.outcome == "Qualified")
measure won: money = sum(credit.amount where opp.stage == "Won")
measure biggest_won: money = max(opp.amount where opp.stage == "Won")
measure average_opp: money = avg(opp.amount)
measure outcomes: int = count(distinct m.outcome)
measure credits_all: int = count(credit)
measure direct_all: int = count(credit where credit.kind == direct)

payout meeting_pay = 50 USD * qualified
payout opp_pay = 5% * won
payout activity = 1 USD * credits_all + 1 USD * direct_all
payout tops = 0% * biggest_won + 0% * average_opp + 1 USD * outcomes
)";

}  // namespace

TEST_CASE("aggregates over two credited sources take in the credits of their source",
          "[run][multisource]") {
  DataFolder data("multisource_basic");
  data.write("payees.csv", "id,name,role\nsam,Sam,SDR\nsue,Sue,SDR\n");
  data.write("meetings.csv",
             "id,held_on,sdr,backup,outcome\n"
             "m1,2026-01-05,sam,sue,Qualified\n"
             "m2,2026-01-20,sam,sue,No-show\n"
             "m3,2026-02-03,sue,sam,Qualified\n");
  data.write("opportunities.csv",
             "id,close_date,sdr,stage,amount\n"
             "o1,2026-02-15,sam,Won,10000.00\n"
             "o2,2026-03-01,sam,Lost,5000.00\n"
             "o3,2026-03-20,sam,Won,3000.00\n");
  const auto result = run_plan(kPlan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // sam Q1 credits: booked m1, m2 (direct); sourced o1, o2, o3 (direct);
  // rebooked m3 (overlay, as backup).
  //   qualified: m1 Qualified, m2 No-show, m3 Qualified -> 2.
  CHECK(measure(result, "sam", "2026-Q1", "qualified") == "2");
  //   won: o1 10000 + o3 3000 = 13000; meetings are not opportunities.
  CHECK(measure(result, "sam", "2026-Q1", "won") == "13000.0000");
  CHECK(payout(result, "sam", "2026-Q1", "opp_pay") == "650.00");
  CHECK(payout(result, "sam", "2026-Q1", "meeting_pay") == "100.00");
  //   biggest won 10000; average over o1, o2, o3 = 18000 / 3 = 6000.
  CHECK(measure(result, "sam", "2026-Q1", "biggest_won") == "10000.00");
  CHECK(measure(result, "sam", "2026-Q1", "average_opp") == "6000.00");
  //   outcomes: Qualified, No-show -> 2.
  CHECK(measure(result, "sam", "2026-Q1", "outcomes") == "2");
  //   every credit: 2 + 3 + 1 = 6; direct ones 5.
  CHECK(measure(result, "sam", "2026-Q1", "credits_all") == "6");
  CHECK(measure(result, "sam", "2026-Q1", "direct_all") == "5");
  CHECK(payout(result, "sam", "2026-Q1", "activity") == "11.00");
  // sue Q1: booked m3 (Qualified); rebooked m1 (Qualified), m2 (No-show):
  //   qualified 2, won 0 (no opportunity), credits 3, direct 1.
  CHECK(measure(result, "sue", "2026-Q1", "qualified") == "2");
  CHECK(payout(result, "sue", "2026-Q1", "opp_pay") == "0.00");
  CHECK(measure(result, "sue", "2026-Q1", "credits_all") == "3");
  CHECK(measure(result, "sue", "2026-Q1", "direct_all") == "1");
}

TEST_CASE("aggregates over several sources span batches and ranges of credits",
          "[run][multisource]") {
  // 1500 meetings (more than one batch of 1024 lanes), every third one
  // Qualified, all for sam with sue as backup; 1100 opportunities for sue,
  // every other one Won at 10.00 USD, the rest Lost at 1.00 USD.
  std::string meetings = "id,held_on,sdr,backup,outcome\n";
  for (int i = 0; i < 1500; ++i)
    meetings += "m" + std::to_string(i) + ",2026-01-10,sam,sue," +
                (i % 3 == 0 ? "Qualified" : "Held") + "\n";
  std::string opportunities = "id,close_date,sdr,stage,amount\n";
  for (int i = 0; i < 1100; ++i)
    opportunities += "o" + std::to_string(i) + ",2026-02-10,sue," +
                     (i % 2 == 0 ? "Won,10.00" : "Lost,1.00") + "\n";
  DataFolder data("multisource_batches");
  data.write("payees.csv", "id,name,role\nsam,Sam,SDR\nsue,Sue,SDR\n");
  data.write("meetings.csv", meetings);
  data.write("opportunities.csv", opportunities);
  const auto result = run_plan(kPlan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // sam: 1500 booked credits, 500 Qualified (i = 0, 3, ..., 1497); no opportunity.
  CHECK(measure(result, "sam", "2026-Q1", "qualified") == "500");
  CHECK(measure(result, "sam", "2026-Q1", "credits_all") == "1500");
  CHECK(payout(result, "sam", "2026-Q1", "meeting_pay") == "25000.00");
  CHECK(measure(result, "sam", "2026-Q1", "won") == "0");
  // sue: 1100 sourced credits (550 Won x 10.00 = 5500) and 1500 rebooked
  // overlay credits (500 Qualified).
  CHECK(measure(result, "sue", "2026-Q1", "won") == "5500.0000");
  CHECK(measure(result, "sue", "2026-Q1", "qualified") == "500");
  CHECK(measure(result, "sue", "2026-Q1", "credits_all") == "2600");
  CHECK(measure(result, "sue", "2026-Q1", "direct_all") == "1100");
  // average over 550 x 10.00 + 550 x 1.00 = 6050 / 1100 = 5.5.
  CHECK(measure(result, "sue", "2026-Q1", "average_opp") == "5.50");
}

TEST_CASE("the explanation of a measure lists the credits of its source only",
          "[run][multisource]") {
  DataFolder data("multisource_explain");
  data.write("payees.csv", "id,name,role\nsam,Sam,SDR\nsue,Sue,SDR\n");
  data.write("meetings.csv",
             "id,held_on,sdr,backup,outcome\n"
             "m1,2026-01-05,sam,sue,Qualified\n");
  data.write("opportunities.csv",
             "id,close_date,sdr,stage,amount\n"
             "o1,2026-02-15,sam,Won,10000.00\n");
  Engine engine;
  auto compiled = engine.compile(kPlan, "plan.tally");
  REQUIRE(compiled.plan);
  RunOptions options;
  options.data_dir = data.path();
  const auto won = engine.explain(*compiled.plan, options, "sam", "2026-Q1", "won");
  INFO(all_messages(won.messages));
  REQUIRE(won.ok);
  INFO(won.text);
  // sam's won takes in o1 only, not the meeting m1.
  CHECK(won.text.find("o1") != std::string::npos);
  CHECK(won.text.find("m1") == std::string::npos);
  CHECK(won.text.find("1 credit") != std::string::npos);
  const auto all = engine.explain(*compiled.plan, options, "sam", "2026-Q1", "credits_all");
  REQUIRE(all.ok);
  INFO(all.text);
  CHECK(all.text.find("o1") != std::string::npos);
  CHECK(all.text.find("m1") != std::string::npos);
  CHECK(all.text.find("2 credits") != std::string::npos);
}

TEST_CASE("the checker refuses an aggregate that reads the rows of two sources",
          "[run][multisource]") {
  std::string plan = kPlan;
  plan +=
      "measure mixed: int = count(credit where m.outcome == \"Qualified\" and opp.amount > "
      "0 USD)\npayout mixed_pay = 1 USD * mixed\n";
  const std::string messages = all_messages(compile_messages(plan));
  CHECK(messages.find("`count(...)` reads rows of both `meetings` (`m`) and `opportunities` "
                      "(`opp`), but each credit comes from one source") != std::string::npos);
  CHECK(messages.find("aggregate each source in its own measure") != std::string::npos);
}

TEST_CASE("a single-source plan keeps aggregating every credit", "[run][multisource]") {
  // Two rules over deals (direct and overlay): `deal.region` is read for all
  // of them, as before. ann: d1 West 100 direct + d2 West 50 overlay = 150.
  const char* plan = R"(plan "One" currency USD
periods quarter
source deals { id: text key, close_date: date, owner: payee, se: payee, region: text, amount: money }
roster payees { id: text key, name: text, role: text }
credit won from deals on deal.close_date { deal.owner gets 100% }
credit assist from deals on deal.close_date { deal.se gets 100% overlay }
measure west: money = sum(credit.amount where deal.region == "West")
payout pay = 10% * west
)";
  DataFolder data("multisource_single");
  data.write("payees.csv", "id,name,role\nann,Ann,AE\nbob,Bob,AE\n");
  data.write("deals.csv",
             "id,close_date,owner,se,region,amount\n"
             "d1,2026-01-05,ann,bob,West,100.00\n"
             "d2,2026-01-06,bob,ann,West,50.00\n"
             "d3,2026-01-07,ann,bob,East,70.00\n");
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(measure(result, "ann", "2026-Q1", "west") == "150.0000");
  CHECK(payout(result, "ann", "2026-Q1", "pay") == "15.00");
  // bob: d2 direct 50 + d1 overlay 100 = 150 (d3 is East).
  CHECK(payout(result, "bob", "2026-Q1", "pay") == "15.00");
}

TEST_CASE("a test block states rows of each credited source", "[run][multisource]") {
  std::string plan = kPlan;
  // One Qualified meeting -> 50.00; one Won opportunity of 100 -> 5% = 5.00;
  // "wrong" expects 60 USD for the meeting and must fail.
  plan += R"(
test "both sources" {
  payee sam role "SDR"
  payee sue role "SDR"
  m id "m1" sdr sam backup sue outcome "Qualified" held_on 2026-01-05
  opp id "o1" sdr sam stage "Won" amount 100 USD close_date 2026-02-05
  expect meeting_pay(sam, Q1) == 50 USD
  expect opp_pay(sam, Q1) == 5 USD
}
test "wrong" {
  payee sam role "SDR"
  payee sue role "SDR"
  meetings id "m1" sdr sam backup sue outcome "Qualified" held_on 2026-01-05
  expect meeting_pay(sam, Q1) == 60 USD
}
)";
  Engine engine;
  auto compiled = engine.compile(plan, "plan.tally");
  INFO(all_messages(compiled.messages));
  REQUIRE(compiled.plan);
  const TestReport report = engine.test(*compiled.plan);
  REQUIRE(report.tests.size() == 2);
  INFO(report.tests[0].details);
  CHECK(report.tests[0].passed);
  CHECK_FALSE(report.tests[1].passed);
  CHECK(report.passed == 1);
  CHECK(report.failed == 1);
}
