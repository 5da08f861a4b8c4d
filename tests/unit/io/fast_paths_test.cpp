// The fast paths of io/field_appenders.hpp: their parsers on their own, the
// values they must leave to the general path (checked by hand), and files of
// plain and nasty values loaded with the fast paths on and off, which must
// give the same tables and the same errors.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "interpreter/runtime/calendar.hpp"
#include "io/field_appenders.hpp"
#include "io/intern_cache.hpp"
#include "schema_fixtures.hpp"

using namespace tally;
using namespace tally::testing;
using Messages = std::vector<std::string>;

namespace {

/// Switches the fast paths off for one scope.
struct FastPathsOff {
  FastPathsOff() { set_fast_paths_enabled(false); }
  ~FastPathsOff() { set_fast_paths_enabled(true); }
  FastPathsOff(const FastPathsOff&) = delete;
  FastPathsOff& operator=(const FastPathsOff&) = delete;
};

std::optional<std::int64_t> digits(std::string_view text) {
  std::int64_t value = -1;
  if (!parse_plain_digits(text, value)) return std::nullopt;
  return value;
}

std::string units(std::string_view text) {
  std::int64_t value = 0;
  int scale = 0;
  if (!parse_plain_units(text, value, scale)) return "none";
  return std::to_string(value) + "e-" + std::to_string(scale);
}

std::optional<std::uint32_t> ymd(std::string_view text) {
  std::uint32_t value = 0;
  if (!split_iso_date(text, value)) return std::nullopt;
  return value;
}

}  // namespace

TEST_CASE("fast path parsers take only plain values", "[load][fast]") {
  CHECK(digits("0") == 0);
  CHECK(digits("007") == 7);
  CHECK(digits("123456789012345678") == 123456789012345678);  // 18 digits
  CHECK_FALSE(digits("1234567890123456789"));                 // 19: the general path
  CHECK_FALSE(digits(""));
  CHECK_FALSE(digits("+5"));
  CHECK_FALSE(digits("-5"));
  CHECK_FALSE(digits(" 5"));
  CHECK_FALSE(digits("5 "));
  CHECK_FALSE(digits("1,000"));
  CHECK_FALSE(digits("5.0"));
  CHECK_FALSE(digits("1e3"));
  CHECK_FALSE(digits("/"));  // the bytes either side of the digits
  CHECK_FALSE(digits(":"));

  CHECK(units("23799.76") == "2379976e-2");
  CHECK(units("42") == "42e-0");
  CHECK(units("0.001") == "1e-3");
  CHECK(units("007.50") == "750e-2");
  CHECK(units("12345678901234567.8") == "123456789012345678e-1");  // 18 digits
  CHECK(units("1234567890123456789") == "none");                   // 19 digits
  CHECK(units("1234567890123456.789") == "none");
  CHECK(units(".5") == "none");
  CHECK(units("5.") == "none");
  CHECK(units("1.2.3") == "none");
  CHECK(units("-1.5") == "none");
  CHECK(units("+1.5") == "none");
  CHECK(units("1,000.00") == "none");
  CHECK(units("$12") == "none");
  CHECK(units("12%") == "none");
  CHECK(units("1e3") == "none");
  CHECK(units(" 1") == "none");
  CHECK(units("") == "none");

  CHECK(ymd("2026-03-09") == 20260309u);
  CHECK(ymd("2026-02-30") == 20260230u);  // laid out right; make_date says no
  CHECK_FALSE(ymd("2026-3-09"));
  CHECK_FALSE(ymd("2026/03/09"));
  CHECK_FALSE(ymd(" 2026-03-09"));
  CHECK_FALSE(ymd("2026-03-09 "));
  CHECK_FALSE(ymd("2026-03-0x"));
  CHECK_FALSE(ymd("20260309"));
}

TEST_CASE("the ISO date cache gives make_date's dates and never caches a bad one", "[load][fast]") {
  IsoDateCache cache;
  Date date{};
  for (int round = 0; round < 2; ++round) {  // a miss, then a hit
    REQUIRE(cache.date(20260309, date));
    CHECK(format_date(date) == "2026-03-09");
    REQUIRE(cache.date(20240229, date));
    CHECK(format_date(date) == "2024-02-29");
    CHECK_FALSE(cache.date(20260230, date));
    CHECK_FALSE(cache.date(20250229, date));
    CHECK_FALSE(cache.date(20261301, date));
    CHECK_FALSE(cache.date(0, date));  // 0000-00-00, the number of no date
    // Four years apart: the same slot, each day its own date.
    REQUIRE(cache.date(20300309, date));
    CHECK(format_date(date) == "2030-03-09");
    REQUIRE(cache.date(20260309, date));
    CHECK(format_date(date) == "2026-03-09");
  }
}

