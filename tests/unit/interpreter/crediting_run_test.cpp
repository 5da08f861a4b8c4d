// Crediting runs: rollup through the manager chain (levels, to a role, an
// effective-dated roster), split shares, unknown payees, duplicate ids,
// negative credits, count(distinct ...) and --lenient. Expected numbers are
// worked out by hand in the comments.
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"

using tally::RunOptions;
using tally::testing::all_messages;
using tally::testing::DataFolder;
using tally::testing::measure;
using tally::testing::payout;
using tally::testing::run_plan;

namespace {

const std::string kHeader = R"(plan "Crediting" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  partner: payee
  account: text
  amount: money
}
)";

const std::string kRoster =
    "roster payees { id: text key, name: text, role: text, manager: payee? }\n";

// A roster with a role and manager change: rows start on `effective_from`.
const std::string kDatedRoster =
    "roster payees { id: text key, name: text, role: text, manager: payee?, effective_from: date? "
    "}\n";

// ann -> mia -> dan (a DIR), bob -> mia.
const std::string kPayees =
    "id,name,role,manager\n"
    "ann,Ann,AE,mia\n"
    "bob,Bob,AE,mia\n"
    "mia,Mia,MGR,dan\n"
    "dan,Dan,DIR,\n";

std::string plan_with(const std::string& roster, const std::string& body) {
  return kHeader + roster + body + "\nmeasure bookings: money = sum(credit.amount)\n";
}

std::string credits_of(const tally::RunResult& result) {
  std::string out;
  for (const auto& row : result.credits.rows)
    out += row[1] + " " + row[3] + " " + row[5] + " " + row[7] + "\n";
  return out;
}

}  // namespace

