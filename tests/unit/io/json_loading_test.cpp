// Loading JSON files (an array of objects) into typed columns.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "schema_fixtures.hpp"

using namespace tally;
using namespace tally::testing;
using Messages = std::vector<std::string>;

namespace {

SourceSchema deals_schema() {
  return schema({key("id", text()), field("close_date", Type::of(Kind::date)),
                 field("amount", Type::of(Kind::decimal)), field("account", text().as_optional())});
}

}  // namespace

TEST_CASE("a JSON array of objects loads into typed columns", "[load][json]") {
  SymbolTable symbols;
  const std::string json = R"([
  {"id": "D1", "close_date": "2026-03-31", "amount": 12345678901234567890.123, "account": "Acme"},
  {"id": "D2", "close_date": "2026-04-01", "amount": 1e3, "account": null, "extra": {"x": [1]}},
  {"amount": -7, "id": "D3", "close_date": "2026-04-02"}
])";
  for (std::size_t buffer : {1, 7, 1 << 20}) {
    LoadOptions options;
    options.read_buffer_size = buffer;
    auto table = load_text(deals_schema(), "deals.json", json, symbols, options);
    REQUIRE(table.ok());
    CHECK(table->rows == 3);
    const DecimalColumn& amount = table->column("amount").decimals;
    CHECK(amount.at(0).to_string() == "12345678901234567890.123");  // exact, not a double
    CHECK(amount.at(1) == Decimal::from_int(1000));
    CHECK(amount.at(2) == Decimal::from_int(-7));
    CHECK(table->column("account").valid == std::vector<std::uint8_t>{1, 0, 0});
    CHECK(text_at(*table, symbols, "id", 2) == "D3");
    CHECK(format_date(table->column("close_date").dates[1]) == "2026-04-01");
    CHECK((table->file_row(0) == 2 && table->file_row(1) == 3 &&
           table->file_row(2) == 4));  // the lines of the objects
  }
}

TEST_CASE("JSON: keys match like header names; numbers and booleans feed any type",
          "[load][json]") {
  SymbolTable symbols;
  const SourceSchema s = schema(
      {field("code", text()), field("won", Type::of(Kind::boolean)), field("amount", money())});
  auto table =
      load_text(s, "k.json", R"([{"CODE": 42, "Won": true, "amount": "1234.50"}])", symbols);
  REQUIRE(table.ok());
  CHECK(text_at(*table, symbols, "code", 0) == "42");
  CHECK(table->column("won").bools[0] == 1);
  CHECK(table->column("amount").decimals.at(0).to_string() == "1234.50");
}

TEST_CASE("JSON: keys inside skipped nested values are not row keys", "[load][json]") {
  SymbolTable symbols;
  auto table = load_text(deals_schema(), "nest.json",
                         R"([{"id": "D1", "meta": {"amount": 5, "id": "X", "deep": [{"amount": 6}]},
                              "close_date": "2026-03-31", "amount": 7}])",
                         symbols);
  REQUIRE(table.ok());
  CHECK(text_at(*table, symbols, "id", 0) == "D1");
  CHECK(table->column("amount").decimals.at(0) == Decimal::from_int(7));
}

TEST_CASE("JSON: an empty array is an empty table", "[load][json]") {
  SymbolTable symbols;
  auto table = load_text(deals_schema(), "e.json", " [ ] ", symbols);
  REQUIRE(table.ok());
  CHECK(table->rows == 0);
}

TEST_CASE("JSON error: bad values name the line of the value", "[load][json][errors]") {
  CHECK(load_errors(deals_schema(), "deals.json",
                    "[\n"
                    "  {\"id\": \"D1\", \"close_date\": \"2026-03-31\", \"amount\": 1},\n"
                    "  {\"id\": \"D2\",\n"
                    "   \"close_date\": \"31/03/2026\",\n"
                    "   \"amount\": \"12x\"}\n"
                    "]") ==
        Messages{"deals.json:4:2: column \"close_date\": expected a date in the format "
                 "YYYY-MM-DD, found \"31/03/2026\" [to read other date layouts, give the column a "
                 "format, e.g. format \"M/D/YYYY\"]",
                 "deals.json:5:3: column \"amount\": expected a decimal number like 1234.5, found "
                 "\"12x\""});
}

