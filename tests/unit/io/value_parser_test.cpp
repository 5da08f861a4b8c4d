#include "io/value_parser.hpp"

#include <catch2/catch.hpp>
#include <string>

using tally::Decimal;
using tally::FieldSpec;
using tally::Kind;
using tally::Type;

namespace {

FieldSpec spec(Kind kind, std::string format = {}) {
  FieldSpec field;
  field.name.assign(1, 'x');  // (a literal here trips a GCC 12 -Wrestrict false positive)
  field.type = kind == Kind::money ? Type::money_in("USD") : Type::of(kind);
  field.format = std::move(format);
  return field;
}

// The parsed value printed in plain notation, or "none".
std::string decimal(const FieldSpec& field, std::string_view text) {
  auto parser = tally::ValueParser::make(field, tally::Calendar{});
  REQUIRE(parser);
  auto value = parser->parse_decimal(text);
  return value ? value->to_string() : "none";
}

std::string date(const std::string& pattern, std::string_view text) {
  auto format = tally::DateFormat::from_pattern(pattern);
  REQUIRE(format);
  auto value = format->parse(text);
  return value ? tally::format_date(*value) : "none";
}

}  // namespace

TEST_CASE("plain decimals keep every digit", "[values]") {
  const auto d = spec(Kind::decimal);
  CHECK(decimal(d, "21000.0") == "21000.0");
  CHECK(decimal(d, "136.0") == "136.0");
  CHECK(decimal(d, "-3.50") == "-3.50");
  CHECK(decimal(d, "+7") == "7");
  CHECK(decimal(d, ".5") == "0.5");
  CHECK(decimal(d, "1e3") == "1000");
  CHECK(decimal(d, "12345678901234567890.123") == "12345678901234567890.123");
  CHECK(decimal(d, "-0.00") == "-0.00");
  CHECK(decimal(d, "12x") == "none");
  CHECK(decimal(d, "1,234.50") == "none");
  CHECK(decimal(d, "5.") == "5");
  CHECK(decimal(d, "--5") == "none");
  CHECK(decimal(d, "-") == "none");
}

TEST_CASE("money with a currency format", "[values]") {
  const auto m = spec(Kind::money, "$#,##0.00");
  CHECK(decimal(m, "$1,234.50") == "1234.50");
  CHECK(decimal(m, "-$99") == "-99");
  CHECK(decimal(m, "$-99") == "-99");
  CHECK(decimal(m, "$22,638") == "22638");
  CHECK(decimal(m, "$1,234,567.8") == "1234567.8");
  CHECK(decimal(m, "1234.5") == "1234.5");  // symbol and grouping are optional
  CHECK(decimal(m, "($42.10)") == "-42.10");
  CHECK(decimal(m, "$1,23") == "none");  // groups have three digits
  CHECK(decimal(m, "$12,3456") == "none");
  CHECK(decimal(m, "$,123") == "none");
  CHECK(decimal(m, "€12") == "none");
  CHECK(decimal(m, "-$-5") == "none");
  CHECK(decimal(m, "$") == "none");
}

TEST_CASE("European number formats", "[values]") {
  const auto m = spec(Kind::money, "#.##0,00 €");
  CHECK(decimal(m, "1.234,50 €") == "1234.50");
  CHECK(decimal(m, "-12,5") == "-12.5");
  CHECK(decimal(m, "1,234.50") == "none");
  const auto swiss = spec(Kind::decimal, "#'##0.00");
  CHECK(decimal(swiss, "1'234.05") == "1234.05");
}

TEST_CASE("number patterns", "[values]") {
  using tally::NumberFormat;
  auto us = NumberFormat::from_pattern("$#,##0.00");
  REQUIRE(us);
  CHECK(us->prefix == "$");
  CHECK(us->group == ',');
  CHECK(us->point == '.');
  auto grouping_only = NumberFormat::from_pattern("#.##0");
  REQUIRE(grouping_only);
  CHECK(grouping_only->group == '.');
  CHECK(grouping_only->point == ',');
  auto decimal_comma = NumberFormat::from_pattern("0,00");
  REQUIRE(decimal_comma);
  CHECK(decimal_comma->group == 0);
  CHECK(decimal_comma->point == ',');
  CHECK_FALSE(NumberFormat::from_pattern("dollars"));
  CHECK_FALSE(NumberFormat::from_pattern("#x##0"));
}

TEST_CASE("percent: 20% is 0.20, a bare number is already the fraction", "[values]") {
  const auto p = spec(Kind::percent);
  CHECK(decimal(p, "20%") == "0.20");
  CHECK(decimal(p, "-16.5%") == "-0.165");
  CHECK(decimal(p, "0%") == "0.00");
  CHECK(decimal(p, "0.2") == "0.2");
  CHECK(decimal(p, "20 %") == "0.20");
  CHECK(decimal(p, "%") == "none");
  CHECK(decimal(p, "20%%") == "none");
  CHECK(decimal(spec(Kind::decimal), "20%") == "none");
  CHECK(decimal(spec(Kind::percent, "0.0%"), "12.5%") == "0.125");
}