TEST_CASE("rollup credits each manager up to n levels as of the credit date", "[crediting]") {
  DataFolder data("rollup_levels");
  data.write("payees.csv", kPayees);
  data.write("deals.csv",
             "id,close_date,owner,partner,account,amount\n"
             "d1,2026-01-10,ann,bob,A,1000.00\n"
             "d2,2026-02-10,mia,bob,B,300.00\n");
  const auto result = run_plan(plan_with(kRoster,
                                         "credit won from deals on deal.close_date {\n"
                                         "  deal.owner gets 100%\n"
                                         "  managers(deal.owner, levels: 2) gets 100% rollup\n"
                                         "}\n"),
                               data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // d1: ann 1000 direct; mia and dan 1000 rollup. d2: mia 300 direct; dan
  // 300 rollup (level 1), and no level 2 above dan.
  CHECK(result.summary.credits == 5);
  CHECK(measure(result, "ann", "2026-Q1", "bookings") == "1000.0000");
  CHECK(measure(result, "mia", "2026-Q1", "bookings") == "1300.0000");
  CHECK(measure(result, "dan", "2026-Q1", "bookings") == "1300.0000");
  CHECK(measure(result, "bob", "2026-Q1", "bookings") == "0");  // a money sum of no credit
}

TEST_CASE("rollup to a role stops at the first manager with it", "[crediting]") {
  DataFolder data("rollup_role");
  data.write("payees.csv", kPayees);
  data.write("deals.csv",
             "id,close_date,owner,partner,account,amount\nd1,2026-01-10,ann,bob,A,1000.00\n");
  SECTION("the role is on the chain") {
    const auto result = run_plan(plan_with(kRoster,
                                           "credit won from deals on deal.close_date {\n"
                                           "  managers(deal.owner, to: \"MGR\") gets 50% rollup\n"
                                           "}\n"),
                                 data);
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    // mia is the first manager and an MGR: only she gets 50% of 1000 = 500.
    CHECK(credits_of(result) == "d1 mia rollup 500.00\n");
  }
  SECTION("no manager has the role: the whole chain") {
    const auto result = run_plan(plan_with(kRoster,
                                           "credit won from deals on deal.close_date {\n"
                                           "  managers(deal.owner, to: \"VP\") gets 100% rollup\n"
                                           "}\n"),
                                 data);
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    CHECK(credits_of(result) == "d1 mia rollup 1000.00\nd1 dan rollup 1000.00\n");
  }
}

TEST_CASE("an effective-dated roster changes the manager on its date", "[crediting]") {
  DataFolder data("dated_roster");
  // ann reports to mia until 2026-02-14, to max from 2026-02-15; ann becomes
  // an MGR on 2026-04-01. Every payee is one payee, whatever their rows.
  data.write("payees.csv",
             "id,name,role,manager,effective_from\n"
             "ann,Ann,AE,mia,\n"
             "ann,Ann,AE,max,2026-02-15\n"
             "ann,Ann,MGR,max,2026-04-01\n"
             "mia,Mia,MGR,,\n"
             "max,Max,MGR,,\n");
  data.write("deals.csv",
             "id,close_date,owner,partner,account,amount\n"
             "d1,2026-02-14,ann,mia,A,100.00\n"
             "d2,2026-02-15,ann,mia,A,200.00\n"
             "d3,2026-05-01,ann,mia,A,400.00\n");
  const auto result = run_plan(plan_with(kDatedRoster,
                                         "credit won from deals on deal.close_date {\n"
                                         "  deal.owner gets 100%\n"
                                         "  managers(deal.owner) gets 100% rollup\n"
                                         "}\n"
                                         "payout ae_pay for role == \"AE\" = 10% * bookings\n"
                                         "payout mgr_pay for role == \"MGR\" = 1% * bookings\n"),
                               data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(result.summary.payees == 3);
  // d1 (Feb 14) rolls up to mia, d2 (Feb 15) and d3 to max.
  CHECK(measure(result, "mia", "2026-Q1", "bookings") == "100.0000");
  CHECK(measure(result, "max", "2026-Q1", "bookings") == "200.0000");
  CHECK(measure(result, "max", "2026-Q2", "bookings") == "400.0000");
  // ann is an AE at the end of Q1 (10% of 300 = 30.00), an MGR at the end of
  // Q2 (1% of 400 = 4.00); each period pays one role only.
  CHECK(payout(result, "ann", "2026-Q1", "ae_pay") == "30.00");
  CHECK(payout(result, "ann", "2026-Q1", "mgr_pay").empty());
  CHECK(payout(result, "ann", "2026-Q2", "mgr_pay") == "4.00");
  CHECK(payout(result, "ann", "2026-Q2", "ae_pay").empty());
}

TEST_CASE("an effective-dated roster with one payee twice on one date is an error", "[crediting]") {
  DataFolder data("dated_duplicate");
  data.write("payees.csv",
             "id,name,role,manager,effective_from\n"
             "ann,Ann,AE,,2026-01-01\n"
             "ann,Ann,MGR,,2026-01-01\n");
  data.write("deals.csv", "id,close_date,owner,partner,account,amount\n");
  const auto result = run_plan(plan_with(kDatedRoster,
                                         "credit won from deals on deal.close_date {\n"
                                         "  deal.owner gets 100%\n"
                                         "}\n"),
                               data);
  REQUIRE_FALSE(result.ok);
  CHECK_THAT(all_messages(result.messages),
             Catch::Contains("duplicate key \"ann\", \"2026-01-01\" on rows 2 and 3"));
}

TEST_CASE("a cycle in the manager chain is an error naming the payees", "[crediting]") {
  DataFolder data("cycle");
  data.write("payees.csv",
             "id,name,role,manager\nann,Ann,AE,mia\nmia,Mia,MGR,dan\ndan,Dan,DIR,mia\n");
  data.write("deals.csv",
             "id,close_date,owner,partner,account,amount\nd1,2026-01-10,ann,mia,A,1.00\n");
  const auto result = run_plan(plan_with(kRoster,
                                         "credit won from deals on deal.close_date {\n"
                                         "  managers(deal.owner, levels: 1) gets 100% rollup\n"
                                         "}\n"),
                               data);
  REQUIRE_FALSE(result.ok);
  CHECK_THAT(all_messages(result.messages),
             Catch::Contains("manager chain goes round in a cycle: \"mia\" -> \"dan\" -> \"mia\""));
}

TEST_CASE("split shares of one deal must add up to 100%", "[crediting]") {
  const std::string plan = plan_with(kRoster,
                                     "credit won from deals on deal.close_date {\n"
                                     "  deal.owner gets 60% split\n"
                                     "  deal.partner gets 40% split\n"
                                     "}\n");
  DataFolder data("split");
  data.write("payees.csv", kPayees);
  data.write("deals.csv",
             "id,close_date,owner,partner,account,amount\nd1,2026-01-10,ann,bob,A,1000.00\n");
  const auto ok = run_plan(plan, data);
  INFO(all_messages(ok.messages));
  REQUIRE(ok.ok);
  // 60% and 40% of 1000.00.
  CHECK(measure(ok, "ann", "2026-Q1", "bookings") == "600.0000");
  CHECK(measure(ok, "bob", "2026-Q1", "bookings") == "400.0000");

  std::string wrong = plan;
  wrong.replace(wrong.find("40% split"), 9, "30% split");
  const auto bad = run_plan(wrong, data);
  REQUIRE_FALSE(bad.ok);
  REQUIRE(bad.messages.size() == 1);
  CHECK(bad.messages[0].line == 2);
  CHECK(bad.messages[0].text ==
        "the split shares of deal \"d1\" add up to 90%, not 100%: \"ann\" 60%, \"bob\" 30% (credit "
        "rule `won`)");
}

TEST_CASE("split shares from a split source are grouped by the deal", "[crediting]") {
  const std::string plan = R"(plan "Splits" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deal_splits {
  deal_id: text
  rep: payee
  share: percent
  close_date: date
  amount: money
}
roster payees { id: text key, name: text, role: text }

credit won from deal_splits as s on s.close_date {
  s.rep gets s.share split
}

measure bookings: money = sum(credit.amount)
)";
  DataFolder data("split_source");
  data.write("payees.csv", "id,name,role\nann,Ann,AE\nbob,Bob,AE\ncat,Cat,AE\n");
  SECTION("shares that add up") {
    // d1: ann 70%, bob 30% of 500.00; d2: cat alone, 100% of 80.00, and a
    // 0% row for ann that credits nothing.
    data.write("deal_splits.csv",
               "deal_id,rep,share,close_date,amount\n"
               "d1,ann,70%,2026-01-05,500.00\n"
               "d2,cat,100%,2026-01-06,80.00\n"
               "d1,bob,30%,2026-01-05,500.00\n"
               "d2,ann,0%,2026-01-06,80.00\n");
    const auto result = run_plan(plan, data);
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    CHECK(result.summary.credits == 3);
    CHECK(measure(result, "ann", "2026-Q1", "bookings") == "350.0000");
    CHECK(measure(result, "bob", "2026-Q1", "bookings") == "150.0000");
    CHECK(measure(result, "cat", "2026-Q1", "bookings") == "80.0000");
  }
  SECTION("shares that do not") {
    data.write("deal_splits.csv",
               "deal_id,rep,share,close_date,amount\n"
               "d1,ann,70%,2026-01-05,500.00\n"
               "d1,bob,40%,2026-01-05,500.00\n");
    const auto result = run_plan(plan, data);
    REQUIRE_FALSE(result.ok);
    CHECK_THAT(all_messages(result.messages),
               Catch::Contains("the split shares of transaction \"d1\" (rows 2, 3) add up to "
                               "110%, not 100%: \"ann\" 70%, \"bob\" 40%"));
  }
  SECTION("a negative share") {
    data.write("deal_splits.csv",
               "deal_id,rep,share,close_date,amount\n"
               "d1,ann,120%,2026-01-05,500.00\n"
               "d1,bob,-20%,2026-01-05,500.00\n");
    const auto result = run_plan(plan, data);
    REQUIRE_FALSE(result.ok);
    CHECK_THAT(all_messages(result.messages), Catch::Contains("has a negative split share"));
  }
}

