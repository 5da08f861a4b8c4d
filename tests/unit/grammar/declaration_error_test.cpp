// The syntax errors of the declarations of the whole language: exact message
// and position (line, column, length of the caret), counted by hand; recovery
// with the new declaration keywords.
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
    "expected a type (text, int, decimal, money, percent, date, period, bool, payee, territory, "
    "list<...> or record {...}) after \":\"";

const std::vector<Case> kCases = {
    // tables and goals
    {"table quota payee", 1, 13, 5,
     "expected \"(\" and the keys (such as payee, period) after the name, found \"payee\""},
    {"table q(payee period): money = 1", 1, 15, 6,
     "expected \",\" or \")\" after the key, found \"period\""},
    {"table q(payee) money", 1, 16, 5,
     "expected \":\" and the type of the values after the keys, found \"money\""},
    {"table q(payee): money", 1, 22, 0,
     "expected \"from\" and a source, or \"=\" and an expression, after the type, found end of "
     "file"},
    {"table q(payee): = 1", 1, 17, 1, kType + ", found \"=\""},
    {"table q(): money = 1", 1, 9, 1, "expected a key name (such as payee or period), found \")\""},
    {"table q(p): money from s(a,)", 1, 28, 1, "expected a column name, found \")\""},
    {"table q(p): money from 1", 1, 24, 1, "expected a source name after \"from\", found \"1\""},
    {"goal 1", 1, 6, 1, "expected a name after \"goal\", found \"1\""},
    {"table", 1, 6, 0, "expected a name after \"table\", found end of file"},
    // territories
    {"territory West owner \"x\"", 1, 16, 5,
     "expected \"=\" and the condition that selects the territory's transactions, found "
     "\"owner\""},
    {"territory W = a owner \"x\" owner \"y\"", 1, 33, 3,
     "a second \"owner\" clause; write it once"},
    {"territory W = a priority", 1, 25, 0,
     "expected a priority number after \"priority\", found end of file"},
    {"territory = x", 1, 11, 1,
     "expected a name after \"territory\" (such as West or West.CA), found \"=\""},
    {"territories from m t", 1, 20, 1,
     "expected \"as\" and a row name after the source name, found \"t\""},
    {"territories from m as t owner x", 1, 25, 5,
     "expected \"match\" and the condition that places a transaction in a territory, found "
     "\"owner\""},
    {"territories from m as t match a", 1, 32, 0,
     "expected \"owner\" and each territory's owner after the condition, found end of file"},
    {"territories m", 1, 13, 1,
     "expected \"from\" and a source name after \"territories\", found \"m\""},
    // rates
    {"rates r attainment", 1, 9, 10,
     "expected \"on\" and the value the tiers are over, or \"by\" and a lookup key, after the "
     "rates name, found \"attainment\""},
    {"rates r on a {", 1, 14, 1,
     "expected \"marginal\" or \"retroactive\" after the value the tiers are over, found \"{\""},
    {"rates r on a marginal { 0% : 1% }", 1, 25, 2,
     "a tier is written LOW .. HIGH : RATE, or LOW .. : RATE for the last one"},
    {"rates r on a marginal { 0% .. 1% 2% }", 1, 34, 2,
     "expected \":\" and a rate after the tier, found \"2%\""},
    {"rates r on a marginal { 0% .. : }", 1, 33, 1, "expected a rate after \":\", found \"}\""},
    {"rates r on a marginal 0% .. 1% : 2%", 1, 23, 2, "expected \"{\" and the tiers, found \"0%\""},
    {"rates r on a marginal { 0% .. : 1%", 1, 35, 0,
     "expected a tier (LOW .. HIGH : RATE) or \"}\", found end of file"},
    {"rates r by a { \"x\" 1% }", 1, 20, 2,
     "expected \":\" and a rate after the key, found \"1%\""},
    {"rates r by a { : 1% }", 1, 16, 1,
     "expected a row (KEY : RATE or else : RATE) or \"}\", found \":\""},
    // payout clauses
    {"payout p = 1 cap 2 per month", 1, 24, 5,
     "expected \"period\" or \"year\" after \"per\", found \"month\""},
    {"payout p = 1 floor 2 per", 1, 25, 0,
     "expected \"period\" or \"year\" after \"per\", found end of file"},
    {"payout p = 1 pay 5", 1, 18, 1, "expected \"min\" or \"max\" after \"pay\", found \"5\""},
    {"payout p = 1 pay min 5", 1, 23, 0,
     "expected \"per period\" to end the pay clause, found end of file"},
    {"payout p = 1 pay max", 1, 21, 0, "expected an amount after \"max\", found end of file"},
    // draws
    {"draw d = 5 USD per week", 1, 20, 4,
     "expected month, quarter, half, year or period after \"per\", found \"week\""},
    {"draw d for x = 1", 1, 12, 1,
     "expected a comparison of role after \"for\", such as role == \"AE\" or role in {\"AE\", "
     "\"SE\"}"},
    {"draw d 5 USD", 1, 8, 1, "expected \"=\" and the draw amount, found \"5\""},
    {"draw d = 1 recoverable limit", 1, 29, 0,
     "expected an amount after \"limit\", found end of file"},
    // clawbacks
    {"clawback 1", 1, 10, 1, "expected the name of a payout after \"clawback\", found \"1\""},
    {"clawback p if x", 1, 12, 2,
     "expected \"when\" and the condition that charges the payout back, found \"if\""},
    {"clawback p when x share", 1, 24, 0,
     "expected the share charged back (such as 50%) after \"share\", found end of file"},
    // functions and record types
    {"fn f = 1", 1, 6, 1, "expected \"(\" and the parameters after the function name, found \"=\""},
    {"fn f(a) = 1", 1, 7, 1, "expected \":\" and a type after the parameter name, found \")\""},
    {"fn f(a: int,) = 1", 1, 13, 1, "expected a parameter name after \",\", found \")\""},
    {"fn f(1) = 1", 1, 6, 1, "expected a parameter (name: type), \",\" or \")\", found \"1\""},
    {"fn f(a: int) 1", 1, 14, 1, "expected \"=\" and the function body, found \"1\""},
    {"fn f(a: int) =", 1, 15, 0, "expected an expression after \"=\", found end of file"},
    {"fn f(r: record name: text) = 1", 1, 16, 4,
     "expected \"{\" and the fields after \"record\", found \"name\""},
    {"fn f(r: record { a text }) = 1", 1, 20, 4,
     "expected \":\" and a type after the field name, found \"text\""},
    {"fn f(r: record { a: }) = 1", 1, 21, 1, kType + ", found \"}\""},
    {"fn f(r: record { a: int ) = 1", 1, 25, 1,
     "expected a field (name: type) or \"}\", found \")\""},
    // tests
    {"test x {}", 1, 6, 1, "expected the test's name as a string after \"test\", found \"x\""},
    {"test \"t\" payee a", 1, 10, 5, "expected \"{\" and the test's statements, found \"payee\""},
    {"test \"t\" { payee \"a\" }", 1, 18, 3,
     "expected the payee's id (a name) after \"payee\", found the string \"a\""},
    {"test \"t\" { deal amount }", 1, 24, 1, "expected a value after the field name, found \"}\""},
    {"test \"t\" { expect }", 1, 19, 1, "expected an expression after \"expect\", found \"}\""},
    {"test \"t\" { 1 }", 1, 12, 1,
     "expected a statement (payee ID ..., a row such as deal amount 5 USD, or expect ...) or "
     "\"}\", found \"1\""},
    {"test \"t\" {\n  deal amount 5 USD\n", 2, 20, 0,
     "expected a statement (payee ID ..., a row such as deal amount 5 USD, or expect ...) or "
     "\"}\", found end of file"},
    // imports
    {"import tiers", 1, 8, 5,
     "expected the path of the plan to import, as a string, after \"import\", found \"tiers\""},
    // the rest of the commit points, mostly at the end of the file
    {"payout p = 1 pay min", 1, 21, 0, "expected an amount after \"min\", found end of file"},
    {"table q(p): money from s(a b)", 1, 28, 1,
     "expected \",\" or \")\" after the column name, found \"b\""},
    {"table q(p): money =", 1, 20, 0, "expected an expression after \"=\", found end of file"},
    {"territory W =", 1, 14, 0, "expected a condition after \"=\", found end of file"},
    {"territory W = a owner", 1, 22, 0,
     "expected the owner (a payee id) after \"owner\", found end of file"},
    {"territory W = a priority 1 priority 2", 1, 37, 1,
     "a second \"priority\" clause; write it once"},
    {"territories from", 1, 17, 0, "expected a source name after \"from\", found end of file"},
    {"territories from m as", 1, 22, 0, "expected a row name after \"as\", found end of file"},
    {"territories from m as t match", 1, 30, 0,
     "expected a condition after \"match\", found end of file"},
    {"territories from m as t match a owner", 1, 38, 0,
     "expected the owner after \"owner\", found end of file"},
    {"territories from m as t match a owner b priority", 1, 49, 0,
     "expected a priority after \"priority\", found end of file"},
    {"territories from m as t match a owner b name", 1, 45, 0,
     "expected the territory's name after \"name\", found end of file"},
    {"rates", 1, 6, 0, "expected a name after \"rates\", found end of file"},
    {"rates r on", 1, 11, 0,
     "expected the value the tiers are over (such as attainment) after \"on\", found end of "
     "file"},
    {"rates r by", 1, 11, 0,
     "expected the lookup key (such as deal.product) after \"by\", found end of file"},
    {"rates r by x", 1, 13, 0, "expected \"{\" and the rows of the lookup, found end of file"},
    {"rates r by x { a :", 1, 19, 0, "expected a rate after \":\", found end of file"},
    {"draw", 1, 5, 0, "expected a name after \"draw\", found end of file"},
    {"draw d when", 1, 12, 0, "expected a condition after \"when\", found end of file"},
    {"draw d =", 1, 9, 0, "expected an amount after \"=\", found end of file"},
    {"draw d = 1 recoverable limit 2 per", 1, 35, 0,
     "expected month, quarter, half, year or period after \"per\", found end of file"},
    {"clawback p when", 1, 16, 0, "expected a condition after \"when\", found end of file"},
    {"fn", 1, 3, 0, "expected a name after \"fn\", found end of file"},
    {"fn f(a:", 1, 8, 0, kType + ", found end of file"},
    {"fn f():", 1, 8, 0, kType + ", found end of file"},
    // misspelt declaration keywords
    {"tablee q(payee): money = 1", 1, 1, 6,
     "unknown declaration \"tablee\"; did you mean \"table\"?"},
    {"clawbak p when x", 1, 1, 7, "unknown declaration \"clawbak\"; did you mean \"clawback\"?"},
    {"rate r by x {}", 1, 1, 4, "unknown declaration \"rate\"; did you mean \"rates\"?"},
    {"territorys from m as t match x owner y", 1, 1, 10,
     "unknown declaration \"territorys\"; did you mean \"territory\"?"},
    {"imports \"x\"", 1, 1, 7, "unknown declaration \"imports\"; did you mean \"import\"?"},
};

}  // namespace

