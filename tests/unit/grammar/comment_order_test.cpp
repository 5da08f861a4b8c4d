// Plan::comments (every comment, delimiters included, with its span) and
// Plan::order (every declaration in source order); and dump_plan, which
// prints every declaration and must tell different plans apart.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "grammar/ast_dump.hpp"
#include "tests/unit/grammar/ast_text.hpp"

using tally::test::source;
namespace ast = tally::ast;

namespace {

ast::Plan parse_ok(const std::string& text) {
  auto result = tally::parse_plan(source(text));
  if (!result) FAIL("unexpected error: " << result.errors().front().message);
  return std::move(result).value();
}

std::string dump(const std::string& text) {
  return tally::dump_plan(parse_ok(text));
}

}  // namespace

TEST_CASE("every comment is kept with its span and delimiters, not its trailing blanks") {
  const std::string text =
      "// head\r\n"
      "measure m = 1 /* inline */ + 2 // tail \t\n"
      "let s = \"not // a comment /* either */\"\n"
      "/* block\n   over lines */\n"
      "payout p = x // last";
  const ast::Plan plan = parse_ok(text);
  REQUIRE(plan.comments.size() == 5);
  const std::vector<std::string> texts = {"// head", "/* inline */", "// tail",
                                          "/* block\n   over lines */", "// last"};
  for (std::size_t i = 0; i < texts.size(); ++i) {
    INFO(i);
    CHECK(plan.comments[i].text == texts[i]);
    CHECK(plan.comments[i].span.begin == text.find(texts[i]));
    CHECK(plan.comments[i].span.end == text.find(texts[i]) + texts[i].size());
  }
}

TEST_CASE("comments inside expressions, types and test blocks are kept too") {
  const ast::Plan plan = parse_ok(
      "fn f(a: /*t*/ int): money = (a /*x*/ + // y\n 1)\n"
      "test \"t\" {\n  deal amount 5 USD // after a statement\n}\n");
  REQUIRE(plan.comments.size() == 4);
  CHECK(plan.comments[0].text == "/*t*/");
  CHECK(plan.comments[1].text == "/*x*/");
  CHECK(plan.comments[2].text == "// y");
  CHECK(plan.comments[3].text == "// after a statement");
  // The comment after a statement does not join the next line to it.
  REQUIRE(plan.tests[0].statements.size() == 1);
}

TEST_CASE("a plan without comments has none; a file of comments is an empty plan") {
  CHECK(parse_ok("measure m = 1").comments.empty());
  const ast::Plan plan = parse_ok("\xEF\xBB\xBF// a\n/* b */");
  CHECK(plan.order.empty());
  REQUIRE(plan.comments.size() == 2);
  CHECK(plan.comments[0].span.begin == 3);
}

TEST_CASE("every declaration records its kind and index in source order") {
  const ast::Plan plan = parse_ok(
      "measure a = 1\n"
      "plan \"P\"\n"
      "source s { id: text key }\n"
      "roster r { id: text key }\n"
      "credit c from s on s.d { s.o gets 100% }\n"
      "let b = 2\n"
      "payout p = 1\n"
      "table t(payee): money from s\n"
      "goal g(payee): money = 1\n"
      "territory T = true\n"
      "territories from s as x match true owner x.o\n"
      "rates r1 by k { else : 1% }\n"
      "draw d = 1 USD\n"
      "clawback p when x\n"
      "fn f() = 1\n"
      "test \"t\" {}\n"
      "import \"i\"\n"
      "measure z = 3\n");
  using K = ast::DeclKind;
  const std::vector<std::pair<K, std::size_t>> expected = {
      {K::value, 0},       {K::header, 0}, {K::source, 0}, {K::source, 1},   {K::credit, 0},
      {K::value, 1},       {K::payout, 0}, {K::table, 0},  {K::table, 1},    {K::territory, 0},
      {K::territories, 0}, {K::rates, 0},  {K::draw, 0},   {K::clawback, 0}, {K::fn, 0},
      {K::test, 0},        {K::import, 0}, {K::value, 2}};
  REQUIRE(plan.order.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO(i);
    CHECK(plan.order[i].kind == expected[i].first);
    CHECK(plan.order[i].index == expected[i].second);
  }
  CHECK(plan.values[2].name == "z");
}

