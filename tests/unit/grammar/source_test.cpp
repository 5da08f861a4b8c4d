// Positions: byte offsets to 1-based lines and UTF-8 character columns.
#include <catch2/catch.hpp>

#include "grammar/source.hpp"

using tally::SourceFile;

TEST_CASE("locate counts lines from 1 and columns in characters") {
  const SourceFile file("f.tally", "ab\ncd\n\nxyz");
  CHECK(file.locate(0).line == 1);
  CHECK(file.locate(0).column == 1);
  CHECK(file.locate(1).column == 2);
  CHECK(file.locate(2).column == 3);  // the line break itself
  CHECK(file.locate(3).line == 2);
  CHECK(file.locate(3).column == 1);
  CHECK(file.locate(6).line == 3);
  CHECK(file.locate(7).line == 4);
  CHECK(file.locate(9).column == 3);
  CHECK(file.locate(10).column == 4);  // the end of the file
  CHECK(file.locate(1000).line == 4);  // past the end: clamped
  CHECK(file.locate(0).file == "f.tally");
}

TEST_CASE("columns count UTF-8 characters, not bytes") {
  // "é" is 2 bytes, "€" 3, "😀" 4.
  const SourceFile file("f", "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80x");
  CHECK(file.locate(2).column == 2);
  CHECK(file.locate(5).column == 3);
  CHECK(file.locate(9).column == 4);
}

TEST_CASE("a byte order mark takes no column") {
  const SourceFile file("f", "\xEF\xBB\xBFmeasure\nx");
  CHECK(file.locate(3).column == 1);
  CHECK(file.locate(4).column == 2);
  CHECK(file.line_text(1) == "measure");
  CHECK(file.locate(11).line == 2);
}

TEST_CASE("CRLF: the carriage return is not part of the line") {
  const SourceFile file("f", "one\r\ntwo\r\n");
  CHECK(file.line_text(1) == "one");
  CHECK(file.line_text(2) == "two");
  CHECK(file.line_text(3) == "");
  CHECK(file.locate(5).line == 2);
  CHECK(file.locate(5).column == 1);
}

TEST_CASE("line_text of lines that do not exist is empty") {
  const SourceFile file("f", "a\nb");
  CHECK(file.line_text(0) == "");
  CHECK(file.line_text(2) == "b");
  CHECK(file.line_text(3) == "");
  const SourceFile empty("f", "");
  CHECK(empty.line_text(1) == "");
  CHECK(empty.locate(0).line == 1);
  CHECK(empty.locate(0).column == 1);
}
