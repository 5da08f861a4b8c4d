// Loading CSV files into typed columns: the schema options, null handling and
// every error message, on small hand-written files.
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
                 field("amount", money()), field("owner", Type::of(Kind::payee))});
}

}  // namespace

TEST_CASE("a CSV file loads into typed columns", "[load][csv]") {
  SymbolTable symbols;
  auto table = load_text(deals_schema(), "deals.csv",
                         "id,close_date,amount,owner,ignored\n"
                         "D1,2026-03-31,1234.50,rep-1,x\n"
                         "D2,2026-04-01,-20,rep-2,y\n",
                         symbols);
  REQUIRE(table.ok());
  CHECK(table->name == "deals");
  CHECK(table->rows == 2);
  // A header, then a record per line: row r is on file row r + 2, so the
  // table keeps no list of file rows.
  CHECK(table->file_rows.empty());
  CHECK(table->file_row(0) == 2);
  CHECK(table->file_row(1) == 3);
  REQUIRE(table->columns.size() == 4);
  CHECK(text_at(*table, symbols, "id", 1) == "D2");
  CHECK(text_at(*table, symbols, "owner", 0) == "rep-1");
  CHECK(format_date(table->column("close_date").dates[0]) == "2026-03-31");
  const auto& amount = table->column("amount").decimals;
  CHECK(amount.at(0).to_string() == "1234.50");
  CHECK(amount.at(1).to_string() == "-20.00");  // stored at the column's scale, same value
  CHECK(amount.at(1) == Decimal::from_int(-20));
  CHECK(table->column("amount").valid.empty());  // no nulls: no validity vector
  for (const Column& c : table->columns) CHECK(c.size() == 2);
}

TEST_CASE("LF, CRLF, a missing final line end and tiny buffers load the same", "[load][csv]") {
  const SourceSchema s = schema({field("a", text()), field("n", Type::of(Kind::integer))});
  for (const std::string content :
       {"a,n\nx,1\n\"y\nz\",2\n", "a,n\r\nx,1\r\n\"y\nz\",2\r\n", "a,n\nx,1\n\"y\nz\",2"}) {
    for (std::size_t buffer : {1, 3, 1 << 20}) {
      SymbolTable symbols;
      LoadOptions options;
      options.read_buffer_size = buffer;
      auto table = load_text(s, "t.csv", content, symbols, options);
      REQUIRE(table.ok());
      CHECK(table->rows == 2);
      CHECK(table->column("n").ints == std::vector<std::int64_t>{1, 2});
      CHECK(text_at(*table, symbols, "a", 1) == "y\nz");
      CHECK((table->file_row(0) == 2 && table->file_row(1) == 3));
    }
  }
}

TEST_CASE("header matching: exact, then ignoring case, BOM and spaces; extra columns ignored",
          "[load][csv]") {
  SymbolTable symbols;
  FieldSpec order_date = field("order_date", Type::of(Kind::date));
  order_date.from = "Order Date";
  order_date.format = "M/D/YYYY";
  const SourceSchema s = schema({field("region", text()), order_date});
  auto table = load_text(s, "bom.csv",
                         "\xEF\xBB\xBFRegion, order date ,Other\r\nWest,9/7/2012,1\r\n", symbols);
  REQUIRE(table.ok());
  CHECK(text_at(*table, symbols, "region", 0) == "West");
  CHECK(format_date(table->column("order_date").dates[0]) == "2012-09-07");

  // An exact match wins over a case-insensitive one, wherever it is.
  SymbolTable symbols2;
  auto exact = load_text(schema({field("name", text())}), "two.csv", "NAME,name\nA,b\n", symbols2);
  REQUIRE(exact.ok());
  CHECK(text_at(*exact, symbols2, "name", 0) == "b");
}

TEST_CASE("empty fields are null in optional columns", "[load][csv]") {
  SymbolTable symbols;
  const SourceSchema s = schema({key("id", text()), field("account", text().as_optional()),
                                 field("close", Type::of(Kind::date).as_optional()),
                                 field("value", Type::of(Kind::integer).as_optional())});
  auto table =
      load_text(s, "p.csv", "id,account,close,value\nA,,,\nB,Acme,2017-03-01,0\nC, ,,5\n", symbols);
  REQUIRE(table.ok());
  const Column& account = table->column("account");
  CHECK(account.valid == std::vector<std::uint8_t>{0, 1, 0});  // spaces only: empty too
  CHECK(account.is_null(0));
  CHECK_FALSE(account.is_null(1));
  CHECK(table->column("close").valid == std::vector<std::uint8_t>{0, 1, 0});
  CHECK(table->column("value").valid == std::vector<std::uint8_t>{0, 1, 1});
  CHECK(table->column("value").ints == std::vector<std::int64_t>{0, 0, 5});
  CHECK(table->column("id").valid.empty());
}