TEST_CASE("packed short texts: the length tells apart texts the word does not", "[load][fast]") {
  CHECK(InternCache::pack("") == 0);
  CHECK(InternCache::pack("A") == 0x41u);
  CHECK(InternCache::pack("AB") == 0x4241u);
  CHECK(InternCache::pack("ABC") == 0x434241u);
  CHECK(InternCache::pack("ABCD") == 0x44434241u);
  CHECK(InternCache::pack("ABCDE") == 0x4544434241u);
  CHECK(InternCache::pack("ABCDEFGH") == 0x4847464544434241u);
  SymbolTable symbols;
  InternCache cache;
  using namespace std::string_view_literals;
  const SymbolId a = cache.intern("a"sv, symbols);
  const SymbolId a_nul = cache.intern("a\0"sv, symbols);
  CHECK(a != a_nul);
  CHECK(symbols.text(a_nul) == "a\0"sv);
  CHECK(cache.intern("a"sv, symbols) == a);
  CHECK(cache.intern("a\0"sv, symbols) == a_nul);
  CHECK(cache.intern("a long text of many bytes"sv, symbols) ==
        cache.intern("a long text of many bytes"sv, symbols));
}

TEST_CASE("fast paths are chosen from the field's type and options", "[load][fast]") {
  CHECK(choose_fast_path(field("n", Type::of(Kind::integer))) == FastPath::integer);
  CHECK(choose_fast_path(key("n", Type::of(Kind::integer))) == FastPath::integer_key);
  CHECK(choose_fast_path(field("m", money())) == FastPath::plain_decimal);
  CHECK(choose_fast_path(field("p", Type::of(Kind::percent))) == FastPath::plain_decimal);
  CHECK(choose_fast_path(field("d", Type::of(Kind::date))) == FastPath::iso_date);
  CHECK(choose_fast_path(field("t", text())) == FastPath::text);
  CHECK(choose_fast_path(field("o", Type::of(Kind::payee))) == FastPath::text);
  CHECK(choose_fast_path(key("t", text())) == FastPath::none);
  CHECK(choose_fast_path(key("m", money())) == FastPath::none);
  CHECK(choose_fast_path(field("b", Type::of(Kind::boolean))) == FastPath::none);
  CHECK(choose_fast_path(field("l", Type::list_of(text()))) == FastPath::none);
  FieldSpec formatted = field("m", money());
  formatted.format = "$#,##0.00";
  CHECK(choose_fast_path(formatted) == FastPath::none);
  FieldSpec with_nulls = field("n", Type::of(Kind::integer));
  with_nulls.nulls = {"0"};
  CHECK(choose_fast_path(with_nulls) == FastPath::none);
  {
    FastPathsOff off;
    CHECK(choose_fast_path(field("n", Type::of(Kind::integer))) == FastPath::none);
  }
  CHECK(choose_fast_path(field("n", Type::of(Kind::integer))) == FastPath::integer);
}

