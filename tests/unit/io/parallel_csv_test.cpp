// Loading a delimited file in parts on several threads must give exactly the
// table a sequential read gives — values, nulls, row numbers, symbol texts —
// and, whenever the parts could disagree (quotes, bad values, duplicate keys
// across parts), the very messages of a sequential read.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "schema_fixtures.hpp"

using namespace tally;
using namespace tally::testing;

namespace {

SourceSchema wide_schema() {
  FieldSpec tags = field("tags", Type::list_of(Type::of(Kind::text)));
  tags.separator = "|";
  FieldSpec note = field("note", Type::of(Kind::text).as_optional());
  return schema({key("id", Type::of(Kind::integer)), field("close_date", Type::of(Kind::date)),
                 field("amount", money()), field("owner", Type::of(Kind::payee)),
                 field("state", text()), tags, note});
}

/// `rows` generated rows; amounts with 0 to 3 decimals so that parts reach
/// different scales, every 7th note empty, every 50th line empty.
std::string generated(int rows, const std::string& line_end = "\n") {
  std::string text = "id,close_date,amount,owner,state,tags,note" + line_end;
  const char* states[] = {"CA", "NY", "TX", "WA", "OR"};
  for (int i = 1; i <= rows; ++i) {
    const int decimals = (i * 7) % 4;
    std::string amount = std::to_string(1000 + (i * 37) % 5000);
    if (decimals > 0) amount += "." + std::string(static_cast<std::size_t>(decimals), '5');
    text += std::to_string(i) + ",2026-" + (i % 12 < 9 ? "0" : "") + std::to_string(i % 12 + 1) +
            "-1" + std::to_string(i % 9) + "," + amount + ",rep" + std::to_string(i % 40) + "," +
            states[i % 5] + "," + (i % 3 ? "a|b" : "") + "," +
            (i % 7 ? "n" + std::to_string(i) : "") + line_end;
    if (i % 50 == 0) text += line_end;
  }
  return text;
}

LoadOptions in_parts(unsigned threads) {
  LoadOptions options;
  options.parallel_min_bytes = 1;
  options.threads = threads;
  return options;
}

LoadOptions sequential() {
  LoadOptions options;
  options.threads = 1;
  return options;
}

/// Every cell of both tables as text, with the file row: equal tables give
/// equal dumps whatever their symbol ids.
std::vector<std::string> dump(const Table& table, const SymbolTable& symbols) {
  std::vector<std::string> lines;
  for (std::size_t r = 0; r < table.rows; ++r) {
    std::string line = std::to_string(table.file_row(r));
    for (const Column& c : table.columns) {
      line += "|";
      if (c.is_null(r)) {
        line += "null";
        continue;
      }
      switch (c.type.kind) {
        case Kind::integer:
          line += std::to_string(c.ints[r]);
          break;
        case Kind::date:
          line += format_date(c.dates[r]);
          break;
        case Kind::money:
          line += c.decimals.at(r).to_string();
          break;
        case Kind::list:
          for (auto k = c.list.offsets[r]; k < c.list.offsets[r + 1]; ++k)
            line += std::string(symbols.text(c.list.items[k])) + ";";
          break;
        default:
          line += symbols.text(c.symbols[r]);
      }
    }
    lines.push_back(line);
  }
  return lines;
}

}  // namespace

TEST_CASE("a file loaded in parts equals the file loaded sequentially", "[load][csv][parallel]") {
  for (const std::string line_end : {"\n", "\r\n"}) {
    const std::string content = generated(3000, line_end);
    SymbolTable one_symbols;
    auto one = load_text(wide_schema(), "seq.csv", content, one_symbols, sequential());
    REQUIRE(one.ok());
    CHECK(one->rows == 3000);
    // Row i is on line 1 + i + (i - 1) / 50: the header, then one empty line after every 50th.
    CHECK(one->file_row(one->rows - 1) == 1 + 3000 + 59);
    for (unsigned threads : {2u, 3u, 7u}) {
      SymbolTable symbols;
      auto parts = load_text(wide_schema(), "par.csv", content, symbols, in_parts(threads));
      REQUIRE(parts.ok());
      CHECK(dump(*parts, symbols) == dump(*one, one_symbols));
      CHECK(parts->column("amount").decimals.at(2999) == one->column("amount").decimals.at(2999));
    }
  }
}

