// Literals, operators, precedence and associativity, checked on the shape of
// the tree (tests/unit/grammar/ast_text.hpp prints it as an S-expression).
#include <catch2/catch.hpp>

#include "tests/unit/grammar/ast_text.hpp"

using tally::test::expr;

TEST_CASE("number literals keep their text without underscores") {
  CHECK(expr("12") == "12");
  CHECK(expr("1_000") == "1000");
  CHECK(expr("1_000.50") == "1000.50");
  CHECK(expr("0.5") == "0.5");
  CHECK(expr("1e3") == "1e3");
  CHECK(expr("1.5E-3") == "1.5E-3");
  CHECK(expr("2e+4") == "2e+4");
}

TEST_CASE("percent literals are a number followed by %") {
  CHECK(expr("8%") == "8%");
  CHECK(expr("12.5%") == "12.5%");
  CHECK(expr("1_0%") == "10%");
  // A space makes `%` a separate character, which is not an operator.
  CHECK(expr("8 %") == "error: expected an operator or the end of the expression, found \"%\"");
}

TEST_CASE("money literals are a number, whitespace and a three-letter code") {
  CHECK(expr("500 USD") == "[500 USD]");
  CHECK(expr("1_200_000 EUR") == "[1200000 EUR]");
  CHECK(expr("0.5\tGBP") == "[0.5 GBP]");
  // Not a currency code: four letters, or lower case; then it is a number.
  CHECK(expr("500 USDX") ==
        "error: expected an operator or the end of the expression, found \"USDX\"");
  CHECK(expr("500 usd") ==
        "error: expected an operator or the end of the expression, found \"usd\"");
}

TEST_CASE("dates and periods") {
  CHECK(expr("2026-03-15") == "#2026-03-15");
  CHECK(expr("2026-Q1") == "@2026-Q1");
  CHECK(expr("2026-H2") == "@2026-H2");
  CHECK(expr("2026-03") == "@2026-03");
  CHECK(expr("FY2027-Q1") == "@FY2027-Q1");
  CHECK(expr("FY2027-H1") == "@FY2027-H1");
  CHECK(expr("FY2027-M03") == "@FY2027-M03");
  CHECK(expr("FY2027") == "@FY2027");
  CHECK(expr("Q1") == "@Q1");
  CHECK(expr("Q4") == "@Q4");
  CHECK(expr("H1") == "@H1");
  CHECK(expr("H2") == "@H2");
  // Not periods: names that only look alike.
  CHECK(expr("Q5") == "Q5");
  CHECK(expr("H3") == "H3");
  CHECK(expr("Q1x") == "Q1x");
  CHECK(expr("FY27") == "FY27");
  // Periods take priority over subtraction; spaces make a subtraction.
  CHECK(expr("2026 - 3") == "(- 2026 3)");
  CHECK(expr("2026-3") == "(- 2026 3)");
}

