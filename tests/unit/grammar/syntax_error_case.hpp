// Test support: a syntax error stated by hand (text, position, message) and
// the check that the parser reports exactly it, as its first error.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "grammar/parser.hpp"
#include "tests/unit/grammar/ast_text.hpp"

namespace tally::test {

struct SyntaxErrorCase {
  std::string text;
  int line;
  int column;
  int length;  // characters under the caret; 0 = a point (end of file)
  std::string message;
};

/// Parses each case's text as `test.tally` and checks its first error.
inline void check_syntax_errors(const std::vector<SyntaxErrorCase>& cases) {
  for (const SyntaxErrorCase& c : cases) {
    INFO(c.text);
    auto result = tally::parse_plan(source(c.text));
    REQUIRE_FALSE(result.ok());
    const tally::Error& error = result.errors().front();
    CHECK(error.message == c.message);
    CHECK(error.where.file == "test.tally");
    CHECK(error.where.line == c.line);
    CHECK(error.where.column == c.column);
    CHECK(error.where.length == c.length);
  }
}

}  // namespace tally::test