TEST_CASE("integers", "[values]") {
  CHECK(tally::parse_integer("1370") == 1370);
  CHECK(tally::parse_integer("-42") == -42);
  CHECK(tally::parse_integer("+7") == 7);
  CHECK(tally::parse_integer("21000.0") == 21000);
  CHECK(tally::parse_integer("9223372036854775807") == INT64_MAX);
  CHECK(tally::parse_integer("-9223372036854775808") == INT64_MIN);
  CHECK_FALSE(tally::parse_integer("9223372036854775808"));
  CHECK_FALSE(tally::parse_integer("1370.5"));
  CHECK_FALSE(tally::parse_integer("12."));
  CHECK_FALSE(tally::parse_integer("1e3"));
  CHECK_FALSE(tally::parse_integer(""));
  CHECK_FALSE(tally::parse_integer("-"));
}

TEST_CASE("booleans", "[values]") {
  for (const char* yes : {"true", "TRUE", "Yes", "1"}) CHECK(tally::parse_bool(yes) == true);
  for (const char* no : {"false", "False", "NO", "0"}) CHECK(tally::parse_bool(no) == false);
  CHECK_FALSE(tally::parse_bool("maybe"));
  CHECK_FALSE(tally::parse_bool("y"));
}

TEST_CASE("date patterns", "[values]") {
  CHECK(date("YYYY-MM-DD", "2017-03-01") == "2017-03-01");
  CHECK(date("YYYY-MM-DD", "2017-3-1") == "none");
  CHECK(date("YYYY-MM-DD", "2017-02-29") == "none");  // not a leap year
  CHECK(date("YYYY-MM-DD", "2016-02-29") == "2016-02-29");
  CHECK(date("M/D/YYYY", "9/7/2012") == "2012-09-07");
  CHECK(date("M/D/YYYY", "12/31/2015") == "2015-12-31");
  CHECK(date("M/D/YYYY", "2017-13-01") == "none");
  CHECK(date("M/D/YYYY", "13/1/2017") == "none");
  CHECK(date("M/D/YYYY", "9/7/2012 ") == "none");
  CHECK(date("DD.MM.YYYY", "07.09.2012") == "2012-09-07");
  CHECK(date("DD.MM.YY", "07.09.12") == "2012-09-07");
  CHECK(date("DD.MM.YY", "07.09.69") == "1969-09-07");
  CHECK_FALSE(tally::DateFormat::from_pattern("MM/YYYY"));
  CHECK_FALSE(tally::DateFormat::from_pattern("YYYY-MM-DD-DD"));
}

TEST_CASE("options that do not fit the field are errors", "[values]") {
  tally::Calendar calendar;
  auto bad_date = tally::ValueParser::make(spec(Kind::date, "MM/YYYY"), calendar);
  REQUIRE_FALSE(bad_date);
  CHECK(bad_date.errors()[0].message ==
        "field \"x\": date format \"MM/YYYY\" is not valid: it needs one year (YYYY or YY), one "
        "month (M or MM) and one day (D or DD)");
  auto text_format = tally::ValueParser::make(spec(Kind::text, "#,##0"), calendar);
  REQUIRE_FALSE(text_format);
  CHECK(text_format.errors()[0].message ==
        "field \"x\": a format applies to dates and numbers, not to text");
  auto bad_number = tally::ValueParser::make(spec(Kind::money, "dollars"), calendar);
  REQUIRE_FALSE(bad_number);
  CHECK(bad_number.errors()[0].message ==
        "field \"x\": number format \"dollars\" is not valid: write it like \"$#,##0.00\" or "
        "\"#.##0,00\"");
  auto separator = spec(Kind::text);
  separator.separator.assign(1, '|');
  auto bad_separator = tally::ValueParser::make(separator, calendar);
  REQUIRE_FALSE(bad_separator);
  CHECK(bad_separator.errors()[0].message ==
        "field \"x\": a separator applies to list fields, not to text");
}

TEST_CASE("what a value should look like", "[values]") {
  tally::Calendar calendar;
  auto expect = [&](const FieldSpec& field) {
    auto parser = tally::ValueParser::make(field, calendar);
    REQUIRE(parser);
    return parser->expectation();
  };
  CHECK(expect(spec(Kind::money)) == "money like 1234.50");
  CHECK(expect(spec(Kind::money, "$#,##0.00")) == "money in the format $#,##0.00");
  CHECK(expect(spec(Kind::date)) == "a date in the format YYYY-MM-DD");
  CHECK(expect(spec(Kind::date, "M/D/YYYY")) == "a date in the format M/D/YYYY");
  CHECK(expect(spec(Kind::integer)) == "an integer like 42");
  CHECK(expect(spec(Kind::percent)) == "a percent like 20% or 0.2");
  CHECK(expect(spec(Kind::boolean)) == "true or false (or yes/no, 1/0)");
}
