// territory_report and plan_with_moves (include/tally/territories.hpp):
// every territory a row matches, the winner by priority, ties reported per
// row instead of stopping, `territories from` sets, which rows are credited,
// and a what-if plan whose runs move the chosen rows. Expected values are
// read off the small data sets written here.
#include <catch2/catch.hpp>

#include <regex>

#include "plan_fixture.hpp"
#include "tally/territories.hpp"

using tally::Engine;
using tally::RunOptions;
using tally::TerritoryMove;
using tally::TerritoryReport;
using tally::testing::all_messages;
using tally::testing::DataFolder;

namespace {

const char* const kDeclared = R"(plan "T" version 1
  currency USD
  periods quarter

source deals {
  id: text key
  close_date: date
  owner: payee
  state: text
  segment: text
  stage: text
  amount: money
}

roster payees { id: text key, role: text }

territory West = deal.state in {"CA", "OR"} owner "sam"
territory West.CA = deal.state == "CA" owner "sky" priority 1
territory East = deal.state in {"NY"} owner "sol"
territory Big = deal.amount >= 1_000 USD owner "sid"

credit won from deals where deal.stage == "Won" on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";

const char* const kPayees = "id,role\nana,AE\nsam,SE\nsky,SE\nsol,SE\nsid,SE\n";

struct Fixture {
  Engine engine;
  DataFolder data;
  std::shared_ptr<const tally::Plan> plan;
  explicit Fixture(const std::string& name, const char* plan_text, const std::string& deals)
      : data(name) {
    data.write("deals.csv", deals);
    data.write("payees.csv", kPayees);
    auto compiled = engine.compile(plan_text, "plan.tally");
    INFO(all_messages(compiled.messages));
    REQUIRE(compiled.plan);
    plan = compiled.plan;
  }
  TerritoryReport report() const {
    RunOptions options;
    options.data_dir = data.path();
    return tally::territory_report(*plan, options);
  }
};

}  // namespace

TEST_CASE("every matching territory, the winner and ties", "[territories]") {
  // D1 OR: West. D2 CA: West.CA beats its parent. D3 NY 5000: East and Big
  // at priority 0, neither inside the other: a tie. D4 TX: none.
  Fixture f("territory_report_declared", kDeclared,
            "id,close_date,owner,state,segment,stage,amount\n"
            "D1,2026-01-05,ana,OR,MM,Won,100\n"
            "D2,2026-01-06,ana,CA,MM,Lost,200\n"
            "D3,2026-01-07,ana,NY,MM,Won,5000\n"
            "D4,2026-01-08,ana,TX,MM,Won,300\n");
  const TerritoryReport r = f.report();
  INFO(all_messages(r.messages));
  REQUIRE(r.ok);
  CHECK(r.source == "deals");
  CHECK(r.row_name == "deal");
  REQUIRE(r.territories.size() == 4);
  CHECK(r.territories[1].name == "West.CA");
  CHECK(r.territories[1].parent == "West");
  CHECK(r.territories[1].owner == "sky");
  CHECK(r.territories[1].priority == 1);
  REQUIRE(r.rows.size() == 4);
  CHECK(r.rows[0].matched == std::vector<std::string>{"West"});
  CHECK(r.rows[0].winner == "West");
  CHECK(r.rows[0].owner == "sam");
  CHECK(r.rows[0].credited);
  CHECK(r.rows[1].matched == std::vector<std::string>{"West.CA", "West"});
  CHECK(r.rows[1].winner == "West.CA");
  CHECK_FALSE(r.rows[1].credited);  // Lost
  CHECK(r.rows[2].tie);
  CHECK(r.rows[2].winner.empty());
  CHECK(r.rows[2].matched.size() == 2);
  CHECK(r.rows[3].matched.empty());
  CHECK(r.rows[3].winner.empty());
  CHECK_FALSE(r.rows[3].tie);
  CHECK(r.rows[3].id == "D4");
  CHECK(r.rows[3].line == 5);
  CHECK(r.rows[3].file.find("deals.csv") != std::string::npos);
  REQUIRE(r.amount_field >= 0);
  CHECK(r.fields[static_cast<std::size_t>(r.amount_field)] == "amount");
  CHECK(r.rows[0].cells[static_cast<std::size_t>(r.amount_field)] == "100");
}