TEST_CASE("sentinel null tokens", "[load][csv]") {
  SymbolTable symbols;
  FieldSpec rep = field("rep", Type::of(Kind::integer).as_optional());
  rep.nulls = {"NULL"};
  FieldSpec territory = field("territory", text());  // "NA" is a real value here
  const SourceSchema s = schema({rep, territory});
  auto table = load_text(s, "n.csv", "rep,territory\nNULL,NA\n1370,EMEA\n", symbols);
  REQUIRE(table.ok());
  CHECK(table->column("rep").valid == std::vector<std::uint8_t>{0, 1});
  CHECK(table->column("rep").ints[1] == 1370);
  CHECK(text_at(*table, symbols, "territory", 0) == "NA");
}

TEST_CASE("trim strips spaces from text; numbers and dates always ignore them", "[load][csv]") {
  SymbolTable symbols;
  FieldSpec trimmed = field("trimmed", text());
  trimmed.trim = true;
  const SourceSchema s =
      schema({trimmed, field("kept", text()), field("n", Type::of(Kind::decimal))});
  auto table = load_text(s, "t.csv", "trimmed,kept,n\n\"Norway  \",\"Carine \", 1.5 \n", symbols);
  REQUIRE(table.ok());
  CHECK(text_at(*table, symbols, "trimmed", 0) == "Norway");
  CHECK(text_at(*table, symbols, "kept", 0) == "Carine ");
  CHECK(table->column("n").decimals.at(0).to_string() == "1.5");
}

TEST_CASE("list<text> fields split on their separator", "[load][csv]") {
  SymbolTable symbols;
  FieldSpec states = field("states", Type::list_of(text()));
  states.separator = "|";
  const SourceSchema s = schema({field("id", text()), states});
  auto table = load_text(s, "l.csv", "id,states\nW,CA|OR|WA\nE,NY\nX,\n", symbols);
  REQUIRE(table.ok());
  const ListColumn& list = table->column("states").list;
  CHECK(list.offsets == std::vector<std::uint32_t>{0, 3, 4, 4});
  REQUIRE(list.items.size() == 4);
  CHECK(symbols.text(list.items[2]) == "WA");
  CHECK(symbols.text(list.items[3]) == "NY");
}

TEST_CASE("booleans, percents and periods", "[load][csv]") {
  SymbolTable symbols;
  const SourceSchema s =
      schema({field("won", Type::of(Kind::boolean)), field("rate", Type::of(Kind::percent)),
              field("quarter", Type::of(Kind::period))});
  auto table =
      load_text(s, "b.csv", "won,rate,quarter\nyes,20%,2026-Q1\nFALSE,0.085,2026-Q4\n", symbols);
  REQUIRE(table.ok());
  CHECK(table->column("won").bools == std::vector<std::uint8_t>{1, 0});
  CHECK(table->column("rate").decimals.at(0).to_string() == "0.200");
  CHECK(table->column("rate").decimals.at(0) == Decimal::from_units(2, 1));
  CHECK(table->column("rate").decimals.at(1).to_string() == "0.085");
  CHECK(table->column("quarter").periods[1] == Period{2026, 4, Grain::quarter});
}

TEST_CASE("files without a header read fields by position or declaration order", "[load][csv]") {
  SymbolTable symbols;
  FieldSpec amount = field("amount", Type::of(Kind::decimal));
  amount.position = 3;
  FieldSpec id = field("id", Type::of(Kind::integer));
  id.position = 1;
  SourceSchema s = schema({amount, id});
  s.header = false;
  auto table = load_text(s, "h.txt", "10100,\"S18_1749\",136.0\n10101,\"x\",55.09\n", symbols);
  REQUIRE(table.ok());
  CHECK(table->column("id").ints == std::vector<std::int64_t>{10100, 10101});
  CHECK(table->column("amount").decimals.at(0).to_string() == "136.00");
  CHECK(table->file_rows == std::vector<std::uint32_t>{1, 2});  // no header: first row is 1

  SymbolTable symbols2;
  SourceSchema ordered = schema({field("a", text()), field("b", text())});
  ordered.header = false;
  auto by_order = load_text(ordered, "o.csv", "x,y,z\n", symbols2);
  REQUIRE(by_order.ok());
  CHECK(text_at(*by_order, symbols2, "b", 0) == "y");
}