TEST_CASE("a bad value in a later part is reported as a sequential read reports it",
          "[load][csv][parallel]") {
  std::string content = generated(2000);
  const auto at = content.rfind("2026-");  // in the last row
  content.replace(at, 4, "20x6");
  SymbolTable a, b;
  auto one = load_text(wide_schema(), "bad_seq.csv", content, a, sequential());
  auto parts = load_text(wide_schema(), "bad_par.csv", content, b, in_parts(3));
  REQUIRE_FALSE(one.ok());
  REQUIRE_FALSE(parts.ok());
  CHECK(rendered(parts.errors()).front().substr(12) == rendered(one.errors()).front().substr(12));
  CHECK(rendered(parts.errors()).front().find(":2040:2:") != std::string::npos);
}

TEST_CASE("a key repeated across parts, or keys out of order, are checked as sequentially",
          "[load][csv][parallel]") {
  std::string content = generated(2000);
  // Row 1999's id becomes 5: a duplicate of row 1 of the first part.
  const auto at = content.find("\n1999,");
  content.replace(at + 1, 4, "5");
  SymbolTable a, b;
  auto parts = load_text(wide_schema(), "dup_par.csv", content, b, in_parts(2));
  REQUIRE_FALSE(parts.ok());
  CHECK(rendered(parts.errors()).front().find("duplicate key \"5\" on rows 6 and 2039") !=
        std::string::npos);
  // Ids in falling order are no duplicates.
  std::string falling = "id,close_date,amount,owner,state,tags,note\n";
  for (int i = 3000; i >= 1; --i) falling += std::to_string(i) + ",2026-01-01,1,r,CA,,\n";
  auto loaded = load_text(wide_schema(), "falling.csv", falling, a, in_parts(2));
  REQUIRE(loaded.ok());
  CHECK(loaded->rows == 3000);
  CHECK(loaded->column("id").ints.back() == 1);
}

TEST_CASE("a quoted field with a line break is read whole, wherever the file is cut",
          "[load][csv][parallel]") {
  std::string content = generated(1000);
  const auto at = content.find("\n500,");
  const auto comma = content.rfind(',', at);  // the note of row 499
  content.replace(comma + 1, at - comma - 1, "\"two\nlines\"");
  SymbolTable a, b;
  auto one = load_text(wide_schema(), "q_seq.csv", content, a, sequential());
  auto parts = load_text(wide_schema(), "q_par.csv", content, b, in_parts(4));
  REQUIRE(one.ok());
  REQUIRE(parts.ok());
  CHECK(dump(*parts, b) == dump(*one, a));
  CHECK(parts->rows == 1000);
}

TEST_CASE("a load reports the bytes read, rising, on the calling thread", "[load][csv][progress]") {
  // 140,000 rows: the sequential reader reports after 65,536 and 131,072
  // records; read in 7 parts, the loader reports as each part is joined.
  const std::string content = generated(140'000);
  const auto caller = std::this_thread::get_id();
  for (LoadOptions options : {sequential(), in_parts(7)}) {
    std::vector<std::uint64_t> reports;
    bool other_thread = false;
    options.progress = [&](std::uint64_t bytes) {
      reports.push_back(bytes);
      other_thread = other_thread || std::this_thread::get_id() != caller;
    };
    SymbolTable symbols;
    auto table = load_text(wide_schema(), "progress.csv", content, symbols, options);
    REQUIRE(table.ok());
    CHECK_FALSE(other_thread);
    REQUIRE(reports.size() >= 2);
    CHECK(std::is_sorted(reports.begin(), reports.end()));
    CHECK(reports.front() > 0);
    CHECK(reports.back() <= content.size());
    if (options.threads == 7) CHECK(reports.back() == content.size());  // the last part's end
  }
}