TEST_CASE("a plan without territories gives its rows and their books", "[territories]") {
  const char* plan = R"(plan "T" version 1
  currency USD

source deals { id: text key, close_date: date, owner: payee, amount: money }
roster payees { id: text key, role: text }
credit won from deals on deal.close_date { deal.owner gets 100% }
measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";
  Fixture f("territory_report_none", plan,
            "id,close_date,owner,amount\nD1,2026-01-05,ana,100\nD2,2026-01-06,sam,20.5\n");
  const TerritoryReport r = f.report();
  CHECK(r.ok);
  CHECK_FALSE(r.declares_territories);
  CHECK(r.territories.empty());
  CHECK(r.source == "deals");
  REQUIRE(r.rows.size() == 2);
  CHECK(r.rows[0].credited);
  CHECK(r.rows[0].winner.empty());
  CHECK(r.rows[0].payees == std::vector<std::string>{"ana"});
  CHECK(r.rows[1].payees == std::vector<std::string>{"sam"});
  // 100% of the amount, exact at whatever scale the engine keeps.
  CHECK(std::regex_match(r.rows[0].direct_amount, std::regex(R"(100(\.0*)?)")));
  CHECK(std::regex_match(r.rows[1].direct_amount, std::regex(R"(20\.50*)")));
}

TEST_CASE("a data error is a failed report with its message", "[territories]") {
  Fixture f("territory_report_bad", kDeclared,
            "id,close_date,owner,state,segment,stage,amount\nD1,2026-13-05,ana,OR,MM,Won,100\n");
  const TerritoryReport r = f.report();
  CHECK_FALSE(r.ok);
  CHECK(all_messages(r.messages).find("2026-13-05") != std::string::npos);
}

namespace {

const char* const kSets = R"(plan "T" version 1
  currency USD
  periods quarter

source deals {
  id: text key
  close_date: date
  owner: payee
  state: text
  segment: text
  amount: money
}

roster payees { id: text key, role: text }

source territory_map {
  id: text key
  states: list<text> sep "|"
  segment: text
  se: payee
}

territories from territory_map as t
  match deal.state in t.states and deal.segment == t.segment
  owner t.se

credit won from deals on deal.close_date {
  owner(territory(deal)) gets 100% overlay
}

measure overlay_bookings: money = sum(credit.amount)
payout commission = 10% * overlay_bookings
)";

}  // namespace

TEST_CASE("territories from a source, and a move between its rows", "[territories]") {
  Fixture f("territory_report_sets", kSets,
            "id,close_date,owner,state,segment,amount\n"
            "S1,2026-01-05,ana,CA,MM,100\n"
            "S2,2026-01-06,ana,NY,MM,200\n"
            "S3,2026-01-07,ana,CA,MM,300\n");
  f.data.write("territory_map.csv",
               "id,states,segment,se\nwest_mm,CA|OR,MM,sam\neast_mm,NY|NJ,MM,sol\n"
               "south_mm,TX,MM,sid\n");
  const TerritoryReport r = f.report();
  INFO(all_messages(r.messages));
  REQUIRE(r.ok);
  // Every map row is a territory, the unmatched south_mm too.
  REQUIRE(r.territories.size() == 3);
  CHECK(r.territories[2].name == "south_mm");
  CHECK_FALSE(r.territories[2].declared);
  CHECK(r.territories[0].owner == "sam");
  REQUIRE(r.rows.size() == 3);
  CHECK(r.rows[0].winner == "west_mm");
  CHECK(r.rows[1].winner == "east_mm");
  CHECK(r.rows[1].owner == "sol");
  CHECK(r.rows[0].credited);

  // Move state CA into south_mm: S1 and S3 go to sid, a plain run pays it.
  TerritoryMove move;
  move.field = "state";
  move.value = "CA";
  move.territory = "south_mm";
  const tally::MovedPlan moved = tally::plan_with_moves(*f.plan, {move});
  INFO(all_messages(moved.messages));
  REQUIRE(moved.ok);
  auto compiled = f.engine.compile(moved.text, "plan.tally");
  INFO(all_messages(compiled.messages) + moved.text);
  REQUIRE(compiled.plan);
  RunOptions options;
  options.data_dir = f.data.path();
  const TerritoryReport after = tally::territory_report(*compiled.plan, options);
  REQUIRE(after.ok);
  CHECK(after.rows[0].winner == "south_mm");
  CHECK(after.rows[1].winner == "east_mm");
  CHECK(after.rows[2].winner == "south_mm");
  const tally::RunResult run = f.engine.run(*compiled.plan, options);
  INFO(all_messages(run.messages));
  REQUIRE(run.ok);
  CHECK(tally::testing::payout(run, "sid", "2026-Q1", "commission") == "40.00");  // 10% of 400
  CHECK(tally::testing::payout(run, "sol", "2026-Q1", "commission") == "20.00");
}

