// balance_of and choose_fields over territory reports built by hand: which
// row counts where, exact bookings, potential once per account, overlaps
// told nested or by priority, ties and rows in no territory, and the
// spreads (Gini and max/min worked out by hand).
#include <catch2/catch.hpp>

#include "repl/territory_balance.hpp"

using namespace tally;
using namespace tally::cli;

namespace {

TerritoryRow row(std::string id, std::vector<std::string> matched, std::string winner,
                 bool credited, std::vector<std::string> cells) {
  TerritoryRow r;
  r.id = std::move(id);
  r.file = "deals.csv";
  r.matched = std::move(matched);
  r.winner = std::move(winner);
  r.credited = credited;
  r.cells = std::move(cells);
  return r;
}

/// Fields: account, account_state, amount, potential.
TerritoryReport report() {
  TerritoryReport r;
  r.ok = true;
  r.source = "deals";
  r.fields = {"account", "account_state", "amount", "potential"};
  r.field_types = {"text", "text", "money (USD)", "money (USD)"};
  r.amount_field = 2;
  for (const char* name : {"West", "West.CA", "East", "Empty"}) {
    TerritoryInfo t;
    t.name = name;
    r.territories.push_back(t);
  }
  r.rows = {
      row("A", {"West"}, "West", true, {"acme", "OR", "100.10", "500"}),
      row("B", {"West"}, "West", false, {"acme", "OR", "999", "500"}),  // not credited
      row("C", {"West.CA", "West"}, "West.CA", true, {"beta", "CA", "0.05", "70"}),
      row("D", {"East", "West"}, "East", true, {"gamma", "NY", "20", "30"}),
      row("E", {}, "", false, {"delta", "TX", "5", "1"}),
      row("F", {"East", "West.CA"}, "", true, {"eps", "CA", "7", "2"}),
  };
  r.rows[5].tie = true;
  return r;
}

}  // namespace

TEST_CASE("default fields: account, the credited amount, potential", "[territories]") {
  const ChosenFields f = choose_fields(report(), {});
  CHECK(f.account == 0);
  CHECK(f.amount == 2);
  CHECK(f.potential == 3);
  CHECK(f.notes.empty());
  CHECK(f.error.empty());
}

TEST_CASE("account_state is a place, not an account", "[territories]") {
  TerritoryReport r = report();
  r.fields[0] = "owner";
  const ChosenFields f = choose_fields(r, {});
  CHECK(f.account == -1);
  REQUIRE(f.notes.size() == 1);
  CHECK(f.notes[0].find("--account FIELD") != std::string::npos);
}

TEST_CASE("an unknown field asked for is an error naming the fields", "[territories]") {
  BalanceFields asked;
  asked.potential = "potentail";
  const ChosenFields f = choose_fields(report(), asked);
  CHECK(f.error ==
        "--potential potentail: `deals` has no field `potentail` (its fields: account, "
        "account_state, amount, potential)");
}

TEST_CASE("balance per territory, overlaps, none and ties", "[territories]") {
  const TerritoryReport r = report();
  const Balance b = balance_of(r, choose_fields(r, {}));
  REQUIRE(b.territories.size() == 4);
  const TerritoryBalance& west = b.territories[0];
  CHECK(west.opportunities == 2);
  CHECK(west.accounts == 1);
  CHECK(west.bookings.plain(2) == "100.10");   // B is not credited
  CHECK(west.potential.plain(2) == "500.00");  // acme once
  CHECK(b.territories[1].bookings.plain(2) == "0.05");
  CHECK(b.territories[2].opportunities == 1);
  CHECK(b.territories[3].opportunities == 0);
  CHECK(b.none == 1);
  CHECK(b.none_examples == std::vector<std::size_t>{4});
  CHECK(b.ties == 1);
  REQUIRE(b.overlaps.size() == 3);
  for (const Overlap& o : b.overlaps) {
    if (o.matched == std::vector<std::string>{"West.CA", "West"}) {
      CHECK(o.nested);
      CHECK(o.winner == "West.CA");
    } else if (o.matched == std::vector<std::string>{"East", "West"}) {
      CHECK_FALSE(o.nested);
      CHECK(o.winner == "East");
    } else {
      CHECK(o.winner.empty());  // the tie
      CHECK(o.examples == std::vector<std::size_t>{5});
    }
  }
  // Opportunities (2, 1, 1, 0): mean 1; sum of |xi - xj| over ordered pairs
  // is 2 * (1 + 1 + 2 + 0 + 1 + 1) = 12; Gini = 12 / (2 * 16 * 1) = 0.375.
  REQUIRE(b.opportunities.gini);
  CHECK(*b.opportunities.gini == Approx(0.375));
  CHECK_FALSE(b.opportunities.max_min);  // Empty has 0
}

TEST_CASE("spreads: equal values, a ratio, nothing to share", "[territories]") {
  const Spread equal = spread_of({3, 3, 3});
  CHECK(*equal.gini == Approx(0.0));
  CHECK(*equal.max_min == Approx(1.0));
  const Spread two = spread_of({1, 3});  // |1-3| * 2 / (2 * 4 * 2) = 0.25
  CHECK(*two.gini == Approx(0.25));
  CHECK(*two.max_min == Approx(3.0));
  const Spread zero = spread_of({0, 0});
  CHECK_FALSE(zero.gini);
  CHECK_FALSE(zero.max_min);
  const Spread none = spread_of({});
  CHECK_FALSE(none.gini);
}
