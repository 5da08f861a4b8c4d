#include "interpreter/runtime/column.hpp"

#include <catch2/catch.hpp>
#include <string>

using tally::Decimal;
using tally::DecimalColumn;

namespace {
Decimal parse(const char* text) {
  return *Decimal::parse(text);
}
}  // namespace

TEST_CASE("decimal columns rescale to the largest scale without altering values", "[column]") {
  DecimalColumn column;
  column.push(parse("12"));
  column.push(parse("1.5"));
  column.push(parse("-0.25"));
  CHECK_FALSE(column.is_wide());
  CHECK(column.scale() == 2);
  CHECK(column.units() == std::vector<std::int64_t>{1200, 150, -25});
  CHECK(column.at(0).to_string() == "12.00");
  CHECK(column.at(2) == parse("-0.25"));
  CHECK(column.size() == 3);
}

TEST_CASE("decimal columns switch to wide storage when units overflow", "[column]") {
  DecimalColumn column;
  column.push(parse("9000000000000000"));
  column.push(parse("0.001"));  // 9e15 at scale 3 is 9e18: still fits
  CHECK_FALSE(column.is_wide());
  column.push(parse("0.0001"));  // 9e19 does not fit 64 bits
  CHECK(column.is_wide());
  CHECK(column.at(0) == parse("9000000000000000"));
  CHECK(column.at(1) == parse("0.001"));
  CHECK(column.at(2) == parse("0.0001"));
  column.push(parse("12345678901234567890.123"));
  CHECK(column.at(3).to_string() == "12345678901234567890.123");
  CHECK(column.size() == 4);

  DecimalColumn big;
  big.push(parse("1"));
  big.push(parse("12345678901234567890"));
  CHECK(big.is_wide());
  CHECK(big.at(1).to_string() == "12345678901234567890");
}

TEST_CASE("a negative zero keeps its sign", "[column]") {
  DecimalColumn column;
  column.push(parse("1.00"));
  column.push(parse("-0.00"));
  CHECK(column.at(1).to_string() == "-0.00");
  CHECK(column.at(0).to_string() == "1.00");
}

TEST_CASE("tables find their columns by name", "[column]") {
  tally::Table table;
  table.columns.resize(2);
  table.columns[0].name = "id";
  table.columns[1].name = "amount";
  CHECK(table.find("amount") == 1u);
  CHECK_FALSE(table.find("Amount"));
  CHECK(&table.column("id") == &table.columns[0]);
}
