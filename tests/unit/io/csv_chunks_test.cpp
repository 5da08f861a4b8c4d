// CsvChunkReader (the streaming mode's reader): the chunks of a file, one
// after the other, hold exactly the rows a whole load gives — values, nulls,
// texts, file row numbers — whether the next chunk is read ahead on a second
// thread or not; and a bad value in the last chunk is the error a whole load
// reports, at the same row and column.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "io/csv_chunks.hpp"
#include "schema_fixtures.hpp"

using namespace tally;
using namespace tally::testing;

namespace {

SourceSchema deal_schema() {
  FieldSpec tags = field("tags", Type::list_of(Type::of(Kind::text)));
  tags.separator = "|";
  return schema({key("id", Type::of(Kind::integer)), field("amount", money()),
                 field("owner", Type::of(Kind::payee)), tags,
                 field("note", Type::of(Kind::text).as_optional())});
}

/// `rows` rows, every 7th note empty and every 50th line empty (so that file
/// rows and record numbers part ways).
std::string generated(int rows) {
  std::string text = "id,amount,owner,tags,note\n";
  for (int i = 1; i <= rows; ++i) {
    text += std::to_string(i) + "," + std::to_string(100 + (i * 37) % 5000) + "." +
            std::to_string(10 + i % 90) + ",rep" + std::to_string(i % 40) + "," +
            (i % 3 ? "a|b" : "c") + "," + (i % 7 ? "n" + std::to_string(i % 11) : "") + "\n";
    if (i % 50 == 0) text += "\n";
  }
  return text;
}

/// Each row as text with its file row, whatever the symbol ids.
void dump(const Table& table, const SymbolTable& symbols, std::vector<std::string>& lines) {
  for (std::size_t r = 0; r < table.rows; ++r) {
    std::string line = std::to_string(table.file_row(r));
    for (const Column& c : table.columns) {
      line += "|";
      if (c.is_null(r)) {
        line += "null";
      } else if (c.type.kind == Kind::integer) {
        line += std::to_string(c.ints[r]);
      } else if (c.type.kind == Kind::money) {
        line += c.decimals.at(r).to_string();
      } else if (c.type.kind == Kind::list) {
        for (auto k = c.list.offsets[r]; k < c.list.offsets[r + 1]; ++k)
          line += std::string(symbols.text(c.list.items[k])) + ";";
      } else {
        line += symbols.text(c.symbols[r]);
      }
    }
    lines.push_back(line);
  }
}

}  // namespace

