#include "io/csv_reader.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "temp_file.hpp"

namespace {

struct Row {
  int row;
  std::vector<std::string> fields;
  bool operator==(const Row&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Row& row) {
  out << row.row << ":";
  for (const auto& f : row.fields) out << " [" << f << "]";
  return out;
}

struct Split {
  std::vector<Row> rows;
  std::vector<tally::CsvSyntaxError> errors;
};

Split split(const std::string& content, std::size_t buffer_size = 1 << 20, char delimiter = ',') {
  const std::string path = tally::testing::write_temp_file("reader.csv", content);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  REQUIRE(file);
  tally::CsvReader reader(file.get(), tally::CsvOptions{delimiter, true, buffer_size});
  tally::CsvRecord record;
  tally::CsvSyntaxError error;
  Split out;
  for (;;) {
    const auto status = reader.next(record, error);
    if (status == tally::CsvReader::Status::end) break;
    if (status == tally::CsvReader::Status::error) {
      out.errors.push_back(error);
      continue;
    }
    Row row{record.row(), {}};
    for (std::size_t i = 0; i < record.size(); ++i) row.fields.emplace_back(record.field(i));
    out.rows.push_back(row);
  }
  return out;
}

using Rows = std::vector<Row>;

}  // namespace

TEST_CASE("csv reader: LF, CRLF and no final line end give the same records", "[csv]") {
  const Rows expected{{1, {"a", "b"}}, {2, {"1", "2"}}};
  CHECK(split("a,b\n1,2\n").rows == expected);
  CHECK(split("a,b\r\n1,2\r\n").rows == expected);
  CHECK(split("a,b\r\n1,2").rows == expected);
  CHECK(split("a,b\r1,2\r").rows == expected);  // old Mac line ends
}

TEST_CASE("csv reader: quoted fields keep commas, doubled quotes and line breaks", "[csv]") {
  const std::string text = "id,note\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,x\n";
  const Rows expected{{1, {"id", "note"}},
                      {2, {"1", "a, b"}},
                      {3, {"2", "say \"hi\""}},
                      {4, {"3", "two\nlines"}},  // one record spanning two lines is one row
                      {5, {"4", "x"}}};
  CHECK(split(text).rows == expected);
  // Every buffer size, down to one byte, splits records the same way.
  for (std::size_t size : {1, 2, 3, 5, 7, 16}) {
    INFO("buffer size " << size);
    CHECK(split(text, size).rows == expected);
  }
}

TEST_CASE("csv reader: CRLF inside a quoted field is kept, and counts as one line", "[csv]") {
  const auto out = split("a\r\n\"x\r\ny\"\r\nz\r\n", 2);
  const Rows expected{{1, {"a"}}, {2, {"x\r\ny"}}, {3, {"z"}}};
  CHECK(out.rows == expected);
}

TEST_CASE("csv reader: empty fields, empty lines and empty files", "[csv]") {
  CHECK(split("a,,c\n,,\n").rows == Rows{{1, {"a", "", "c"}}, {2, {"", "", ""}}});
  CHECK(split("\"\",x\n").rows == Rows{{1, {"", "x"}}});
  // Empty lines yield no record but still count as rows.
  CHECK(split("a\n\nb\r\n\r\nc").rows == Rows{{1, {"a"}}, {3, {"b"}}, {5, {"c"}}});
  CHECK(split("").rows.empty());
  CHECK(split("\n\n").rows.empty());
  CHECK(split("only\n").rows == Rows{{1, {"only"}}});
}

TEST_CASE("csv reader: a UTF-8 byte order mark is skipped, even across buffers", "[csv]") {
  const Rows expected{{1, {"Name", "x"}}};
  CHECK(split("\xEF\xBB\xBFName,x\r\n").rows == expected);
  CHECK(split("\xEF\xBB\xBFName,x\r\n", 1).rows == expected);
  // A lone EF is not a BOM and stays data.
  CHECK(split("\xEFN\n").rows == Rows{{1, {"\xEFN"}}});
}

TEST_CASE("csv reader: a quote inside an unquoted field is literal", "[csv]") {
  CHECK(split("5\" disk,x\n").rows == Rows{{1, {"5\" disk", "x"}}});
}

TEST_CASE("csv reader: other delimiters", "[csv]") {
  CHECK(split("a\tb,c\n", 4, '\t').rows == Rows{{1, {"a", "b,c"}}});
  CHECK(split("a;\"b;c\"\n", 4, ';').rows == Rows{{1, {"a", "b;c"}}});
}

TEST_CASE("csv reader: an unterminated quote names the row where it opened", "[csv]") {
  const auto out = split("a,b\n1,2\n3,\"open\n4,5\n6,7\n");
  CHECK(out.rows == Rows{{1, {"a", "b"}}, {2, {"1", "2"}}});
  REQUIRE(out.errors.size() == 1);
  CHECK(out.errors[0].row == 3);
  CHECK(out.errors[0].column == 2);
  CHECK(out.errors[0].message ==
        "unterminated quoted field: the quote opened on row 3 is never closed");
}

TEST_CASE("csv reader: text after a closing quote is an error, and reading resumes", "[csv]") {
  const auto out = split("a,b\n1,\"x\"y\n2,3\n", 3);
  CHECK(out.rows == Rows{{1, {"a", "b"}}, {3, {"2", "3"}}});
  REQUIRE(out.errors.size() == 1);
  CHECK(out.errors[0].row == 2);
  CHECK(out.errors[0].column == 2);
  CHECK(out.errors[0].message ==
        "unexpected 'y' after the closing quote of a quoted field (a quote inside a quoted field "
        "must be doubled: \"\")");
}