TEST_CASE("values the fast paths leave to the general path load as before", "[load][fast]") {
  const SourceSchema s =
      schema({key("id", Type::of(Kind::integer)), field("n", Type::of(Kind::integer)),
              field("amount", money()), field("rate", Type::of(Kind::percent)),
              field("close", Type::of(Kind::date)), field("name", text())});
  SymbolTable symbols;
  auto table = load_text(s, "fallbacks.csv",
                         "id,n,amount,rate,close,name\n"
                         "1,+5,1234.567,20%,2026-03-09,\"  padded \"\n"
                         "2, 12 ,-0.50,0.2, 2026-03-10 ,ÄÖ\n"
                         "3,9223372036854775807,(7.25),.5,2024-02-29,ABCDEFGH\n"
                         "5,-9223372036854775808,1e3,5%,2026-12-31,ABCDEFGHI\n"
                         "4,21000.0,  99  ,+1,2026-01-01,a\tb\n",
                         symbols);
  REQUIRE(table.ok());
  REQUIRE(table->rows == 5);
  // 4 after 5: the key no longer rises, so the map takes over; no duplicate.
  CHECK(table->column("id").ints == std::vector<std::int64_t>{1, 2, 3, 5, 4});
  CHECK(table->column("n").ints == std::vector<std::int64_t>{5, 12, INT64_MAX, INT64_MIN, 21000});
  const DecimalColumn& amount = table->column("amount").decimals;
  CHECK(amount.at(0).to_string() == "1234.567");
  CHECK(amount.at(1).to_string() == "-0.500");
  CHECK(amount.at(2).to_string() == "-7.250");
  CHECK(amount.at(3).to_string() == "1000.000");
  CHECK(amount.at(4).to_string() == "99.000");
  const DecimalColumn& rate = table->column("rate").decimals;
  CHECK(rate.at(0) == Decimal::from_units(20, 2));
  CHECK(rate.at(1) == Decimal::from_units(2, 1));
  CHECK(rate.at(2) == Decimal::from_units(5, 1));
  CHECK(rate.at(3) == Decimal::from_units(5, 2));
  CHECK(rate.at(4) == Decimal::from_int(1));
  const auto& close = table->column("close").dates;
  CHECK(format_date(close[0]) == "2026-03-09");
  CHECK(format_date(close[1]) == "2026-03-10");
  CHECK(format_date(close[2]) == "2024-02-29");
  CHECK(format_date(close[3]) == "2026-12-31");
  CHECK(text_at(*table, symbols, "name", 0) == "  padded ");  // text keeps its spaces
  CHECK(text_at(*table, symbols, "name", 1) == "ÄÖ");
  CHECK(text_at(*table, symbols, "name", 2) == "ABCDEFGH");
  CHECK(text_at(*table, symbols, "name", 3) == "ABCDEFGHI");
  CHECK(text_at(*table, symbols, "name", 4) == "a\tb");
}

TEST_CASE("bad values the fast paths meet are reported as before", "[load][fast][errors]") {
  const SourceSchema s = schema({key("id", Type::of(Kind::integer)),
                                 field("n", Type::of(Kind::integer)), field("amount", money()),
                                 field("close", Type::of(Kind::date)), field("name", text())});
  CHECK(load_errors(s, "bad.csv",
                    "id,n,amount,close,name\n"
                    "1,9223372036854775808,1.5,2026-02-30,ok\n"
                    "2,1.5,1..5,2026-3-09,\xff\n"
                    "2,,$12,03/09/2026,x\n"
                    "1,x,,2026-03-09,\n") ==
        Messages{
            "bad.csv:2:2: column \"n\": expected an integer like 42, found "
            "\"9223372036854775808\"",
            "bad.csv:2:4: column \"close\": expected a date in the format YYYY-MM-DD, found "
            "\"2026-02-30\"",
            "bad.csv:3:2: column \"n\": expected an integer like 42, found \"1.5\"",
            "bad.csv:3:3: column \"amount\": expected money like 1234.50, found \"1..5\"",
            "bad.csv:3:4: column \"close\": expected a date in the format YYYY-MM-DD, found "
            "\"2026-3-09\"",
            "bad.csv:3:5: column \"name\": invalid UTF-8 (byte 1) in \"\\xFF\" [if the file is in "
            "Windows-1252, declare encoding \"windows-1252\"]",
            "bad.csv:4:1: column \"id\": duplicate key \"2\" on rows 3 and 4",
            "bad.csv:4:2: column \"n\": a value is required, found an empty field [declare the "
            "field as \"int?\" if values may be missing]",
            "bad.csv:4:3: column \"amount\": expected money like 1234.50, found \"$12\" [to read "
            "formatted amounts, give the column a format, e.g. format \"$#,##0.00\"]",
            "bad.csv:4:4: column \"close\": expected a date in the format YYYY-MM-DD, found "
            "\"03/09/2026\" [to read other date layouts, give the column a format, e.g. format "
            "\"M/D/YYYY\"]",
            "bad.csv:5:1: column \"id\": duplicate key \"1\" on rows 2 and 5",
            "bad.csv:5:2: column \"n\": expected an integer like 42, found \"x\"",
            "bad.csv:5:3: column \"amount\": a value is required, found an empty field [declare "
            "the field as \"money (USD)?\" if values may be missing]",
            "bad.csv:5:5: column \"name\": a value is required, found an empty field [declare the "
            "field as \"text?\" if values may be missing]",
        });
}

