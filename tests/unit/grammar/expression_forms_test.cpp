// The expression forms of the whole language: null, `??`, records, `distinct`,
// `within`, `unless`, and the contextual keywords that stay names.
#include <catch2/catch.hpp>

#include "tests/unit/grammar/ast_text.hpp"

using tally::test::expr;

TEST_CASE("null is a literal") {
  CHECK(expr("null") == "null");
  CHECK(expr("deal.closed_on == null") == "(== (. deal closed_on) null)");
}

TEST_CASE("?? binds tighter than comparisons and looser than ranges, left to right") {
  CHECK(expr("x ?? 0 USD > 5 USD") == "(> (?? x [0 USD]) [5 USD])");
  CHECK(expr("a ?? b ?? c") == "(?? (?? a b) c)");
  CHECK(expr("a + b ?? c * d") == "(?? (+ a b) (* c d))");
  CHECK(expr("a ?? 1 .. 2") == "(?? a (.. 1 2))");
  CHECK(expr("x in a ?? b") == "(in x (?? a b))");
  CHECK(expr("a ??") == "error: expected an expression after \"??\", found end of file");
}

TEST_CASE("a brace whose first item is NAME: is a record") {
  CHECK(expr("{amount: 5 USD, stage: \"Won\"}") == "(record amount:[5 USD] stage:\"Won\")");
  CHECK(expr("{Q1: 20%, Q2: 25%,}") == "(record Q1:20% Q2:25%)");
  CHECK(expr("{}") == "{}");
  CHECK(expr("{a}") == "{a}");
  CHECK(expr("{a: {b: 1}}") == "(record a:(record b:1))");
  CHECK(expr("{a: x unless c then y}") == "(record a:(unless x c y))");
  CHECK(expr("{a: 1, 2}") == "error: expected a field (name: value) in the record, found \"2\"");
  CHECK(expr("{a: 1 b: 2}") == "error: expected \",\" or \"}\" in the record, found \"b\"");
  CHECK(expr("{a: }") == "error: expected an expression after \"a:\", found \"}\"");
  CHECK(expr("{a, b: 1}") == "error: expected \",\" or \"}\" in the set, found \":\"");
}

TEST_CASE("distinct is an argument form, with an optional filter after it") {
  CHECK(expr("count(distinct deal.account)") == "(call count (distinct (. deal account)))");
  CHECK(expr("count(distinct deal.account where deal.type == \"New\")") ==
        "(call count (where (distinct (. deal account)) (== (. deal type) \"New\")))");
  CHECK(expr("count(distinct)") == "error: expected an expression after \"distinct\", found \")\"");
  CHECK(expr("distinct x") == "error: expected an expression, found the keyword \"distinct\"");
}

TEST_CASE("within is a comparison-level form with a unit") {
  CHECK(expr("x within 90 days of d") == "(within-days x 90 d)");
  CHECK(expr("deal.churned_on within 6 months of deal.close_date") ==
        "(within-months (. deal churned_on) 6 (. deal close_date))");
  CHECK(expr("x within n + 1 days of d + 2") == "(within-days x (+ n 1) (+ d 2))");
  CHECK(expr("a within 1 days of b and c") == "(and (within-days a 1 b) c)");
  CHECK(expr("not x within 1 days of d") == "(not (within-days x 1 d))");
  CHECK(expr("a within 1 days of b < c") == "error: comparisons do not chain; use `and`");
  CHECK(expr("a < b within 1 days of c") == "error: comparisons do not chain; use `and`");
  CHECK(expr("x within 3 weeks of d") ==
        "error: expected \"days\" or \"months\" after the length of the window, found \"weeks\"");
  CHECK(expr("x within 3 days d") ==
        "error: expected \"of\" and a date after \"days\", found \"d\"");
  CHECK(expr("x within") == "error: expected an expression after \"within\", found end of file");
  // `of` is only a keyword after the unit: here it is the window's length.
  CHECK(expr("x within of d") ==
        "error: expected \"days\" or \"months\" after the length of the window, found \"d\"");
}

TEST_CASE("unless is the loosest form: a default and exceptions") {
  CHECK(expr("0 unless a then 1") == "(unless 0 a 1)");
  CHECK(expr("0 USD unless a >= 100% then 1_000 USD unless a >= 120% then 2_500 USD") ==
        "(unless [0 USD] (>= a 100%) [1000 USD] (>= a 120%) [2500 USD])");
  CHECK(expr("x or y unless a or b then c and d") == "(unless (or x y) (or a b) (and c d))");
  CHECK(expr("(x unless a then b) + 1") == "(+ (unless x a b) 1)");
  CHECK(expr("f(x unless a then b, 2)") == "(call f (unless x a b) 2)");
  CHECK(expr("x unless a 1") ==
        "error: expected \"then\" and a value after the condition of \"unless\", found \"1\"");
  CHECK(expr("x unless") == "error: expected an expression after \"unless\", found end of file");
  CHECK(expr("x unless a then") ==
        "error: expected an expression after \"then\", found end of file");
  // Inside a set the elements are ordinary expressions.
  CHECK(expr("{x unless a then b}") ==
        "error: expected \",\" or \"}\" in the set, found the keyword \"unless\"");
}

TEST_CASE("contextual keywords are names and functions inside expressions") {
  CHECK(expr("min(a, b) + max(a, b)") == "(+ (call min a b) (call max a b))");
  CHECK(expr("owner(territory(deal))") == "(call owner (call territory deal))");
  CHECK(expr("share * limit + days - per / by") == "(- (+ (* share limit) days) (/ per by))");
  CHECK(expr("name == priority or pay > months") == "(or (== name priority) (> pay months))");
  CHECK(expr("amount + table + goal + test + fn") == "(+ (+ (+ (+ amount table) goal) test) fn)");
  CHECK(expr("deal.unless + x.within") == "(+ (. deal unless) (. x within))");
}

TEST_CASE("`and credit` is not the operator and, but `and credit.x` is") {
  CHECK(expr("a and credit.kind == direct") == "(and a (== (. credit kind) direct))");
  CHECK(expr("a and count(credit) > 1") == "(and a (> (call count credit) 1))");
  CHECK(expr("a and credit") ==
        "error: expected an operator or the end of the expression, found the keyword \"and\"");
}
