// LoadOptions::bad_rows (`--lenient`): rows of a delimited file whose values
// do not fit their fields are left out and described, one entry per bad value;
// without the option the same file is an error.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "schema_fixtures.hpp"

using namespace tally;
using namespace tally::testing;

namespace {

SourceSchema deals_schema() {
  return schema({key("id", text()), field("close_date", Type::of(Kind::date)),
                 field("amount", money()), field("tags", Type::list_of(text())),
                 field("units", Type::of(Kind::integer).as_optional())});
}

const char* kDeals =
    "id,close_date,amount,units,tags\n"
    "D1,2026-03-31,10.5,1,a|b\n"
    "D2,2026-02-30,20,2,c\n"  // no February 30th
    "D3,2026-04-01,x1,y,d\n"  // two bad values in one row
    "D4,2026-04-02,1234567.891,,e|f|g\n";

}  // namespace

TEST_CASE("bad rows: without the option a bad value fails the load", "[load][csv]") {
  SymbolTable symbols;
  auto table = load_text(deals_schema(), "deals.csv", kDeals, symbols);
  CHECK_FALSE(table.ok());
}

TEST_CASE("bad rows: with the option they are left out and described", "[load][csv]") {
  SymbolTable symbols;
  std::vector<BadRow> bad;
  LoadOptions options;
  options.bad_rows = &bad;
  auto table = load_text(deals_schema(), "deals.csv", kDeals, symbols, options);
  REQUIRE(table.ok());
  REQUIRE(table->rows == 2);
  CHECK(table->file_rows == std::vector<std::uint32_t>{2, 5});
  for (const Column& c : table->columns) CHECK(c.size() == 2);
  CHECK(text_at(*table, symbols, "id", 0) == "D1");
  CHECK(text_at(*table, symbols, "id", 1) == "D4");
  CHECK(format_date(table->column("close_date").dates[1]) == "2026-04-02");
  const auto& amount = table->column("amount").decimals;
  CHECK(amount.at(0) == Decimal::parse("10.5").value());
  CHECK(amount.at(1).to_string() == "1234567.891");
  const Column& units = table->column("units");
  CHECK(units.ints[0] == 1);
  CHECK_FALSE(units.is_null(0));
  CHECK(units.is_null(1));  // D4's empty optional value stays null
  const ListColumn& tags = table->column("tags").list;
  CHECK(tags.offsets == std::vector<std::uint32_t>{0, 2, 5});
  CHECK(symbols.text(tags.items[4]) == "g");

  REQUIRE(bad.size() == 3);
  CHECK(bad[0].row == 3);
  CHECK(bad[0].column == 2);
  CHECK(bad[0].column_name == "close_date");
  CHECK(bad[0].value == "2026-02-30");
  CHECK_FALSE(bad[0].expected.empty());
  CHECK(bad[0].message.find("column \"close_date\"") == 0);
  CHECK(bad[1].row == 4);
  CHECK(bad[1].column == 3);
  CHECK(bad[1].value == "x1");
  CHECK(bad[2].row == 4);
  CHECK(bad[2].column == 4);
  CHECK(bad[2].column_name == "units");
  CHECK(bad[2].value == "y");
}

TEST_CASE("bad rows: a missing required value is a bad row too", "[load][csv]") {
  SymbolTable symbols;
  std::vector<BadRow> bad;
  LoadOptions options;
  options.bad_rows = &bad;
  auto table = load_text(schema({key("id", text()), field("amount", money())}), "q.csv",
                         "id,amount\nA,1\nB,\nC,3\n", symbols, options);
  REQUIRE(table.ok());
  CHECK(table->rows == 2);
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].row == 3);
  CHECK(bad[0].value.empty());
  CHECK(bad[0].expected == "a value of type money (USD)");
}

TEST_CASE("bad rows: a row with the wrong number of fields still fails", "[load][csv]") {
  SymbolTable symbols;
  std::vector<BadRow> bad;
  LoadOptions options;
  options.bad_rows = &bad;
  auto table = load_text(schema({field("a", text())}), "a.csv", "a\nx\ny,z\n", symbols, options);
  CHECK_FALSE(table.ok());
}