namespace {

// The differential test: a file of random rows, most values plain, some of
// the kinds each fast path must leave alone.
const std::vector<std::string>& nasty_values() {
  static const std::vector<std::string> values = {"",
                                                  " ",
                                                  "  ",
                                                  "\t",
                                                  " 12",
                                                  "12 ",
                                                  "+5",
                                                  "-5",
                                                  "-0",
                                                  "007",
                                                  "0",
                                                  "1e3",
                                                  "12.",
                                                  ".5",
                                                  "1.5",
                                                  "1..5",
                                                  "1,000",
                                                  "1,000.50",
                                                  "$12",
                                                  "$1,234.50",
                                                  "12%",
                                                  "(7.25)",
                                                  "-0.00",
                                                  "23799.76",
                                                  "0.001",
                                                  "1234.567",
                                                  "123456789012345678",
                                                  "1234567890123456789",
                                                  "9223372036854775807",
                                                  "9223372036854775808",
                                                  "-9223372036854775808",
                                                  "99999999999999999999.99",
                                                  "21000.0",
                                                  "2026-03-09",
                                                  "2026-02-30",
                                                  "2024-02-29",
                                                  "2026-3-09",
                                                  "2026/03/09",
                                                  " 2026-03-09",
                                                  "0000-00-00",
                                                  "9999-12-31",
                                                  "2026-13-01",
                                                  "03/09/2026",
                                                  "NULL",
                                                  "N/A",
                                                  "abc",
                                                  "ABCDEFGH",
                                                  "ABCDEFGHI",
                                                  "a long text value well over eight bytes",
                                                  "ÄÖ",
                                                  "caf\xc3\xa9",
                                                  "\xff",
                                                  "ab\xc3",
                                                  "\xe2\x82",
                                                  "a\tb",
                                                  "\tx",
                                                  "x\t",
                                                  " x ",
                                                  "a|b",
                                                  "|a||b|",
                                                  "true",
                                                  "yes",
                                                  "2026-Q1",
                                                  "\"quoted, with comma\"",
                                                  "\"say \"\"hi\"\"\""};
  return values;
}

std::string plain_value(Kind kind, std::mt19937& rng, std::size_t row) {
  switch (kind) {
    case Kind::integer:
      return std::to_string(rng() % 100000);
    case Kind::money:
    case Kind::decimal:
      return std::to_string(rng() % 100000) + "." + std::to_string(10 + rng() % 90);
    case Kind::percent:
      return "0." + std::to_string(rng() % 100);
    case Kind::date: {
      const unsigned month = 1 + rng() % 12;
      return "2026-" + std::string(month < 10 ? "0" : "") + std::to_string(month) + "-" +
             std::to_string(10 + rng() % 18);
    }
    case Kind::payee:
      return std::to_string(1 + rng() % 40);
    case Kind::list:
      return "CA|NY";
    default: {
      static const char* const kStates[] = {"CA", "NY", "TX", "WA", "Enterprise", "Mid-Market"};
      return kStates[(rng() + row) % 6];
    }
  }
}

SourceSchema differential_schema() {
  FieldSpec note = field("note", text().as_optional());
  note.trim = true;
  FieldSpec code = field("code", text());
  code.nulls = {"N/A", "NULL"};
  FieldSpec qty = field("qty", Type::of(Kind::integer).as_optional());
  qty.nulls = {"0"};
  FieldSpec tags = field("tags", Type::list_of(text()));
  return schema({key("id", Type::of(Kind::integer)), field("n", Type::of(Kind::integer)),
                 field("amount", money()), field("margin", Type::of(Kind::decimal).as_optional()),
                 field("rate", Type::of(Kind::percent)), field("close", Type::of(Kind::date)),
                 field("when", Type::of(Kind::date).as_optional()),
                 field("owner", Type::of(Kind::payee)), field("state", text()), note, code, qty,
                 tags});
}

std::string differential_file(unsigned seed, std::size_t rows) {
  const SourceSchema s = differential_schema();
  std::mt19937 rng(seed);
  std::string file;
  for (std::size_t f = 0; f < s.fields.size(); ++f) file += (f ? "," : "") + s.fields[f].name;
  file += '\n';
  std::int64_t next_id = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t f = 0; f < s.fields.size(); ++f) {
      if (f) file += ',';
      const Kind kind = s.fields[f].type.kind;
      const unsigned dice = rng() % 100;
      if (dice < 12) {
        const std::string& value = nasty_values()[rng() % nasty_values().size()];
        // A delimiter or line end inside would change the row's shape.
        file += value.find_first_of(",\n\r") == std::string::npos || value[0] == '"'
                    ? value
                    : "\"" + value + "\"";
      } else if (f == 0) {
        // Keys mostly rise; now and then one repeats or comes back down.
        file += std::to_string(dice < 15 ? next_id / 2 + 1 : next_id++);
      } else {
        file += plain_value(kind, rng, r);
      }
    }
    file += rng() % 50 == 0 ? "\r\n" : "\n";
  }
  return file;
}

