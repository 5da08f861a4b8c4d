// Every syntax error message, with its exact text and position; recovery
// after errors; no message ever names an internal rule.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "grammar/parser.hpp"
#include "tests/unit/grammar/ast_text.hpp"
#include "tests/unit/grammar/syntax_error_case.hpp"

using tally::test::source;

namespace {

using Case = tally::test::SyntaxErrorCase;

const std::string kType =
    "a type (text, int, decimal, money, percent, date, period, bool, payee, territory, "
    "list<...> or record {...}) after \":\"";

// Positions counted by hand on the text of each case.
const std::vector<Case> kCases = {
    // measures and lets
    {"measure total bookings", 1, 15, 8,
     "expected \"=\" after the measure name, found \"bookings\""},
    {"measure = 1", 1, 9, 1, "expected a name after \"measure\", found \"=\""},
    {"measure where = 1", 1, 9, 5,
     "expected a name after \"measure\", found the keyword \"where\""},
    {"measure x =", 1, 12, 0, "expected an expression after \"=\", found end of file"},
    {"measure x: = 1", 1, 12, 1, "expected " + kType + ", found \"=\""},
    {"let = 1", 1, 5, 1, "expected a name after \"let\", found \"=\""},
    {"let x 1", 1, 7, 1, "expected \"=\" after the name, found \"1\""},
    {"let x = ", 1, 8, 0, "expected an expression after \"=\", found end of file"},
    // plan header
    {"plan P", 1, 6, 1, "expected the plan name as a string after \"plan\", found \"P\""},
    {"plan \"P\" version x", 1, 18, 1,
     "expected a version number or string after \"version\", found \"x\""},
    {"plan \"P\" currency usd", 1, 19, 3,
     "expected a three-letter currency code after \"currency\", found \"usd\""},
    {"plan \"P\" fiscal FY2027", 1, 17, 6, "expected \"year\" after \"fiscal\", found \"FY2027\""},
    {"plan \"P\" fiscal year FY2027 2026-02-01", 1, 29, 10,
     "expected \"starts\" and the first day of the fiscal year, found \"2026-02-01\""},
    {"plan \"P\" fiscal year starts 2026-02", 1, 29, 7,
     "expected the first day of the fiscal year (YYYY-MM-DD) after \"starts\", found "
     "\"2026-02\""},
    {"plan \"P\" fiscal year starts 2026-02-01, month", 1, 41, 5,
     "expected \"periods\" after \",\", found \"month\""},
    {"plan \"P\" periods weeks", 1, 18, 5,
     "expected the period length (month, quarter, half or year) after \"periods\", found "
     "\"weeks\""},
    {"plan \"P\" rounding 0.01", 1, 19, 4,
     "expected a rounding mode (such as half_even) after \"rounding\", found \"0.01\""},
    {"plan \"P\" rounding half_even 0.01", 1, 29, 4,
     "expected \"to\" and the rounding step after the rounding mode, found \"0.01\""},
    {"plan \"P\" rounding half_even to x", 1, 32, 1,
     "expected the rounding step (such as 0.01) after \"to\", found \"x\""},
    {"plan \"A\"\nplan \"B\"", 2, 1, 4, "a second plan declaration; a file declares one plan"},
    // sources and rosters
    {"source {", 1, 8, 1, "expected a name after \"source\", found \"{\""},
    {"source s id", 1, 10, 2, "expected \"{\" after the source name, found \"id\""},
    {"source s { id text }", 1, 15, 4,
     "expected \":\" and a type after the field name, found \"text\""},
    {"source s { \"id\": text }", 1, 12, 4,
     "expected a field (name: type), a source option or \"}\", found the string \"id\""},
    {"source s { id: }", 1, 16, 1, "expected " + kType + ", found \"}\""},
    {"source s { x: list<> }", 1, 20, 1,
     "expected a currency code or an element type after \"<\", found \">\""},
    {"source s { x: list<text }", 1, 25, 1,
     "expected \">\" to close the type argument, found \"}\""},
    {"source s { x: text from 1 }", 1, 25, 1,
     "expected the column name as a string after \"from\", found \"1\""},
    {"source s { x: text at \"a\" }", 1, 23, 3,
     "expected a column number after \"at\", found the string \"a\""},
    {"source s { x: text null 1 }", 1, 25, 1,
     "expected one or more strings that mean \"no value\" after \"null\", found \"1\""},
    {"source s { x: text sep 1 }", 1, 24, 1,
     "expected the list separator as a string after \"sep\", found \"1\""},
    {"source s { x: text format 1 }", 1, 27, 1,
     "expected the format as a string after \"format\", found \"1\""},
    {"source s { no headers }", 1, 15, 7, "expected \"header\" after \"no\", found \"headers\""},
    {"source s { encoding utf8 }", 1, 21, 4,
     "expected the encoding name as a string after \"encoding\", found \"utf8\""},
    {"source s { delimiter ; }", 1, 22, 1,
     "expected the delimiter as a string after \"delimiter\", found \";\""},
    {"source s { id: text", 1, 20, 0,
     "expected a field (name: type), a source option or \"}\", found end of file"},
    {"roster 1 { }", 1, 8, 1, "expected a name after \"roster\", found \"1\""},
    {"roster r [", 1, 10, 1, "expected \"{\" after the roster name, found \"[\""},
    {"roster r { id: text", 1, 20, 0, "expected a field (name: type) or \"}\", found end of file"},
    // credit rules
    {"credit from deals", 1, 8, 4, "expected a name after \"credit\", found the keyword \"from\""},
    {"credit c deals", 1, 10, 5,
     "expected \"from\" and a source name after the credit name, found \"deals\""},
    {"credit c from {", 1, 15, 1, "expected a source name after \"from\", found \"{\""},
    {"credit c from d as 1", 1, 20, 1, "expected a row name after \"as\", found \"1\""},
    {"credit c from d amount on x {}", 1, 24, 2,
     "expected an expression after \"amount\", found the keyword \"on\""},
    {"credit c from d where on x {}", 1, 23, 2,
     "expected a condition after \"where\", found the keyword \"on\""},
    {"credit c from d {", 1, 17, 1, "expected \"on\" and the date of the credit, found \"{\""},
    {"credit c from d on }", 1, 20, 1, "expected the date of the credit after \"on\", found \"}\""},
    {"credit c from d on x y", 1, 22, 1, "expected \"{\" and the credit lines, found \"y\""},
    {"credit c from d on x { a 1 }", 1, 26, 1,
     "expected \"gets\" and a share after the payee, found \"1\""},
    {"credit c from d on x { a gets }", 1, 31, 1, "expected a share after \"gets\", found \"}\""},
    {"credit c from d on x { a gets 1 ]", 1, 33, 1,
     "expected a credit line (PAYEE gets SHARE) or \"}\", found \"]\""},
    // payouts
    {"payout = 1", 1, 8, 1, "expected a name after \"payout\", found \"=\""},
    {"payout p for = 1", 1, 14, 1,
     "expected a role condition after \"for\" (such as role == \"AE\"), found \"=\""},
    {"payout p for x == 1 = 2", 1, 14, 6,
     "expected a comparison of role after \"for\", such as role == \"AE\" or role in {\"AE\", "
     "\"SE\"}"},
    {"payout p when = 1", 1, 15, 1, "expected a condition after \"when\", found \"=\""},
    {"payout p 1", 1, 10, 1, "expected \"=\" and the payout amount, found \"1\""},
    {"payout p = cap 1", 1, 12, 3, "expected an expression after \"=\", found the keyword \"cap\""},
    // `floor` is also the rounding mode, a name inside expressions: here it is
    // the cap's value, and the `2` after it is what cannot follow.
    {"payout p = 1 cap floor 2", 1, 24, 1,
     "expected a declaration (such as plan, source, credit, measure, let or payout), found \"2\""},
    {"payout p = 1 floor", 1, 19, 0, "expected an amount after \"floor\", found end of file"},
    // the top level
    {"payot x = 1", 1, 1, 5, "unknown declaration \"payot\"; did you mean \"payout\"?"},
    {"mesure x = 1", 1, 1, 6, "unknown declaration \"mesure\"; did you mean \"measure\"?"},
    {"banana x = 1", 1, 1, 6,
     "unknown declaration \"banana\"; a declaration starts with plan, source, roster, credit, "
     "measure, let, payout, table, goal, territory, territories, rates, draw, clawback, fn, test "
     "or import"},
    {"} x", 1, 1, 1,
     "expected a declaration (such as plan, source, credit, measure, let or payout), found "
     "\"}\""},
    {"measure x = 1 2", 1, 15, 1,
     "expected a declaration (such as plan, source, credit, measure, let or payout), found "
     "\"2\""},
    // lexical
    {"measure x = \"abc", 1, 13, 4, "unterminated string"},
    {"measure x = \"abc\nmeasure y = 1", 1, 13, 4, "unterminated string"},
    {"measure x = \"a\\qb\"", 1, 15, 0,
     "unknown escape in string; write \\\" \\\\ \\n \\t or \\u{hex}"},
    {"measure x = \"\\u{110000}\"", 1, 14, 10, "\\u{110000} is not a Unicode code point"},
    {"measure x = \"\\u{D800}\"", 1, 14, 8, "\\u{D800} is not a Unicode code point"},
    {"measure x = 1 /* open", 1, 15, 0, "unterminated comment: \"/*\" has no \"*/\""},
    {"measure x = \"\xFF\"", 1, 14, 0,
     "expected UTF-8 text, found the byte 0xFF that is not valid UTF-8"},
    {"measure x = \"\xC0\x80\"", 1, 14, 0,
     "expected UTF-8 text, found the byte 0xC0 that is not valid UTF-8"},
    // expressions
    {"measure x = (1 + 2", 1, 19, 0, "expected \")\" to close the \"(\", found end of file"},
    {"measure x = {1 2}", 1, 16, 1, "expected \",\" or \"}\" in the set, found \"2\""},
    {"measure x = f(a b)", 1, 17, 1, "expected \",\" or \")\" in the call to f, found \"b\""},
    {"measure x = a.", 1, 15, 0, "expected a field name after \".\", found end of file"},
    {"measure x = a < b < c", 1, 19, 1, "comparisons do not chain; use `and`"},
    {"measure x = a in b == c", 1, 20, 2, "comparisons do not chain; use `and`"},
    {"measure x = a == not b", 1, 18, 3, "\"not\" needs parentheses here, as in (not x)"},
    {"measure x = a +", 1, 16, 0, "expected an expression after \"+\", found end of file"},
    {"measure x = not", 1, 16, 0, "expected an expression after \"not\", found end of file"},
    {"measure x = - )", 1, 15, 1, "expected an expression after \"-\", found \")\""},
    {"measure x = ()", 1, 14, 1, "expected an expression after \"(\", found \")\""},
    {"measure x = {1,,}", 1, 16, 1, "expected an expression after \",\", found \",\""},
    {"measure x = f(a, levels: )", 1, 26, 1,
     "expected an expression after \"levels:\", found \")\""},
    {"measure x = f(credit where )", 1, 28, 1,
     "expected an expression after \"where\", found \")\""},
    {"measure x = a not b", 1, 15, 3,
     "expected a declaration (such as plan, source, credit, measure, let or payout), found "
     "the keyword \"not\""},
};

}  // namespace