TEST_CASE("a .tsv file is tab separated; other delimiters come from the schema", "[load][csv]") {
  SymbolTable symbols;
  auto tsv = load_text(schema({field("a", text()), field("b", text())}), "t.tsv", "a\tb\n1,5\t2\n",
                       symbols);
  REQUIRE(tsv.ok());
  CHECK(text_at(*tsv, symbols, "a", 0) == "1,5");
  SourceSchema semicolons = schema({field("a", text()), field("b", text())});
  semicolons.delimiter = ';';
  auto semi = load_text(semicolons, "s.csv", "a;b\n1,5;2\n", symbols);
  REQUIRE(semi.ok());
  CHECK(text_at(*semi, symbols, "b", 0) == "2");
}

TEST_CASE("header only, and empty files", "[load][csv]") {
  SymbolTable symbols;
  auto header_only = load_text(deals_schema(), "h.csv", "id,close_date,amount,owner\r\n", symbols);
  REQUIRE(header_only.ok());
  CHECK(header_only->rows == 0);
  CHECK(header_only->columns.size() == 4);

  CHECK(load_errors(deals_schema(), "empty.csv", "") ==
        Messages{"empty.csv:0:0: the file is empty; expected a header line naming the columns id, "
                 "close_date, amount, owner"});

  SourceSchema no_header = deals_schema();
  no_header.header = false;
  auto empty = load_text(no_header, "empty.txt", "", symbols);
  REQUIRE(empty.ok());
  CHECK(empty->rows == 0);
}

TEST_CASE("Windows-1252 files are transcoded to UTF-8", "[load][csv]") {
  SymbolTable symbols;
  SourceSchema s = schema({field("street", text()), field("note", text())});
  s.encoding = "windows-1252";
  auto table = load_text(s, "w.csv", "street,note\nBerguvsv\xE4gen 8,1980\x92s\n", symbols);
  REQUIRE(table.ok());
  CHECK(text_at(*table, symbols, "street", 0) == "Berguvsv\xC3\xA4gen 8");
  CHECK(text_at(*table, symbols, "note", 0) == "1980\xE2\x80\x99s");
}

// --- errors ---------------------------------------------------------------

TEST_CASE("error: a bad value names file, row, column, value and the expected type",
          "[load][errors]") {
  CHECK(load_errors(deals_schema(), "deals.csv",
                    "id,close_date,amount,owner\n"
                    "D1,2026-03-31,1234.50,r\n"
                    "D2,2026-03-31,12x,r\n") ==
        Messages{"deals.csv:3:3: column \"amount\": expected money like 1234.50, found \"12x\""});
}

TEST_CASE("error: a date in the wrong format names the format", "[load][errors]") {
  FieldSpec date = field("close", Type::of(Kind::date));
  date.format = "M/D/YYYY";
  CHECK(load_errors(schema({date}), "d.csv", "close\n9/7/2012\n2017-13-01\n") ==
        Messages{"d.csv:3:1: column \"close\": expected a date in the format M/D/YYYY, found "
                 "\"2017-13-01\""});
  CHECK(load_errors(schema({field("close", Type::of(Kind::date))}), "d.csv", "close\n9/7/2012\n") ==
        Messages{"d.csv:2:1: column \"close\": expected a date in the format YYYY-MM-DD, found "
                 "\"9/7/2012\" [to read other date layouts, give the column a format, e.g. format "
                 "\"M/D/YYYY\"]"});
}

TEST_CASE("error: messages name the column as the file spells it", "[load][errors]") {
  FieldSpec amount = field("amount", money());
  amount.from = "Sales";
  CHECK(load_errors(schema({amount}), "s.csv", "SALES\n$262\n") ==
        Messages{"s.csv:2:1: column \"SALES\": expected money like 1234.50, found \"$262\" [to "
                 "read formatted amounts, give the column a format, e.g. format \"$#,##0.00\"]"});
}

TEST_CASE("error: other bad values", "[load][errors]") {
  const SourceSchema s =
      schema({field("n", Type::of(Kind::integer)), field("b", Type::of(Kind::boolean)),
              field("p", Type::of(Kind::percent)), field("d", Type::of(Kind::decimal))});
  CHECK(load_errors(s, "v.csv", "n,b,p,d\n1370.5,maybe,x%,1,5\n") ==
        Messages{"v.csv:2:0: row has 5 fields, expected 4 as the header has [a field that "
                 "contains the delimiter must be quoted: \"a, b\"]"});
  CHECK(load_errors(s, "v.csv", "n,b,p,d\n1370.5,maybe,x%,\"1,5\"\n") ==
        Messages{"v.csv:2:1: column \"n\": expected an integer like 42, found \"1370.5\"",
                 "v.csv:2:2: column \"b\": expected true or false (or yes/no, 1/0), found "
                 "\"maybe\"",
                 "v.csv:2:3: column \"p\": expected a percent like 20% or 0.2, found \"x%\"",
                 "v.csv:2:4: column \"d\": expected a decimal number like 1234.5, found \"1,5\" "
                 "[to read formatted amounts, give the column a format, e.g. format "
                 "\"$#,##0.00\"]"});
}