/// Every value of every row, as text: equal tables give equal lists.
std::vector<std::string> cells(const Table& table, const SymbolTable& symbols) {
  std::vector<std::string> out;
  out.push_back("rows " + std::to_string(table.rows));
  for (std::size_t r = 0; r < table.rows; ++r)
    out.push_back("row " + std::to_string(table.file_row(r)));
  for (const Column& c : table.columns) {
    out.push_back("column " + c.name + " valid " + std::to_string(c.valid.size()) + " size " +
                  std::to_string(c.size()));
    if (c.type.is_numeric() && c.type.kind != Kind::integer)
      out.push_back("scale " + std::to_string(c.decimals.scale()) + " wide " +
                    std::to_string(c.decimals.is_wide()));
    for (std::size_t r = 0; r < table.rows; ++r) {
      std::string cell = c.is_null(r) ? "null:" : "";
      switch (c.type.kind) {
        case Kind::integer:
          cell += std::to_string(c.ints[r]);
          break;
        case Kind::decimal:
        case Kind::money:
        case Kind::percent:
          cell += c.decimals.at(r).to_string();
          break;
        case Kind::date:
          cell += c.is_null(r) ? "" : format_date(c.dates[r]);
          break;
        case Kind::list:
          for (std::uint32_t k = c.list.offsets[r]; k < c.list.offsets[r + 1]; ++k)
            cell += std::string(symbols.text(c.list.items[k])) + ";";
          break;
        default:
          cell += std::string(symbols.text(c.symbols[r]));
      }
      out.push_back(cell);
    }
  }
  return out;
}

struct Outcome {
  std::vector<std::string> table;  // cells(), or empty
  std::vector<std::string> errors;
  std::vector<std::string> bad_rows;
};

Outcome load_outcome(const SourceSchema& s, const std::string& path, LoadOptions options,
                     bool lenient) {
  Outcome outcome;
  std::vector<BadRow> bad_rows;
  if (lenient) options.bad_rows = &bad_rows;
  SymbolTable symbols;
  auto table = load_table(s, path, symbols, options);
  if (table.ok())
    outcome.table = cells(*table, symbols);
  else
    outcome.errors = rendered(table.errors());
  for (const BadRow& b : bad_rows) {
    outcome.bad_rows.push_back(std::to_string(b.row) + ":" + std::to_string(b.column) + ":" +
                               b.column_name + "|" + b.value + "|" + b.expected + "|" + b.message +
                               "|" + b.hint);
  }
  return outcome;
}

}  // namespace

TEST_CASE("fast paths on and off load the same tables and report the same errors", "[load][fast]") {
  for (unsigned seed : {1u, 2u, 3u, 4u}) {
    const std::string content = differential_file(seed, 400);
    const std::string path = write_temp_file("differential.csv", content);
    for (const bool lenient : {false, true}) {
      for (const std::string encoding : {"utf-8", "windows-1252"}) {
        for (const std::size_t buffer : {std::size_t{7}, std::size_t{1} << 20}) {
          SourceSchema s = differential_schema();
          s.encoding = encoding;
          LoadOptions options;
          options.max_errors = 100000;
          options.read_buffer_size = buffer;
          INFO("seed " << seed << ", lenient " << lenient << ", " << encoding << ", buffer "
                       << buffer);
          const Outcome fast = load_outcome(s, path, options, lenient);
          Outcome general;
          {
            FastPathsOff off;
            general = load_outcome(s, path, options, lenient);
          }
          // The files are meant to hold errors and good rows both.
          CHECK((lenient ? fast.bad_rows : fast.errors).size() > 20);
          if (lenient) CHECK(fast.table.size() > 400);
          CHECK(fast.errors == general.errors);
          CHECK(fast.bad_rows == general.bad_rows);
          CHECK(fast.table == general.table);
        }
      }
    }
  }
}