TEST_CASE("the chunks of a file hold the rows of the whole file", "[load][csv][chunks]") {
  const std::string content = generated(1'000);
  const std::string path = write_temp_file("chunks.csv", content);
  SymbolTable whole_symbols;
  auto whole = load_table(deal_schema(), path, whole_symbols);
  REQUIRE(whole.ok());
  std::vector<std::string> expected;
  dump(whole.value(), whole_symbols, expected);
  REQUIRE(expected.size() == 1'000);
  for (bool ahead : {false, true}) {
    for (std::size_t rows : {std::size_t{1}, std::size_t{7}, std::size_t{333}, std::size_t{1'000},
                             std::size_t{5'000}}) {
      INFO("read ahead " << ahead << ", chunks of " << rows);
      SymbolTable symbols;
      LoadOptions options;
      auto reader = CsvChunkReader::open(deal_schema(), path, symbols, options, ahead);
      REQUIRE(reader.ok());
      std::vector<std::string> got;
      std::size_t chunks = 0;
      while (!reader.value()->done()) {
        auto chunk = reader.value()->next(rows);
        REQUIRE(chunk.ok());
        CHECK(chunk.value().rows <= rows);
        if (chunk.value().rows > 0) ++chunks;
        dump(chunk.value(), symbols, got);
      }
      CHECK(got == expected);
      CHECK(chunks == (1'000 + rows - 1) / rows);
    }
  }
}

TEST_CASE("a bad value in the last chunk is the whole load's error", "[load][csv][chunks]") {
  std::string content = generated(400);
  // The last record's amount: row 408 (a header, 399 records and the 7 empty
  // lines after records 50, 100, ..., 350 come before it).
  const std::size_t last = content.rfind("\n400,");
  content.replace(content.find(',', last) + 1, 0, "x");
  const std::string path = write_temp_file("chunks_bad.csv", content);
  SymbolTable whole_symbols;
  auto whole = load_table(deal_schema(), path, whole_symbols);
  REQUIRE_FALSE(whole.ok());
  const auto expected = rendered(whole.errors());
  REQUIRE(expected.size() == 1);
  CHECK(expected[0].rfind("chunks_bad.csv:408:2: ", 0) == 0);
  for (bool ahead : {false, true}) {
    SymbolTable symbols;
    LoadOptions options;
    auto reader = CsvChunkReader::open(deal_schema(), path, symbols, options, ahead);
    REQUIRE(reader.ok());
    std::size_t good_chunks = 0;
    for (;;) {
      auto chunk = reader.value()->next(64);
      if (!chunk.ok()) {
        CHECK(rendered(chunk.errors()) == expected);
        break;
      }
      ++good_chunks;
      REQUIRE_FALSE(reader.value()->done());
    }
    CHECK(good_chunks == 6);  // rows 1..384 are fine; 385..400 hold the bad one
  }
}

TEST_CASE("under --lenient each chunk gives its bad rows", "[load][csv][chunks]") {
  std::string content = generated(100);
  content.replace(content.find("\n90,") + 4, 0, "x");  // record 90: row 92
  const std::string path = write_temp_file("chunks_lenient.csv", content);
  for (bool ahead : {false, true}) {
    SymbolTable symbols;
    std::vector<BadRow> unused;
    LoadOptions options;
    options.bad_rows = &unused;
    // Under --lenient a file is not parsed in pieces, whatever the threads.
    auto reader = CsvChunkReader::open(deal_schema(), path, symbols, options, ahead, 2);
    REQUIRE(reader.ok());
    std::vector<int> bad;
    std::size_t rows = 0;
    while (!reader.value()->done()) {
      auto chunk = reader.value()->next(30);
      REQUIRE(chunk.ok());
      rows += chunk.value().rows;
      for (const BadRow& row : reader.value()->take_bad_rows()) bad.push_back(row.row);
    }
    CHECK(rows == 99);
    CHECK(bad == std::vector<int>{92});
    CHECK(unused.empty());
    CHECK(reader.value()->pieces_read() == 0);
  }
}

TEST_CASE("a JSON file cannot be read in chunks", "[load][chunks]") {
  SymbolTable symbols;
  LoadOptions options;
  const std::string path = write_temp_file("chunks.json", "[]");
  CHECK_FALSE(can_read_in_chunks(path));
  auto reader = CsvChunkReader::open(deal_schema(), path, symbols, options);
  REQUIRE_FALSE(reader.ok());
  CHECK(reader.errors()[0].message.find("cannot read") == 0);
}

namespace {

/// Every row of `path` read in chunks of about `rows` rows parsed in pieces
/// on `threads` threads; `pieces` counts the chunks that were pieces.
std::vector<std::string> rows_in_pieces(const std::string& path, std::size_t rows, unsigned threads,
                                        std::size_t& pieces) {
  SymbolTable symbols;
  LoadOptions options;
  auto reader = CsvChunkReader::open(deal_schema(), path, symbols, options, true, threads);
  REQUIRE(reader.ok());
  std::vector<std::string> got;
  while (!reader.value()->done()) {
    auto chunk = reader.value()->next(rows);
    REQUIRE(chunk.ok());
    dump(chunk.value(), symbols, got);
  }
  pieces = reader.value()->pieces_read();
  return got;
}

std::vector<std::string> whole_rows(const std::string& path) {
  SymbolTable symbols;
  auto whole = load_table(deal_schema(), path, symbols);
  REQUIRE(whole.ok());
  std::vector<std::string> rows;
  dump(whole.value(), symbols, rows);
  return rows;
}

}  // namespace

TEST_CASE("chunks parsed in pieces on several threads hold the rows of the whole file",
          "[load][csv][chunks][threads]") {
  const std::string path = write_temp_file("pieces.csv", generated(1'000));
  const std::vector<std::string> expected = whole_rows(path);
  REQUIRE(expected.size() == 1'000);
  for (unsigned threads : {2u, 3u}) {
    for (std::size_t rows :
         {std::size_t{1}, std::size_t{7}, std::size_t{333}, std::size_t{5'000}}) {
      INFO("threads " << threads << ", chunks of about " << rows);
      std::size_t pieces = 0;
      CHECK(rows_in_pieces(path, rows, threads, pieces) == expected);
      // The file (the 20 empty lines included) is about 1,020 lines long.
      if (rows <= 333)
        CHECK(pieces >= 1'020 / (2 * rows));
      else
        CHECK(pieces == 1);
    }
  }
}

TEST_CASE("a quoted field in a later piece: the rest is read sequentially, rows unchanged",
          "[load][csv][chunks][threads]") {
  std::string content = generated(1'000);
  // Record 600's note becomes a quoted field holding a line break, which a
  // piece starting at that break would misread.
  const std::size_t at = content.find("\n600,");
  const std::size_t note = content.rfind(',', content.find('\n', at + 1)) + 1;
  content.replace(note, content.find('\n', at + 1) - note, "\"two\nlines\"");
  const std::string path = write_temp_file("pieces_quote.csv", content);
  const std::vector<std::string> expected = whole_rows(path);
  REQUIRE(expected.size() == 1'000);
  std::size_t pieces = 0;
  CHECK(rows_in_pieces(path, 50, 2, pieces) == expected);
  CHECK(pieces >= 5);   // the pieces before record 600
  CHECK(pieces <= 13);  // and none after
}

TEST_CASE("parsed in pieces, a bad value is the whole load's error",
          "[load][csv][chunks][threads]") {
  for (const char* record : {"\n3,", "\n400,"}) {
    INFO("bad amount in record " << record + 1);
    std::string content = generated(400);
    const std::size_t at = content.rfind(record);
    content.replace(content.find(',', at + 1) + 1, 0, "x");
    const std::string path = write_temp_file("pieces_bad.csv", content);
    SymbolTable whole_symbols;
    auto whole = load_table(deal_schema(), path, whole_symbols);
    REQUIRE_FALSE(whole.ok());
    const auto expected = rendered(whole.errors());
    REQUIRE(expected.size() == 1);
    // Record 3 is on row 4; record 400 on row 408 (see above).
    CHECK(expected[0].rfind(
              std::string("pieces_bad.csv:") + (record[1] == '3' ? "4" : "408") + ":2: ", 0) == 0);
    SymbolTable symbols;
    LoadOptions options;
    auto reader = CsvChunkReader::open(deal_schema(), path, symbols, options, true, 2);
    REQUIRE(reader.ok());
    bool failed = false;
    while (!reader.value()->done()) {
      auto chunk = reader.value()->next(64);
      if (!chunk.ok()) {
        CHECK(rendered(chunk.errors()) == expected);
        failed = true;
        break;
      }
    }
    CHECK(failed);
  }
}

TEST_CASE("parsed in pieces, a load told to stop stops", "[load][csv][chunks][threads]") {
  const std::string path = write_temp_file("pieces_stop.csv", generated(1'000));
  SymbolTable symbols;
  LoadOptions options;
  options.keep_going = [](std::uint64_t) { return false; };
  auto reader = CsvChunkReader::open(deal_schema(), path, symbols, options, true, 2);
  REQUIRE(reader.ok());
  auto chunk = reader.value()->next(5'000);  // one piece: its columns are sized, asking first
  REQUIRE_FALSE(chunk.ok());
  CHECK(chunk.errors()[0].message.find("was stopped before its end") != std::string::npos);
  CHECK(reader.value()->done());
}
