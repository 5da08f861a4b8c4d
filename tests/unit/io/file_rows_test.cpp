// The file rows a table keeps, now that a whole-file load writes none while
// each record is on its own line after the header: the row numbers of
// messages and of Table::file_row must not change.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "schema_fixtures.hpp"

using namespace tally;
using namespace tally::testing;
using Messages = std::vector<std::string>;

namespace {

std::vector<std::uint32_t> file_rows(const Table& table) {
  std::vector<std::uint32_t> rows;
  for (std::size_t r = 0; r < table.rows; ++r) rows.push_back(table.file_row(r));
  return rows;
}

const SourceSchema& ids_schema() {
  static const SourceSchema s =
      schema({key("id", Type::of(Kind::integer)), field("amount", money())});
  return s;
}

}  // namespace

TEST_CASE("a record per line keeps no list of file rows", "[load][rows]") {
  SymbolTable symbols;
  auto table = load_text(ids_schema(), "plain.csv", "id,amount\n1,1.00\n2,2.00\n3,3.00\n", symbols);
  REQUIRE(table.ok());
  CHECK(table->file_rows.empty());
  CHECK(file_rows(*table) == std::vector<std::uint32_t>{2, 3, 4});
}

TEST_CASE("a blank line or a record over two lines writes the rows out", "[load][rows]") {
  SymbolTable symbols;
  auto table = load_text(schema({field("id", Type::of(Kind::integer)), field("note", text())}),
                         "gaps.csv", "id,note\n1,a\n2,b\n\n3,\"two\nlines\"\n4,d\n", symbols);
  REQUIRE(table.ok());
  // A record over two lines is one row, as a spreadsheet shows it.
  CHECK(file_rows(*table) == std::vector<std::uint32_t>{2, 3, 5, 6});
}

TEST_CASE("a duplicate key names the row of the first one, implicit or not", "[load][rows]") {
  CHECK(load_errors(ids_schema(), "dup.csv", "id,amount\n1,1.00\n2,2.00\n\n1,3.00\n2,4.00\n") ==
        Messages{"dup.csv:5:1: column \"id\": duplicate key \"1\" on rows 2 and 5",
                 "dup.csv:6:1: column \"id\": duplicate key \"2\" on rows 3 and 6"});
}

TEST_CASE("rows left out under --lenient keep the others' file rows", "[load][rows]") {
  SymbolTable symbols;
  std::vector<BadRow> bad;
  LoadOptions options;
  options.bad_rows = &bad;
  auto table = load_text(ids_schema(), "lenient.csv",
                         "id,amount\n1,1.00\n2,oops\n3,3.00\n\n4,x\n5,5.00\n", symbols, options);
  REQUIRE(table.ok());
  CHECK(table->column("id").ints == std::vector<std::int64_t>{1, 3, 5});
  CHECK(file_rows(*table) == std::vector<std::uint32_t>{2, 4, 7});
  REQUIRE(bad.size() == 2);
  CHECK(bad[0].row == 3);
  CHECK(bad[1].row == 6);
}