TEST_CASE("error: an empty field in a required column", "[load][errors]") {
  CHECK(
      load_errors(deals_schema(), "deals.csv", "id,close_date,amount,owner\nD1,2026-03-31,,r\n") ==
      Messages{"deals.csv:2:3: column \"amount\": a value is required, found an empty field "
               "[declare the field as \"money (USD)?\" if values may be missing]"});
  FieldSpec rep = field("rep", Type::of(Kind::integer));
  rep.nulls = {"NULL"};
  CHECK(load_errors(schema({rep}), "n.csv", "rep\nNULL\n") ==
        Messages{"n.csv:2:1: column \"rep\": a value is required, found \"NULL\" (one of its null "
                 "values) [declare the field as \"int?\" if values may be missing]"});
}

TEST_CASE("error: a key is never null, even in an optional column", "[load][errors]") {
  CHECK(load_errors(schema({key("id", text().as_optional())}), "k.csv", "id\nA\n\n\"\"\n") ==
        Messages{"k.csv:4:1: column \"id\": a key needs a value, found an empty field"});
}

TEST_CASE("error: a missing file", "[load][errors]") {
  SymbolTable symbols;
  auto result = load_table(deals_schema(), "no/such/deals.csv", symbols);
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.errors().size() == 1);
  CHECK(result.errors()[0].where.file == "no/such/deals.csv");
  CHECK(result.errors()[0].message == "cannot open no/such/deals.csv: No such file or directory");
}

TEST_CASE("error: unknown file types and encodings", "[load][errors]") {
  SymbolTable symbols;
  auto xlsx = load_table(deals_schema(), "deals.xlsx", symbols);
  REQUIRE_FALSE(xlsx.ok());
  CHECK(xlsx.errors()[0].message ==
        "cannot read deals.xlsx: unknown file type \".xlsx\"; expected .csv, .tsv, .txt or .json");
  SourceSchema latin = deals_schema();
  latin.encoding = "latin-9";
  auto encoding = load_table(latin, "deals.csv", symbols);
  REQUIRE_FALSE(encoding.ok());
  CHECK(encoding.errors()[0].message == "unknown encoding \"latin-9\"");
  CHECK(encoding.errors()[0].hint == "use \"utf-8\" or \"windows-1252\"");
}

TEST_CASE("error: a required column missing from the header", "[load][errors]") {
  CHECK(load_errors(deals_schema(), "deals.csv", "id,close_date,amnt,owner\nD1,2026-03-31,1,r\n") ==
        Messages{"deals.csv:1:0: column \"amount\" is missing from the header; the header has: id, "
                 "close_date, amnt, owner [did you mean \"amnt\"? (write `from \"amnt\"` to read "
                 "it)]"});
  FieldSpec sales = field("sales", money());
  sales.from = "Sales";
  CHECK(load_errors(schema({sales}), "l.csv", "Discount,Quantity\n0,1\n") ==
        Messages{"l.csv:1:0: column \"Sales\" (for field \"sales\") is missing from the header; "
                 "the header has: Discount, Quantity"});
}

TEST_CASE("an optional column missing from the header loads as nulls", "[load][csv]") {
  SymbolTable symbols;
  auto table = load_text(
      schema({field("a", text()), field("cancelled", Type::of(Kind::date).as_optional())}), "o.csv",
      "a\nx\ny\n", symbols);
  REQUIRE(table.ok());
  CHECK(table->column("cancelled").valid == std::vector<std::uint8_t>{0, 0});
}

TEST_CASE("error: a row with the wrong number of fields", "[load][errors]") {
  CHECK(load_errors(deals_schema(), "deals.csv",
                    "id,close_date,amount,owner\nD1,2026-03-31,1\nD2,2026-03-31,1,r\n") ==
        Messages{"deals.csv:2:0: row has 3 fields, expected 4 as the header has"});
  SourceSchema no_header = schema({field("a", text()), field("b", text())});
  no_header.header = false;
  CHECK(load_errors(no_header, "n.txt", "x\n") ==
        Messages{"n.txt:1:0: row has 1 field, but the schema needs at least 2 (the file has no "
                 "header: fields are read by position)"});
  CHECK(load_errors(no_header, "n.txt", "x,y,z\nx,y\n") ==
        Messages{"n.txt:2:0: row has 2 fields, expected 3 as the first row has"});
}

