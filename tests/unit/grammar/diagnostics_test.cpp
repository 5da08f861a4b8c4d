// Rendering errors: the header line, the source line, the caret line, the hint.
#include <catch2/catch.hpp>

#include "grammar/diagnostics.hpp"
#include "grammar/parser.hpp"

using tally::Error;
using tally::Location;
using tally::render_error;
using tally::Severity;
using tally::SourceFile;

TEST_CASE("an error with its source line and a caret under the span") {
  const SourceFile file("plan.tally", "plan \"P\"\nmeasure total bookings\n");
  const Error error{Location{"plan.tally", 2, 15, 8}, "expected \"=\"", ""};
  CHECK(render_error(error, &file) ==
        "plan.tally:2:15: error: expected \"=\"\n"
        " 2 | measure total bookings\n"
        "   |               ^~~~~~~~\n");
}

TEST_CASE("a hint goes on its own line; severities") {
  const SourceFile file("p", "payot x = 1");
  const Error error{Location{"p", 1, 1, 5}, "unknown declaration", "did you mean \"payout\"?"};
  CHECK(render_error(error, &file, Severity::warning) ==
        "p:1:1: warning: unknown declaration\n"
        " 1 | payot x = 1\n"
        "   | ^~~~~\n"
        "hint: did you mean \"payout\"?\n");
  CHECK(render_error(error, nullptr, Severity::note) ==
        "p:1:1: note: unknown declaration\nhint: did you mean \"payout\"?\n");
}

TEST_CASE("without a source only the first line") {
  const Error error{Location{"deals.csv", 14, 3, 0}, "expected a date, found \"soon\"", ""};
  CHECK(render_error(error) == "deals.csv:14:3: error: expected a date, found \"soon\"\n");
  CHECK(render_error(Error{Location{"deals.csv", 14, 0, 0}, "m", ""}) ==
        "deals.csv:14: error: m\n");
  CHECK(render_error(Error{Location{"deals.csv", 0, 0, 0}, "m", ""}) == "deals.csv: error: m\n");
  CHECK(render_error(Error{Location{}, "m", ""}) == "error: m\n");
}

TEST_CASE("tabs are expanded the same way in the source and the caret line") {
  const SourceFile file("p", "\tmeasure\tx y");
  // Column 10 is "x": tab, 7 letters, tab, then x.
  const Error error{Location{"p", 1, 10, 1}, "m", ""};
  CHECK(render_error(error, &file) ==
        "p:1:10: error: m\n"
        " 1 |     measure x y\n"
        "   |             ^\n");
}

TEST_CASE("multi-byte characters take one column each") {
  const SourceFile file("p", "let caf\xC3\xA9 = \xE2\x82\xAC");
  const Error error{Location{"p", 1, 12, 1}, "m", ""};
  CHECK(render_error(error, &file) ==
        "p:1:12: error: m\n"
        " 1 | let caf\xC3\xA9 = \xE2\x82\xAC\n"
        "   |            ^\n");
}

TEST_CASE("a caret at the end of a line, and a span running past it") {
  const SourceFile file("p", "measure x =\n");
  CHECK(render_error(Error{Location{"p", 1, 12, 0}, "m", ""}, &file) ==
        "p:1:12: error: m\n"
        " 1 | measure x =\n"
        "   |            ^\n");
  CHECK(render_error(Error{Location{"p", 1, 9, 50}, "m", ""}, &file) ==
        "p:1:9: error: m\n"
        " 1 | measure x =\n"
        "   |         ^~~\n");
}

TEST_CASE("long lines are cut to a window around the caret") {
  const std::string line = std::string(200, 'a') + "X" + std::string(200, 'b');
  const SourceFile file("p", line);
  const std::string rendered = render_error(Error{Location{"p", 1, 201, 1}, "m", ""}, &file);
  // Window: 40 characters before the caret, 100 in all, "..." on both sides.
  const std::string shown = "..." + std::string(40, 'a') + "X" + std::string(59, 'b') + "...";
  CHECK(rendered == "p:1:201: error: m\n 1 | " + shown + "\n   | " + std::string(43, ' ') + "^\n");
}

TEST_CASE("a line number gutter as wide as the number") {
  std::string text;
  for (int i = 0; i < 120; ++i) text += "x\n";
  const SourceFile file("p", text);
  CHECK(render_error(Error{Location{"p", 120, 1, 1}, "m", ""}, &file) ==
        "p:120:1: error: m\n"
        " 120 | x\n"
        "     | ^\n");
}

TEST_CASE("a parse error renders end to end") {
  auto file = std::make_shared<const SourceFile>("plan.tally", "measure x = (1 + \"a\n");
  auto result = tally::parse_plan(file);
  REQUIRE_FALSE(result.ok());
  CHECK(render_error(result.errors()[0], file.get()) ==
        "plan.tally:1:18: error: unterminated string\n"
        " 1 | measure x = (1 + \"a\n"
        "   |                  ^~\n");
}