TEST_CASE("JSON error: missing keys and nulls in required fields", "[load][json][errors]") {
  CHECK(load_errors(deals_schema(), "m.json",
                    "[{\"id\": \"D1\", \"amount\": null,\n \"close_date\": \"2026-03-31\"},\n"
                    " {\"id\": \"D2\", \"amount\": 5}]") ==
        Messages{"m.json:1:3: column \"amount\": a value is required, found null [declare the "
                 "field as \"decimal?\" if values may be missing]",
                 "m.json:3:2: column \"close_date\": a value is required, but the object has no "
                 "key \"close_date\""});
}

TEST_CASE("JSON error: nested values under a declared field", "[load][json][errors]") {
  CHECK(load_errors(deals_schema(), "n.json",
                    R"([{"id": "D1", "close_date": "2026-03-31", "amount": {"value": 1}}])") ==
        Messages{"n.json:1:3: column \"amount\": expected a single value, found an object"});
  CHECK(load_errors(deals_schema(), "n.json",
                    R"([{"id": ["D1"], "close_date": "2026-03-31", "amount": 1}])") ==
        Messages{"n.json:1:1: column \"id\": expected a single value, found an array"});
}

TEST_CASE("JSON error: not an array of objects", "[load][json][errors]") {
  CHECK(load_errors(deals_schema(), "o.json", R"({"id": "D1"})") ==
        Messages{"o.json:1:0: expected a JSON array of objects (one per row), found an object"});
  CHECK(load_errors(deals_schema(), "o.json", "42") ==
        Messages{"o.json:1:0: expected a JSON array of objects (one per row), found a number"});
  CHECK(
      load_errors(deals_schema(), "o.json",
                  "[{\"id\": \"D1\", \"close_date\": \"2026-03-31\", \"amount\": 1},\n 7, [1]]") ==
      Messages{"o.json:2:0: item 2 of the array is a number; expected an object (one per row)",
               "o.json:2:0: item 3 of the array is an array; expected an object (one per row)"});
}

TEST_CASE("JSON error: syntax errors give their position", "[load][json][errors]") {
  CHECK(load_errors(deals_schema(), "s.json", "[\n  {\"id\": \"D1\",, }\n]") ==
        Messages{"s.json:2:15: invalid JSON: syntax error while parsing object key - unexpected "
                 "','; expected string literal"});
  CHECK(load_errors(deals_schema(), "s.json", "") ==
        Messages{"s.json:1:1: invalid JSON: syntax error while parsing value - unexpected end of "
                 "input; expected '[', '{', or a literal"});
  CHECK(load_errors(deals_schema(), "s.json", "[{\"id\": \"D1\"") ==
        Messages{"s.json:1:13: invalid JSON: syntax error while parsing object - unexpected end "
                 "of input; expected '}'"});
}

TEST_CASE("JSON error: invalid UTF-8 is a syntax error", "[load][json][errors]") {
  const Messages errors = load_errors(deals_schema(), "u.json", "[{\"id\": \"Lule\xE5\"}]");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("u.json:1:", 0) == 0);
  CHECK(errors[0].find("invalid JSON: syntax error while parsing value - invalid string: "
                       "ill-formed UTF-8 byte") != std::string::npos);
}

TEST_CASE("JSON error: duplicate keys across objects and within one", "[load][json][errors]") {
  CHECK(load_errors(deals_schema(), "d.json",
                    "[{\"id\": \"D1\", \"close_date\": \"2026-03-31\", \"amount\": 1},\n"
                    " {\"id\": \"D1\", \"close_date\": \"2026-03-31\", \"amount\": 2}]") ==
        Messages{"d.json:2:1: column \"id\": duplicate key \"D1\" on lines 1 and 2"});
  CHECK(load_errors(deals_schema(), "d.json",
                    R"([{"id": "D1", "id": "D2", "close_date": "2026-03-31", "amount": 1}])") ==
        Messages{"d.json:1:1: key \"id\" appears twice in the same object"});
}