TEST_CASE("dump_plan prints every kind of declaration, one per line") {
  CHECK(dump("plan \"P\" version 3 currency USD fiscal year FY2027 starts 2026-02-01, periods "
             "month rounding half_even to 0.01") ==
        "(plan \"P\" version:\"3\" currency:USD fiscal label:FY2027 starts:2026-02-01 "
        "periods:month rounding:half_even to:0.01)\n");
  CHECK(
      dump("source s { no header, id: text key from \"ID\" at 1 null \"\" \"-\" }") ==
      "(source s (no header) (field id text (key) (from \"ID\") (at \"1\") (null \"\" \"-\")))\n");
  CHECK(dump("roster r { m: payee? }") == "(roster r (field m payee?))\n");
  CHECK(
      dump("credit c from s as x amount x.a where x.ok on x.d { x.o gets 50% split, y gets 1 }") ==
      "(credit c from:s as:x amount:(. x a) where:(. x ok) on:(. x d) "
      "(gets payee:(. x o) share:50% split) (gets payee:y share:1 direct))\n");
  CHECK(dump("measure m: money = 1\nlet l = 2") == "(measure m :money value:1)\n(let l value:2)\n");
}

TEST_CASE("dump_plan tells apart plans that differ in any meaningful field") {
  const std::vector<std::string> plans = {
      "let a = \"x\"",
      "let a = \"x\\\"\"",
      "let a = \"x\\\\\"",
      "let a = {\"a \\\" \\\"b\"}",
      "let a = {\"a\", \"b\"}",
      "let a = {\"a\\\" \\\"b\"}",
      "measure a = 1",
      "let a: int = 1",
      "let a: int? = 1",
      "payout p = 1 cap 2",
      "payout p = 1 cap 2 per year",
      "payout p = 1 cap 2 defer",
      "payout p = 1 floor 2",
      "payout p = 1 pay min 2 per period",
      "payout p = 1 pay max 2 per period",
      "draw d = 1",
      "draw d = 1 per month",
      "draw d = 1 recoverable",
      "clawback p when x",
      "clawback p when x and credit",
      "clawback p when x share 1",
      "rates r on x marginal {}",
      "rates r on x retroactive {}",
      "rates r by x {}",
      "table t(a): int from s",
      "goal t(a): int from s",
      "table t(a): int from s prorated",
      "table t(a): int from s(a)",
      "territory T = x",
      "territory T = x owner y",
      "territory T = x priority y",
      "fn f() = 1",
      "fn f(): int = 1",
      "fn f(a: int) = 1",
      "test \"t\" { payee a }",
      "test \"t\" { payee b }",
      "test \"t\" { x a 1 }",
      "test \"t\" { expect 1 }",
      "import \"a\"",
      "let a = x within 1 days of y",
      "let a = x within 1 months of y",
  };
  std::vector<std::string> dumps;
  for (const std::string& text : plans) dumps.push_back(dump(text));
  for (std::size_t i = 0; i < dumps.size(); ++i) {
    for (std::size_t j = i + 1; j < dumps.size(); ++j) {
      INFO(plans[i] << "  vs  " << plans[j]);
      CHECK(dumps[i] != dumps[j]);
    }
  }
}

TEST_CASE("dump_plan ignores layout, comments and the spelling of defaults") {
  CHECK(dump("payout p = 1 cap 2") == dump("payout p = 1 cap 2 per period"));
  CHECK(dump("draw d = 1 recoverable limit 2") ==
        dump("draw d = 1 per period recoverable limit 2 per period"));
  CHECK(dump("plan \"P\" periods quarter") == dump("plan \"P\"\n  periods quarter // q"));
  CHECK(dump("let a = (1 + 2) * 3") == dump("let a =\n  (1+2)*3"));
  CHECK(dump("let a = 1_000") == dump("let a = 1000"));
  // The interleaving of kinds carries no meaning.
  CHECK(dump("let a = 1\nmeasure b = 2\nfn f() = 3") ==
        dump("fn f() = 3\nlet a = 1\nmeasure b = 2"));
}