TEST_CASE("a move into a child also matches its parent; other territories let go",
          "[territories]") {
  Fixture f("territory_report_moves", kDeclared,
            "id,close_date,owner,state,segment,stage,amount\n"
            "D1,2026-01-05,ana,OR,MM,Won,100\n"
            "D2,2026-01-06,ana,NY,MM,Won,2000\n");
  TerritoryMove move;
  move.field = "state";
  move.value = "NY";
  move.territory = "West.CA";
  const tally::MovedPlan moved = tally::plan_with_moves(*f.plan, {move});
  REQUIRE(moved.ok);
  // The rewritten predicates, as text: West gains the rows, East and Big lose them.
  CHECK(moved.text.find(
            R"(territory West = ((deal.state in {"CA", "OR"}) or ((deal.state == "NY"))))") !=
        std::string::npos);
  CHECK(moved.text.find(
            R"(territory East = (deal.state in {"NY"}) and not ((deal.state == "NY")))") !=
        std::string::npos);
  auto compiled = f.engine.compile(moved.text, "plan.tally");
  REQUIRE(compiled.plan);
  RunOptions options;
  options.data_dir = f.data.path();
  const TerritoryReport after = tally::territory_report(*compiled.plan, options);
  REQUIRE(after.ok);
  CHECK(after.rows[1].matched == std::vector<std::string>{"West.CA", "West"});
  CHECK(after.rows[1].winner == "West.CA");
  CHECK(after.rows[0].winner == "West");

  SECTION("a field that is not text is refused") {
    TerritoryMove bad = move;
    bad.field = "amount";
    bad.file = "moves.txt";
    bad.line = 3;
    const tally::MovedPlan refused = tally::plan_with_moves(*f.plan, {bad});
    CHECK_FALSE(refused.ok);
    CHECK(all_messages(refused.messages).find("moves.txt:3") != std::string::npos);
  }
}

TEST_CASE("a book move credits the moved rows to another payee, overlays kept", "[territories]") {
  // No `where` (one is inserted) and an overlay line that must stay with
  // `se`: D1 and D3 (state OR) move from ana to sam; D2 stays with ana.
  const char* plan = R"(plan "T" version 1
  currency USD
  periods quarter

source deals { id: text key, close_date: date, owner: payee, se: payee, state: text?, amount: money }
roster payees { id: text key, role: text }
credit won from deals on deal.close_date {
  deal.owner gets 100%
  deal.se gets 100% overlay
}
measure bookings: money = sum(credit.amount where credit.kind == direct)
measure overlay_bookings: money = sum(credit.amount where credit.kind == overlay)
payout commission = 10% * bookings + 1% * overlay_bookings
)";
  Fixture f("territory_report_book_moves", plan,
            "id,close_date,owner,se,state,amount\n"
            "D1,2026-01-05,ana,sid,OR,100\n"
            "D2,2026-01-06,ana,sid,,2000\n"
            "D3,2026-01-07,sky,sid,OR,300\n");
  TerritoryMove move;
  move.field = "state";  // optional text: a null state is no match
  move.value = "OR";
  move.territory = "sam";
  const tally::MovedPlan moved = tally::plan_with_book_moves(*f.plan, {move});
  INFO(all_messages(moved.messages));
  REQUIRE(moved.ok);
  CHECK(moved.text.find("credit won_to_sam from deals") != std::string::npos);
  auto compiled = f.engine.compile(moved.text, "plan.tally");
  INFO(all_messages(compiled.messages) + moved.text);
  REQUIRE(compiled.plan);
  RunOptions options;
  options.data_dir = f.data.path();
  const TerritoryReport after = tally::territory_report(*compiled.plan, options);
  REQUIRE(after.ok);
  CHECK(after.rows[0].payees == std::vector<std::string>{"sam"});
  CHECK(after.rows[1].payees == std::vector<std::string>{"ana"});
  CHECK(after.rows[2].payees == std::vector<std::string>{"sam"});
  const tally::RunResult run = f.engine.run(*compiled.plan, options);
  INFO(all_messages(run.messages));
  REQUIRE(run.ok);
  CHECK(tally::testing::payout(run, "sam", "2026-Q1", "commission") == "40.00");   // 10% of 400
  CHECK(tally::testing::payout(run, "ana", "2026-Q1", "commission") == "200.00");  // 10% of 2000
  CHECK(tally::testing::payout(run, "sky", "2026-Q1", "commission") == "0.00");
  CHECK(tally::testing::payout(run, "sid", "2026-Q1", "commission") == "24.00");  // 1% of 2400
}

TEST_CASE("a book move refuses a value with a quote", "[territories]") {
  Fixture f("territory_report_book_quote", kDeclared,
            "id,close_date,owner,state,segment,stage,amount\nD1,2026-01-05,ana,OR,MM,Won,100\n");
  TerritoryMove move;
  move.field = "state";
  move.value = "O\"R";
  move.territory = "sam";
  move.file = "m.txt";
  move.line = 3;
  const tally::MovedPlan moved = tally::plan_with_book_moves(*f.plan, {move});
  CHECK_FALSE(moved.ok);
  REQUIRE(moved.messages.size() == 1);
  CHECK(moved.messages[0].line == 3);
  CHECK(moved.messages[0].text.find("quote") != std::string::npos);
}
