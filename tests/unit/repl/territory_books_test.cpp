// group_report over territory reports built by hand: each payee's book, the
// rows in no book (not credited, credited only by overlay), splits, the
// direct amount as bookings, --by a field, and --by errors with a hint.
#include <catch2/catch.hpp>

#include "repl/territory_balance.hpp"
#include "repl/territory_books.hpp"

using namespace tally;
using namespace tally::cli;

namespace {

TerritoryRow row(std::string id, bool credited, std::vector<std::string> payees, std::string direct,
                 std::vector<std::string> cells) {
  TerritoryRow r;
  r.id = std::move(id);
  r.file = "deals.csv";
  r.credited = credited;
  r.payees = std::move(payees);
  r.direct_amount = std::move(direct);
  r.cells = std::move(cells);
  return r;
}

/// Fields: account, segment, amount. No territories.
TerritoryReport report() {
  TerritoryReport r;
  r.ok = true;
  r.source = "deals";
  r.fields = {"account", "segment", "amount"};
  r.field_types = {"text", "text?", "money (USD)"};
  r.amount_field = 2;
  r.rows = {
      row("A", true, {"zed"}, "100.50", {"acme", "MM", "100.50"}),
      row("B", true, {"amy"}, "40", {"beta", "ENT", "80.00"}),  // half credited directly
      row("C", false, {}, "", {"acme", "MM", "999.00"}),
      row("D", true, {"amy", "zed"}, "300.00", {"gamma", "", "300.00"}),
      row("E", true, {}, "", {"delta", "MM", "50.00"}),  // an overlay credit only
      row("F", true, {"amy"}, "10.25", {"beta", "SMB", "10.25"}),
  };
  return r;
}

}  // namespace

TEST_CASE("books: one per payee credited directly, sorted, others in none") {
  const GroupedReport g = group_report(report(), "");
  REQUIRE(g.error.empty());
  REQUIRE(g.report.territories.size() == 2);
  CHECK(g.report.territories[0].name == "amy");
  CHECK(g.report.territories[0].owner == "amy");
  CHECK(g.report.territories[1].name == "zed");
  CHECK(g.grouping.by.empty());
  CHECK_FALSE(g.grouping.declares_territories);
  CHECK(g.grouping.not_credited == 1);
  CHECK(g.grouping.not_credited_examples == std::vector<std::size_t>{2});
  CHECK(g.grouping.no_payee == 1);
  CHECK(g.grouping.no_payee_examples == std::vector<std::size_t>{4});
  CHECK(g.grouping.splits == 1);
  CHECK(g.report.rows[3].tie);
  CHECK(g.report.rows[3].matched == std::vector<std::string>{"amy", "zed"});

  const Balance b = balance_of(g.report, choose_fields(g.report, {}));
  // amy: B and F, one account (beta), 40 + 10.25 credited directly.
  CHECK(b.territories[0].opportunities == 2);
  CHECK(b.territories[0].accounts == 1);
  CHECK(b.territories[0].bookings.plain(2) == "50.25");
  CHECK(b.territories[1].opportunities == 1);
  CHECK(b.territories[1].bookings.plain(2) == "100.50");
  CHECK(b.none == 2);  // C and E; D is a tie
  CHECK(b.ties == 1);
  REQUIRE(b.overlaps.size() == 1);
  CHECK(b.overlaps[0].winner.empty());
  // Gini of (2, 1): |2-1| * 2 / (2 * 4 * 1.5) = 1/6; bookings (50.25, 100.50): 100.5 / (8 *
  // 75.375) = 1/6 as well.
  CHECK(*b.opportunities.gini == Approx(1.0 / 6));
  CHECK(*b.bookings.gini == Approx(1.0 / 6));
  CHECK(*b.bookings.max_min == Approx(2.0));
}

TEST_CASE("books: --by a field groups every row by its value") {
  const GroupedReport g = group_report(report(), "segment");
  REQUIRE(g.error.empty());
  REQUIRE(g.report.territories.size() == 3);  // ENT, MM, SMB; D has none
  CHECK(g.report.territories[0].name == "ENT");
  CHECK(g.report.territories[0].owner.empty());
  CHECK(g.grouping.no_value == 1);
  CHECK(g.grouping.no_value_examples == std::vector<std::size_t>{3});
  CHECK(g.grouping.not_credited == 1);
  CHECK(g.grouping.splits == 1);
  const Balance b = balance_of(g.report, choose_fields(g.report, {}));
  // MM: A, C, E; accounts acme, delta; bookings only A's direct 100.50.
  CHECK(b.territories[1].name == "MM");
  CHECK(b.territories[1].opportunities == 3);
  CHECK(b.territories[1].accounts == 2);
  CHECK(b.territories[1].bookings.plain(2) == "100.50");
  CHECK(b.none == 1);
  CHECK(b.ties == 0);
}

TEST_CASE("books: --amount FIELD overrides the direct amount") {
  const GroupedReport g = group_report(report(), "");
  BalanceFields asked;
  asked.amount = "amount";
  const Balance b = balance_of(g.report, choose_fields(g.report, asked));
  CHECK(b.territories[0].bookings.plain(2) == "90.25");  // amy: 80.00 + 10.25
}

TEST_CASE("books: --by names a text or payee field, with a hint") {
  CHECK(group_report(report(), "segmnt").error.find("did you mean `segment`") != std::string::npos);
  const std::string money = group_report(report(), "amount").error;
  CHECK(money.find("no text or payee field `amount`") != std::string::npos);
  CHECK(money.find("account, segment") != std::string::npos);
}