TEST_CASE("error: an unterminated quote names the row where it started", "[load][errors]") {
  CHECK(load_errors(deals_schema(), "deals.csv",
                    "id,close_date,amount,owner\nD1,2026-03-31,1,\"rep\nD2,2026-03-31,1,r\n") ==
        Messages{"deals.csv:2:4: unterminated quoted field: the quote opened on row 2 is never "
                 "closed"});
}

TEST_CASE("error: duplicate keys name both rows", "[load][errors]") {
  CHECK(load_errors(deals_schema(), "deals.csv",
                    "id,close_date,amount,owner\n"
                    "D1,2026-03-31,1,r\n"
                    "\"multi\nline\",2026-03-31,1,r\n"
                    "D1,2026-03-31,1,r\n") ==
        Messages{"deals.csv:4:1: column \"id\": duplicate key \"D1\" on rows 2 and 4"});
  CHECK(load_errors(schema({key("n", Type::of(Kind::integer))}), "k.csv", "n\n7\n8\n7.0\n") ==
        Messages{"k.csv:4:1: column \"n\": duplicate key \"7.0\" on rows 2 and 4"});
  CHECK(load_errors(schema({key("x", Type::of(Kind::decimal))}), "k.csv", "x\n1.5\n1.50\n") ==
        Messages{"k.csv:3:1: column \"x\": duplicate key \"1.50\" on rows 2 and 3"});
}

TEST_CASE("error: invalid UTF-8 in a UTF-8 file", "[load][errors]") {
  CHECK(load_errors(schema({field("street", text())}), "u.csv", "street\nBerguvsv\xE4gen 8\n") ==
        Messages{"u.csv:2:1: column \"street\": invalid UTF-8 (byte 9) in \"Berguvsv\\xE4gen 8\" "
                 "[if the file is in Windows-1252, declare encoding \"windows-1252\"]"});
}

TEST_CASE("error: options that do not fit the field", "[load][errors]") {
  FieldSpec date = field("close", Type::of(Kind::date));
  date.format = "M/YYYY";
  CHECK(load_errors(schema({date}), "d.csv", "close\n") ==
        Messages{"d.csv:0:0: field \"close\": date format \"M/YYYY\" is not valid: it needs one "
                 "year (YYYY or YY), one month (M or MM) and one day (D or DD)"});
}

TEST_CASE("errors stop being collected at max_errors", "[load][errors]") {
  std::string content = "n\n";
  for (int i = 0; i < 30; ++i) content.append("x").append(std::to_string(i)).append("\n");
  LoadOptions options;
  options.max_errors = 3;
  const Messages errors =
      load_errors(schema({field("n", Type::of(Kind::integer))}), "m.csv", content, options);
  CHECK(errors == Messages{"m.csv:2:1: column \"n\": expected an integer like 42, found \"x0\"",
                           "m.csv:3:1: column \"n\": expected an integer like 42, found \"x1\"",
                           "m.csv:4:1: column \"n\": expected an integer like 42, found \"x2\"",
                           "m.csv:0:0: and 27 more errors"});
}

TEST_CASE("rows keep being checked after a syntax error", "[load][errors]") {
  CHECK(load_errors(schema({field("a", text()), field("n", Type::of(Kind::integer))}), "s.csv",
                    "a,n\n\"x\"y,1\nz,q\n") ==
        Messages{"s.csv:2:1: unexpected 'y' after the closing quote of a quoted field (a quote "
                 "inside a quoted field must be doubled: \"\")",
                 "s.csv:3:2: column \"n\": expected an integer like 42, found \"q\""});
}

TEST_CASE("many distinct text values intern consistently", "[load][csv]") {
  std::string content = "name\n";
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < 1000; ++i) content.append("v").append(std::to_string(i)).append("\n");
  }
  SymbolTable symbols;
  auto table = load_text(schema({field("name", text())}), "many.csv", content, symbols);
  REQUIRE(table.ok());
  REQUIRE(table->rows == 2000);
  const auto& ids = table->column("name").symbols;
  for (std::size_t r = 0; r < 1000; ++r) {
    REQUIRE(ids[r] == ids[r + 1000]);
    REQUIRE(symbols.text(ids[r]) == "v" + std::to_string(r));
  }
  CHECK(symbols.size() == 1000);
}