TEST_CASE("every syntax error: message and position") {
  tally::test::check_syntax_errors(kCases);
}

TEST_CASE("an invalid byte gets a hint about the encoding") {
  auto result = tally::parse_plan(source("measure x = 1 \x80"));
  REQUIRE_FALSE(result.ok());
  CHECK(result.errors().front().hint == "save the plan file as UTF-8");
}

TEST_CASE("nesting deeper than the limit is an error, not a crash") {
  SECTION("10,000 parentheses") {
    const std::string text =
        "measure x = " + std::string(10'000, '(') + "1" + std::string(10'000, ')');
    auto result = tally::parse_plan(source(text));
    REQUIRE_FALSE(result.ok());
    REQUIRE(result.errors().size() == 1);
    CHECK(result.errors()[0].message == "expression nested too deeply (limit 256)");
    // The 256th "(" opens the 257th nested expression, which starts after it.
    CHECK(result.errors()[0].where.column == 12 + 256 + 1);
  }
  SECTION("255 parentheses are fine") {
    const std::string text = "measure x = " + std::string(255, '(') + "1" + std::string(255, ')');
    CHECK(tally::parse_plan(source(text)).ok());
  }
  SECTION("prefix operators, sets and calls count too") {
    for (const std::string& open :
         {std::string("-"), std::string("not "), std::string("{"), std::string("f(")}) {
      std::string text = "measure x = ";
      for (int i = 0; i < 5000; ++i) text += open;
      auto result = tally::parse_plan(source(text + "1"));
      REQUIRE_FALSE(result.ok());
      CHECK(result.errors()[0].message == "expression nested too deeply (limit 256)");
    }
  }
  SECTION("long chains of operators, which nest in the tree, not in the text") {
    std::string text = "measure x = 1";
    for (int i = 0; i < 999; ++i) text += " + 1";
    CHECK(tally::parse_plan(source(text)).ok());  // 999 operators: a tree 1000 high
    auto result = tally::parse_plan(source(text + " + 1"));
    REQUIRE_FALSE(result.ok());
    CHECK(result.errors()[0].message ==
          "expression too complex (more than 1000 levels of operators); split it with let");
    CHECK(result.errors()[0].where.column == 13);  // the chain starts at the first operand
    std::string many_calls = "measure x = 1";
    for (int i = 0; i < 5000; ++i) many_calls += " * f(1) - 2";
    CHECK_FALSE(tally::parse_plan(source(many_calls)).ok());
  }
  SECTION("types") {
    std::string text = "measure x: ";
    for (int i = 0; i < 40; ++i) text += "list<";
    text += "text";
    for (int i = 0; i < 40; ++i) text += ">";
    auto result = tally::parse_plan(source(text + " = 1"));
    REQUIRE_FALSE(result.ok());
    CHECK(result.errors()[0].message == "type nested too deeply (limit 32)");
    CHECK(result.errors()[0].where.column == 11 + 33 * 5 + 1);
  }
}

TEST_CASE("the parser recovers at the next declaration and reports every broken one") {
  auto result = tally::parse_plan(
      source("plan \"P\" currency USD\n"
             "measure total bookings\n"  // error 1
             "measure fine = 1\n"
             "source deals {\n"
             "  id text\n"         // error 2
             "  measure: money\n"  // a field named like a keyword: not a declaration
             "}\n"
             "payot commission = 1\n"  // error 3
             "payout ok = 2\n"
             "let y = (1 +\n"  // error 4: reported where the next line starts
             "let z = 3\n"));
  REQUIRE_FALSE(result.ok());
  const tally::Errors& errors = result.errors();
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].where.line == 2);
  CHECK(errors[0].message == "expected \"=\" after the measure name, found \"bookings\"");
  CHECK(errors[1].where.line == 5);
  CHECK(errors[2].where.line == 8);
  CHECK(errors[2].message == "unknown declaration \"payot\"; did you mean \"payout\"?");
  CHECK(errors[3].where.line == 11);
  CHECK(errors[3].message == "expected an expression after \"+\", found the keyword \"let\"");
}