TEST_CASE("strings decode their escapes") {
  CHECK(expr(R"("Won")") == "\"Won\"");
  CHECK(expr(R"("")") == "\"\"");
  // The dump escapes the quote, the backslash and the line break again.
  CHECK(expr(R"("a\"b")") == R"("a\"b")");
  CHECK(expr(R"("a\\b")") == R"("a\\b")");
  CHECK(expr(R"("a\nb\tc")") == "\"a\\nb\tc\"");
  CHECK(expr(R"("\u{41}\u{e9}\u{20AC}\u{1F600}")") == "\"A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");
  CHECK(expr("\"caf\xC3\xA9\"") == "\"caf\xC3\xA9\"");
}

TEST_CASE("booleans, names and the reserved words that are names in expressions") {
  CHECK(expr("true") == "true");
  CHECK(expr("false") == "false");
  CHECK(expr("half_even") == "half_even");
  CHECK(expr("_x9") == "_x9");
  CHECK(expr("credit") == "credit");
  CHECK(expr("direct") == "direct");
  CHECK(expr("rollup") == "rollup");
  CHECK(expr("where") == "error: expected an expression, found the keyword \"where\"");
}

TEST_CASE("members and calls") {
  CHECK(expr("deal.stage") == "(. deal stage)");
  CHECK(expr("deal.owner.manager") == "(. (. deal owner) manager)");
  CHECK(expr("deal.amount") == "(. deal amount)");  // a reserved word is a field name
  CHECK(expr("f()") == "(call f)");
  CHECK(expr("f(a, b)") == "(call f a b)");
  CHECK(expr("managers(deal.owner, levels: 2)") == "(call managers (. deal owner) levels:2)");
  CHECK(expr("owner(territory(deal))") == "(call owner (call territory deal))");
  CHECK(expr("f(x).y") == "(. (call f x) y)");
  CHECK(expr("count(credit where credit.kind == direct and deal.amount >= 50_000 USD)") ==
        "(call count (where credit (and (== (. credit kind) direct) (>= (. deal amount) [50000 "
        "USD]))))");
  CHECK(expr("sum(credit.amount where credit.kind == split, x)") ==
        "(call sum (where (. credit amount) (== (. credit kind) split)) x)");
}

TEST_CASE("sets and ranges") {
  CHECK(expr("{}") == "{}");
  CHECK(expr("{1}") == "{1}");
  CHECK(expr(R"({"MGR", "DIR"})") == R"({"MGR" "DIR"})");
  CHECK(expr("{1, 2,}") == "{1 2}");
  CHECK(expr("{1 .. 5, 10 ..}") == "{(.. 1 5) (.. 10)}");
  CHECK(expr("x in 1 .. 5") == "(in x (.. 1 5))");
  CHECK(expr("x in 100% ..") == "(in x (.. 100%))");
  CHECK(expr("a .. b + 1") == "(.. a (+ b 1))");
  CHECK(expr("1..5") == "(.. 1 5)");
}

TEST_CASE("arithmetic precedence and left associativity") {
  CHECK(expr("1 + 2 * 3") == "(+ 1 (* 2 3))");
  CHECK(expr("1 * 2 + 3") == "(+ (* 1 2) 3)");
  CHECK(expr("1 - 2 - 3") == "(- (- 1 2) 3)");
  CHECK(expr("1 / 2 / 3") == "(/ (/ 1 2) 3)");
  CHECK(expr("1 - 2 + 3") == "(+ (- 1 2) 3)");
  CHECK(expr("8 / 4 * 2") == "(* (/ 8 4) 2)");
  CHECK(expr("(1 + 2) * 3") == "(* (+ 1 2) 3)");
  CHECK(expr("10% * bookings") == "(* 10% bookings)");
}

TEST_CASE("prefix minus binds tighter than * and looser than members") {
  CHECK(expr("-1") == "(neg 1)");
  CHECK(expr("-a * b") == "(* (neg a) b)");
  CHECK(expr("a * -b") == "(* a (neg b))");
  CHECK(expr("- -a") == "(neg (neg a))");
  CHECK(expr("-a.b") == "(neg (. a b))");
  CHECK(expr("a - -1") == "(- a (neg 1))");
  CHECK(expr("-500 USD") == "(neg [500 USD])");
}

TEST_CASE("comparisons sit between not and ranges, and do not chain") {
  CHECK(expr("a + 1 < b * 2") == "(< (+ a 1) (* b 2))");
  CHECK(expr("a == b") == "(== a b)");
  CHECK(expr("a != b") == "(!= a b)");
  CHECK(expr("a <= b") == "(<= a b)");
  CHECK(expr("a >= b") == "(>= a b)");
  CHECK(expr("a > b") == "(> a b)");
  CHECK(expr("a in {1, 2}") == "(in a {1 2})");
  CHECK(expr("a not in {1, 2}") == "(not-in a {1 2})");
  CHECK(expr("a < b < c") == "error: comparisons do not chain; use `and`");
  CHECK(expr("a == b != c") == "error: comparisons do not chain; use `and`");
  CHECK(expr("(a < b) < c") == "(< (< a b) c)");
}

TEST_CASE("not, and, or: not binds tighter than and, and tighter than or") {
  CHECK(expr("not a") == "(not a)");
  CHECK(expr("not a == b") == "(not (== a b))");
  CHECK(expr("not a and b") == "(and (not a) b)");
  CHECK(expr("not not a") == "(not (not a))");
  CHECK(expr("a or b and c") == "(or a (and b c))");
  CHECK(expr("a and b or c") == "(or (and a b) c)");
  CHECK(expr("a or b or c") == "(or (or a b) c)");
  CHECK(expr("a and b and c") == "(and (and a b) c)");
  CHECK(expr("a < 1 and b > 2 or not c") == "(or (and (< a 1) (> b 2)) (not c))");
  CHECK(expr("a and not b") == "(and a (not b))");
  CHECK(expr("a == not b") == "error: \"not\" needs parentheses here, as in (not x)");
  CHECK(expr("a == (not b)") == "(== a (not b))");
}

TEST_CASE("whitespace and comments may appear between any two tokens") {
  CHECK(expr("/*a*/ 1 /* b */ + // c\n 2 /* d */") == "(+ 1 2)");
  CHECK(expr("f ( a , /* x */ levels : 2 )") == "(call f a levels:2)");
  CHECK(expr("a not /* between */ in b") == "(not-in a b)");
  CHECK(expr("deal . stage") == "(. deal stage)");
  CHECK(expr("\r\n1\r\n+\r\n2\r\n") == "(+ 1 2)");
}