TEST_CASE("every error of the new declarations: message and position") {
  tally::test::check_syntax_errors(kCases);
}

TEST_CASE("recovery resumes at every new declaration keyword") {
  auto result =
      tally::parse_plan(source("table q payee\n"
                               "territory West owner \"x\"\n"
                               "rates r {\n"
                               "  0% .. : 1%\n"
                               "}\n"
                               "draw d = 5 USD per week\n"
                               "fn f(a) = 1\n"
                               "test t {}\n"
                               "goal g(payee): money = 1\n"
                               "import x\n"
                               "clawbak p when x\n"
                               "clawback p when deal.x within 3 weeks of y\n"));
  REQUIRE_FALSE(result.ok());
  std::vector<int> lines;
  for (const tally::Error& e : result.errors()) lines.push_back(e.where.line);
  CHECK(lines == std::vector<int>{1, 2, 3, 6, 7, 8, 10, 11, 12});
}

TEST_CASE("a declaration keyword followed by a colon is a field, not a recovery point") {
  // `table: text` inside a broken source is a field; recovery goes on to `measure`.
  auto result =
      tally::parse_plan(source("source s { a: list<text\n"
                               "  table: text\n"
                               "  test: text\n"
                               "}\n"
                               "measure m x\n"));
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.errors().size() == 2);
  CHECK(result.errors()[1].where.line == 5);
}