TEST_CASE("the parser stops after 100 errors") {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "measure x y\n";
  auto result = tally::parse_plan(source(text));
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.errors().size() == 101);
  CHECK(result.errors()[99].where.line == 100);
  CHECK(result.errors()[100].message == "too many syntax errors; stopped after 100");
  CHECK(result.errors()[100].where.line == 101);
}

TEST_CASE("three broken declarations give three errors") {
  auto result =
      tally::parse_plan(source("measure a b\n"
                               "payout p 1\n"
                               "source s { x: list<text }\n"));
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.errors().size() == 3);
  CHECK(result.errors()[0].where.line == 1);
  CHECK(result.errors()[1].where.line == 2);
  CHECK(result.errors()[2].where.line == 3);
}

TEST_CASE("no reserved word is a name") {
  // The list of the language reference (docs/language.md), typed here by hand.
  const char* reserved[] = {
      "plan", "version", "currency", "fiscal",  "year",   "starts",  "periods",  "rounding",
      "to",   "source",  "roster",   "credit",  "from",   "as",      "where",    "on",
      "gets", "direct",  "split",    "overlay", "rollup", "measure", "let",      "payout",
      "for",  "when",    "cap",      "floor",   "and",    "or",      "not",      "in",
      "true", "false",   "null",     "key",     "no",     "header",  "encoding", "delimiter",
      "at",   "sep",     "format",   "trim",    "unless", "then",    "within",   "distinct"};
  for (const std::string word : reserved) {
    auto result = tally::parse_plan(source("let " + word + " = 1"));
    REQUIRE_FALSE(result.ok());
    CHECK(result.errors()[0].message ==
          "expected a name after \"let\", found the keyword \"" + word + "\"");
  }
  // Contextual words are names.
  for (const std::string word :
       {"month", "quarter", "half_even", "role", "sum", "payee", "period", "plans", "keys", "Plan",
        // contextual keywords of part 2: names wherever no clause can start
        "amount", "table", "goal", "territory", "territories", "match", "owner", "priority", "name",
        "rates", "marginal", "retroactive", "by", "else", "draw", "per", "recoverable", "limit",
        "clawback", "share", "days", "months", "fn", "test", "expect", "import", "defer", "pay",
        "min", "max", "prorated", "record", "of"}) {
    CHECK(tally::parse_plan(source("let " + word + " = 1")).ok());
  }
}