TEST_CASE("a credit to someone not in the roster names the deal and the payee", "[crediting]") {
  DataFolder data("unknown");
  data.write("payees.csv", kPayees);
  data.write("deals.csv",
             "id,close_date,owner,partner,account,amount\n"
             "d1,2026-01-10,ann,bob,A,1.00\n"
             "d7,2026-01-10,zed,bob,A,1.00\n");
  const auto result = run_plan(plan_with(kRoster,
                                         "credit won from deals on deal.close_date {\n"
                                         "  deal.owner gets 100%\n"
                                         "}\n"),
                               data);
  REQUIRE_FALSE(result.ok);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].line == 3);
  CHECK(result.messages[0].text ==
        "credit rule `won` credits payee \"zed\" for deal \"d7\", who is not in the roster "
        "`payees`");
}

TEST_CASE("a repeated deal id stops the run naming both rows", "[crediting]") {
  DataFolder data("duplicate");
  data.write("payees.csv", kPayees);
  data.write("deals.csv",
             "id,close_date,owner,partner,account,amount\n"
             "d1,2026-01-10,ann,bob,A,1.00\n"
             "d2,2026-01-10,ann,bob,A,1.00\n"
             "d1,2026-01-11,bob,ann,A,2.00\n");
  const auto result = run_plan(plan_with(kRoster,
                                         "credit won from deals on deal.close_date {\n"
                                         "  deal.owner gets 100%\n"
                                         "}\n"),
                               data);
  REQUIRE_FALSE(result.ok);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].line == 4);
  CHECK(result.messages[0].text == "column \"id\": duplicate key \"d1\" on rows 2 and 4");
}