TEST_CASE("a contextual declaration keyword used as a call or a row is not a recovery point") {
  // The broken credit rule is skipped as a whole: its line `territory(deal)`
  // and `credit.amount` do not start declarations.
  auto result =
      tally::parse_plan(source("credit c from s on x {\n"
                               "  deal.owner gets 100% banana\n"
                               "  territory(deal) gets 50% overlay\n"
                               "}\n"
                               "measure m = sum(\n"
                               "  credit.amount)) * 2\n"
                               "territory West = banana banana\n"));
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.errors().size() == 3);
  // `banana` reads as the payee of a next credit line, which lacks its `gets`.
  CHECK(result.errors()[0].message ==
        "expected \"gets\" and a share after the payee, found \"territory\"");
  CHECK(result.errors()[0].where.line == 3);
  CHECK(result.errors()[1].where.line == 6);
  CHECK(result.errors()[1].where.column == 17);
  CHECK(result.errors()[2].where.line == 7);
}

TEST_CASE("no message of the new declarations names an internal rule") {
  const std::string plan =
      "table quota(payee, period): money from quotas(rep_id, quarter, quota_amount) prorated\n"
      "goal q(payee): money = allocate(a(payee), weights: {Q1: 20%})\n"
      "territory West.CA = deal.state == \"CA\" owner \"se\" priority 2\n"
      "territories from map as t match deal.state in t.states owner t.se priority 1 name t.id\n"
      "rates ae on attainment marginal { 0% .. 50% : 2%, 50% .. : 8% }\n"
      "rates p by deal.product { \"A\" : 6%, else : 5% }\n"
      "payout c = x cap 3 per year defer floor 0 USD per period pay min 1 USD max 9 USD per "
      "period\n"
      "draw r for role == \"AE\" when m <= 3 = 5 USD per month recoverable limit 2 USD per month\n"
      "clawback c when deal.x within 90 days of deal.y share 50% and credit\n"
      "fn f(r: record { a: money }, d: int): money = r.a ?? 0 USD unless d > 1 then null\n"
      "test \"t\" {\n  payee ann role \"AE\"\n  expect c(ann, Q1) == 1 USD\n}\n"
      "import \"stdlib/tiers\"\n";
  REQUIRE(tally::parse_plan(source(plan)).ok());
  std::size_t errors_seen = 0;
  for (std::size_t n = 0; n < plan.size(); ++n) {
    auto result = tally::parse_plan(source(plan.substr(0, n)));
    if (result.ok()) continue;
    for (const tally::Error& e : result.errors()) {
      ++errors_seen;
      INFO(plan.substr(0, n));
      INFO(e.message);
      CHECK(e.message.find("tao::") == std::string::npos);
      CHECK(e.message.find("pegtl") == std::string::npos);
      CHECK(e.message.find("rules") == std::string::npos);
      CHECK(e.message.find("_decl") == std::string::npos);
      CHECK(e.where.line >= 1);
      CHECK(e.where.column >= 1);
    }
  }
  CHECK(errors_seen > 300);
}