TEST_CASE("fast paths on and off agree on a clean file read in parts", "[load][fast]") {
  // Only plain values: the file is read in parts on two threads, each part
  // with its own builder, and must give what one reader gives either way.
  std::string content = "id,n,amount,close,owner,state\n";
  std::mt19937 rng(7);
  for (int r = 0; r < 3000; ++r) {
    content += std::to_string(r + 1) + "," + plain_value(Kind::integer, rng, 0) + "," +
               plain_value(Kind::money, rng, 0) + "," + plain_value(Kind::date, rng, 0) + "," +
               plain_value(Kind::payee, rng, 0) + "," + plain_value(Kind::text, rng, r) + "\n";
  }
  const std::string path = write_temp_file("parts.csv", content);
  const SourceSchema s =
      schema({key("id", Type::of(Kind::integer)), field("n", Type::of(Kind::integer)),
              field("amount", money()), field("close", Type::of(Kind::date)),
              field("owner", Type::of(Kind::payee)), field("state", text())});
  LoadOptions options;
  options.parallel_min_bytes = 1;
  options.threads = 2;
  const Outcome fast = load_outcome(s, path, options, false);
  Outcome general;
  {
    FastPathsOff off;
    general = load_outcome(s, path, LoadOptions{}, false);
  }
  CHECK(fast.errors == std::vector<std::string>{});
  CHECK(fast.table.size() > 3000);
  CHECK(fast.table == general.table);
}

TEST_CASE("fast paths on and off agree on a JSON file", "[load][fast][json]") {
  // JSON numbers reach the builder as their text, strings as their content.
  const std::vector<std::string> numbers = {
      "1", "42", "1e3", "-5", "1.50", "0.001", "-0.0", "99999999999999999999", "23799.76"};
  const std::vector<std::string> strings = {"",    " 12", "12 ",    "2026-03-09", "2026-02-30",
                                            "CA",  "ÄÖ",  "x\\ty",  "ABCDEFGHI",  "1,000",
                                            "$12", "N/A", "\\u00ff"};
  std::mt19937 rng(11);
  auto pick = [&](const std::vector<std::string>& from) { return from[rng() % from.size()]; };
  std::string json = "[\n";
  for (int r = 0; r < 300; ++r) {
    auto value = [&](const std::string& plain) {
      const unsigned dice = rng() % 100;
      if (dice < 8) return pick(numbers);
      if (dice < 16) return "\"" + pick(strings) + "\"";
      if (dice < 18) return std::string("null");
      return plain;
    };
    json += std::string(r ? ",\n" : "") + "{\"id\": " + value(std::to_string(r + 1)) +
            ", \"n\": " + value(std::to_string(rng() % 1000)) +
            ", \"amount\": " + value(std::to_string(rng() % 10000) + ".25") +
            ", \"close\": " + value("\"2026-05-1" + std::to_string(rng() % 10) + "\"") +
            ", \"owner\": " + value("\"" + std::to_string(rng() % 30) + "\"") +
            ", \"state\": " + value("\"TX\"") + "}";
  }
  json += "\n]\n";
  const std::string path = write_temp_file("differential.json", json);
  const SourceSchema s =
      schema({key("id", Type::of(Kind::integer)), field("n", Type::of(Kind::integer).as_optional()),
              field("amount", money()), field("close", Type::of(Kind::date)),
              field("owner", Type::of(Kind::payee)), field("state", text())});
  for (const bool lenient : {false, true}) {
    LoadOptions options;
    options.max_errors = 100000;
    INFO("lenient " << lenient);
    const Outcome fast = load_outcome(s, path, options, lenient);
    Outcome general;
    {
      FastPathsOff off;
      general = load_outcome(s, path, options, lenient);
    }
    CHECK((lenient ? fast.bad_rows : fast.errors).size() > 20);
    CHECK(fast.errors == general.errors);
    CHECK(fast.bad_rows == general.bad_rows);
    CHECK(fast.table == general.table);
  }
}