TEST_CASE("errors in parse_expression") {
  const tally::SourceFile empty("e", "");
  auto a = tally::parse_expression(empty);
  REQUIRE_FALSE(a.ok());
  CHECK(a.errors()[0].message == "expected an expression, found end of file");

  const tally::SourceFile extra("e", "1 2");
  auto b = tally::parse_expression(extra);
  REQUIRE_FALSE(b.ok());
  CHECK(b.errors()[0].message == "expected an operator or the end of the expression, found \"2\"");
  CHECK(b.errors()[0].where.column == 3);
}

TEST_CASE("no message names an internal rule or type") {
  std::vector<std::string> inputs;
  for (const Case& c : kCases) inputs.push_back(c.text);
  const std::string plan =
      "plan \"P\" version 3 currency USD fiscal year FY2027 starts 2026-02-01, periods quarter "
      "rounding half_even to 0.01\n"
      "source deals { no header, encoding \"x\", delimiter \";\", id: text key, "
      "rep: payee? at 12 null \"NULL\" \"0\" trim, s: list<text> sep \"|\" format \"f\" from \"c\" "
      "}\n"
      "credit won from deals as deal amount deal.amount where deal.stage == \"Won\" on deal.d "
      "{ deal.owner gets 100% overlay }\n"
      "measure m: money = sum(credit.amount where credit.kind == direct) + f(a, levels: 2)\n"
      "payout p for role in {\"A\"} when m > 0 USD = 1% * m cap 5 USD floor 0 USD\n";
  // Every truncation of a valid plan.
  for (std::size_t n = 0; n <= plan.size(); ++n) inputs.push_back(plan.substr(0, n));
  std::size_t errors_seen = 0;
  for (const std::string& text : inputs) {
    auto result = tally::parse_plan(source(text));
    if (result.ok()) continue;
    for (const tally::Error& e : result.errors()) {
      ++errors_seen;
      INFO(text);
      INFO(e.message);
      CHECK(e.message.find("tao::") == std::string::npos);
      CHECK(e.message.find("pegtl") == std::string::npos);
      CHECK(e.message.find("struct") == std::string::npos);
      CHECK(e.message.find("rules") == std::string::npos);
      CHECK(e.where.line >= 1);
      CHECK(e.where.column >= 1);
    }
  }
  CHECK(errors_seen > 300);
}