TEST_CASE("a return credits a negative amount", "[crediting]") {
  DataFolder data("negative");
  data.write("payees.csv", kPayees);
  // A sale of 1000.00 and a return of 250.00 by ann: 750.00 net; 10% = 75.00.
  data.write("deals.csv",
             "id,close_date,owner,partner,account,amount\n"
             "d1,2026-01-10,ann,bob,A,1000.00\n"
             "r1,2026-02-10,ann,bob,A,-250.00\n");
  const auto result = run_plan(plan_with(kRoster,
                                         "credit won from deals on deal.close_date {\n"
                                         "  deal.owner gets 100%\n"
                                         "  managers(deal.owner) gets 100% rollup\n"
                                         "}\n"
                                         "payout commission = 10% * bookings\n"),
                               data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(measure(result, "ann", "2026-Q1", "bookings") == "750.0000");
  CHECK(measure(result, "mia", "2026-Q1", "bookings") == "750.0000");
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "75.00");
}

TEST_CASE("count(distinct x) counts different values per payee and period", "[crediting]") {
  DataFolder data("distinct");
  data.write("payees.csv", kPayees);
  // ann Q1: accounts A, B, A -> 2 (with the filter amount > 100: A, A -> 1);
  // ann Q2: A -> 1; bob Q1: none.
  data.write("deals.csv",
             "id,close_date,owner,partner,account,amount\n"
             "d1,2026-01-10,ann,bob,A,500.00\n"
             "d2,2026-01-11,ann,bob,B,50.00\n"
             "d3,2026-02-11,ann,bob,A,700.00\n"
             "d4,2026-04-01,ann,bob,A,10.00\n");
  const auto result = run_plan(plan_with(kRoster,
                                         "credit won from deals on deal.close_date {\n"
                                         "  deal.owner gets 100%\n"
                                         "}\n"
                                         "measure accounts = count(distinct deal.account)\n"
                                         "measure big_accounts = count(distinct deal.account "
                                         "where deal.amount > 100 USD)\n"
                                         "measure amounts = count(distinct credit.amount)\n"),
                               data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(measure(result, "ann", "2026-Q1", "accounts") == "2");
  CHECK(measure(result, "ann", "2026-Q1", "big_accounts") == "1");
  CHECK(measure(result, "ann", "2026-Q2", "accounts") == "1");
  CHECK(measure(result, "bob", "2026-Q1", "accounts") == "0");
  CHECK(measure(result, "ann", "2026-Q1", "amounts") == "3");
}

TEST_CASE("--lenient turns data errors into rejected rows and counts them", "[crediting]") {
  const std::string plan = plan_with(kRoster,
                                     "credit won from deals on deal.close_date {\n"
                                     "  deal.owner gets 60% split\n"
                                     "  deal.partner gets 40% split\n"
                                     "}\n");
  DataFolder data("lenient");
  data.write("payees.csv", kPayees);
  // d2 repeats d1's id (left out); d3 credits zed, not in the roster (its
  // zed credit is left out, ann's 40% stays); the rest credit normally.
  data.write("deals.csv",
             "id,close_date,owner,partner,account,amount\n"
             "d1,2026-01-10,ann,bob,A,100.00\n"
             "d1,2026-01-10,ann,bob,A,999.00\n"
             "d3,2026-01-12,zed,ann,A,10.00\n");
  RunOptions options;
  options.lenient = true;
  const auto result = run_plan(plan, data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // ann: 60% of 100 + 40% of 10 = 64; bob: 40% of 100 = 40.
  CHECK(measure(result, "ann", "2026-Q1", "bookings") == "64.0000");
  CHECK(measure(result, "bob", "2026-Q1", "bookings") == "40.0000");
  REQUIRE(result.rejects.rows.size() == 2);
  CHECK(result.rejects.columns ==
        std::vector<std::string>{"kind", "file", "row", "transaction", "message"});
  CHECK(result.rejects.rows[0][0] == "duplicate_key");
  CHECK(result.rejects.rows[0][2] == "3");
  CHECK(result.rejects.rows[0][3] == "d1");
  CHECK(result.rejects.rows[1][0] == "unknown_payee");
  CHECK(result.rejects.rows[1][2] == "4");
  CHECK(result.rejects.rows[1][3] == "d3");
  REQUIRE(result.summary.rejected.size() == 2);
  CHECK(result.summary.rejected[0] == std::pair<std::string, std::size_t>{"unknown_payee", 1});
  CHECK(result.summary.rejected[1] == std::pair<std::string, std::size_t>{"duplicate_key", 1});
  std::size_t warnings = 0;
  for (const auto& m : result.messages)
    warnings += m.severity == tally::Message::Severity::warning ? 1 : 0;
  CHECK(warnings == 2);

  // Without --lenient the same data stops the run.
  const auto strict = run_plan(plan, data);
  CHECK_FALSE(strict.ok);
  CHECK(strict.rejects.rows.empty());
}

TEST_CASE("--lenient leaves out the split credits of a deal whose shares do not add up",
          "[crediting]") {
  const std::string plan = plan_with(kRoster,
                                     "credit won from deals on deal.close_date {\n"
                                     "  deal.owner gets 60% split\n"
                                     "  deal.partner gets deal.amount / 1000 USD split\n"
                                     "}\n");
  DataFolder data("lenient_split");
  data.write("payees.csv", kPayees);
  // d1: 60% + 400/1000 = 100%; d2: 60% + 500/1000 = 110%, rejected whole.
  data.write("deals.csv",
             "id,close_date,owner,partner,account,amount\n"
             "d1,2026-01-10,ann,bob,A,400.00\n"
             "d2,2026-01-10,ann,bob,A,500.00\n");
  RunOptions options;
  options.lenient = true;
  const auto result = run_plan(plan, data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(result.summary.credits == 2);
  CHECK(measure(result, "ann", "2026-Q1", "bookings") == "240.0000");
  CHECK(measure(result, "bob", "2026-Q1", "bookings") == "160.0000");
  REQUIRE(result.rejects.rows.size() == 1);
  CHECK(result.rejects.rows[0][0] == "split_shares");
  CHECK(result.rejects.rows[0][3] == "d2");
}

TEST_CASE("payouts read the roster row of the payee's last day when they leave mid-period",
          "[crediting]") {
  DataFolder data("dated_end_date");
  // ann leaves on 2026-02-10; a row starting 2026-03-01 (after she left)
  // makes her an MGR. Q1 is paid on her row of 2026-02-10: an AE.
  data.write("payees.csv",
             "id,name,role,manager,effective_from,end_date\n"
             "ann,Ann,AE,,,2026-02-10\n"
             "ann,Ann,MGR,,2026-03-01,2026-02-10\n");
  data.write("deals.csv",
             "id,close_date,owner,partner,account,amount\nd1,2026-01-10,ann,ann,A,100.00\n");
  const auto result =
      run_plan(plan_with("roster payees { id: text key, name: text, role: text, manager: payee?, "
                         "effective_from: date?, end_date: date? }\n",
                         "credit won from deals on deal.close_date {\n"
                         "  deal.owner gets 100%\n"
                         "}\n"
                         "payout ae_pay for role == \"AE\" = 10% * bookings\n"
                         "payout mgr_pay for role == \"MGR\" = 1% * bookings\n"),
               data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // 10% of 100.00.
  CHECK(payout(result, "ann", "2026-Q1", "ae_pay") == "10.00");
  CHECK(payout(result, "ann", "2026-Q1", "mgr_pay").empty());
  // Q2 starts after she left: the row in force on 2026-06-30 (MGR) applies.
  CHECK(payout(result, "ann", "2026-Q2", "mgr_pay") == "0.00");
}
