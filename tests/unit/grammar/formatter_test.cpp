// tally fmt: hand-written before/after cases for every construct and for
// comments. Each case also checks the formatter's promises: the output parses
// to the same AST (dump_plan), formatting it again changes nothing, and every
// comment is still there, once.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "grammar/ast_dump.hpp"
#include "grammar/formatter.hpp"
#include "grammar/parser.hpp"
#include "tests/unit/grammar/ast_text.hpp"

namespace ast = tally::ast;
using tally::test::source;

namespace {

ast::Plan parse_ok(const std::string& text) {
  auto result = tally::parse_plan(source(text));
  if (!result) {
    FAIL("unexpected error: " << result.errors().front().message << " at line "
                              << result.errors().front().where.line << " in:\n"
                              << text);
  }
  return std::move(result).value();
}

std::vector<std::string> comment_texts(const ast::Plan& plan) {
  std::vector<std::string> texts;
  for (const ast::Comment& comment : plan.comments) {
    std::string text = comment.text;
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                             text.back() == '\n')) {
      text.pop_back();
    }
    texts.push_back(text);
  }
  std::sort(texts.begin(), texts.end());
  return texts;
}

/// Formats `text`, checking that the result means the same, keeps every
/// comment and is its own canonical form.
std::string format_checked(const std::string& text) {
  const ast::Plan plan = parse_ok(text);
  const std::string formatted = tally::format_plan(plan);
  const ast::Plan again = parse_ok(formatted);
  CHECK(tally::dump_plan(again) == tally::dump_plan(plan));
  CHECK(comment_texts(again) == comment_texts(plan));
  CHECK(tally::format_plan(again) == formatted);
  return formatted;
}

}  // namespace

TEST_CASE("fmt: the plan header, one clause per line unless written on one line") {
  CHECK(format_checked("plan   \"AE Plan\"  version \"3\"  currency USD fiscal year FY2027 starts "
                       "2026-02-01 , periods quarter rounding half_even to 0.01") ==
        "plan \"AE Plan\" version 3\n"
        "  currency USD\n"
        "  fiscal year FY2027 starts 2026-02-01, periods quarter\n"
        "  rounding half_even to 0.01\n");
  CHECK(format_checked("plan \"P\" version \"beta 2\"\nperiods month") ==
        "plan \"P\" version \"beta 2\"\n"
        "  periods month\n");
  CHECK(format_checked("plan \"P\"\n fiscal year starts 2026-02-01") ==
        "plan \"P\"\n"
        "  fiscal year starts 2026-02-01\n");
  // Written on one line and short enough: kept on one line.
  CHECK(format_checked("plan   \"Test\"  currency USD  periods month") ==
        "plan \"Test\" currency USD periods month\n");
}

TEST_CASE("fmt: sources and rosters, one option or field per line") {
  CHECK(
      format_checked("roster payees { id: text key, name: text,\n role: text, manager: payee? }") ==
      "roster payees {\n"
      "  id: text key\n"
      "  name: text\n"
      "  role: text\n"
      "  manager: payee?\n"
      "}\n");
  CHECK(format_checked("source deals { no header encoding \"windows-1252\" delimiter \";\"\n"
                       "id: text key  rep: payee? at 1_2 null \"NULL\" \"0\" trim\n"
                       "states: list<text> sep \"|\", amount: money<EUR>,\n"
                       "close: date format \"M/D/YYYY\" from \"Close\" }") ==
        "source deals {\n"
        "  no header\n"
        "  encoding \"windows-1252\"\n"
        "  delimiter \";\"\n"
        "  id: text key\n"
        "  rep: payee? at 12 null \"NULL\" \"0\" trim\n"
        "  states: list<text> sep \"|\"\n"
        "  amount: money<EUR>\n"
        "  close: date format \"M/D/YYYY\" from \"Close\"\n"
        "}\n");
  CHECK(format_checked("source empty {}") == "source empty {}\n");
  CHECK(format_checked("roster payees {id: text key,name: text , role: text}") ==
        "roster payees { id: text key, name: text, role: text }\n");
}

TEST_CASE("fmt: credit rules align their payees; `direct` is the default and not written") {
  CHECK(format_checked("credit won from deals as deal amount deal.amount where deal.stage==\"Won\" "
                       "on deal.close_date {\n deal.owner gets 100% direct, "
                       "owner(territory(deal)) gets 50% overlay }") ==
        "credit won from deals as deal amount deal.amount where deal.stage == \"Won\" on "
        "deal.close_date {\n"
        "  deal.owner             gets 100%\n"
        "  owner(territory(deal)) gets 50% overlay\n"
        "}\n");
  // A head past 100 columns puts each clause on a line of its own.
  CHECK(format_checked("credit won from opportunities as opp where opp.stage == \"Closed Won\" and "
                       "opp.amount > 0 USD and opp.type != \"Renewal\" on opp.close_date "
                       "{ opp.owner gets 100% split }") ==
        "credit won from opportunities as opp\n"
        "  where opp.stage == \"Closed Won\" and opp.amount > 0 USD and opp.type != \"Renewal\"\n"
        "  on opp.close_date {\n"
        "  opp.owner gets 100% split\n"
        "}\n");
  CHECK(format_checked("credit won from deals on deal.day {deal.rep gets 100% direct,"
                       "deal.se gets 1 / 2 split}") ==
        "credit won from deals on deal.day { deal.rep gets 100%, deal.se gets 1 / 2 split }\n");
}

TEST_CASE("fmt: measures and lets; blank lines between kinds, kept within a kind") {
  CHECK(format_checked("measure a = sum(credit.amount)\n"
                       "measure b: money = sum(credit.amount where deal.x == 1)\n"
                       "let c = a / b\n"
                       "\n\n\n"
                       "let d: decimal = 1\n"
                       "let e = 2\n") ==
        "measure a = sum(credit.amount)\n"
        "measure b: money = sum(credit.amount where deal.x == 1)\n"
        "\n"
        "let c = a / b\n"
        "\n"
        "let d: decimal = 1\n"
        "let e = 2\n");
}

TEST_CASE("fmt: the fewest parentheses that keep the tree") {
  CHECK(format_checked("let a = ((1 + 2)) * (3)") == "let a = (1 + 2) * 3\n");
  CHECK(format_checked("let a = 1 - (2 - 3)") == "let a = 1 - (2 - 3)\n");
  CHECK(format_checked("let a = (1 - 2) - 3") == "let a = 1 - 2 - 3\n");
  CHECK(format_checked("let a = not (x == y)") == "let a = not x == y\n");
  CHECK(format_checked("let a = (not x) == y") == "let a = (not x) == y\n");
  CHECK(format_checked("let a = x and (not y)") == "let a = x and not y\n");
  CHECK(format_checked("let a = -(x.y) * (-z)") == "let a = -x.y * -z\n");
  CHECK(format_checked("let a = -(-x)") == "let a = -(-x)\n");
  CHECK(format_checked("let a = -(x + 1)") == "let a = -(x + 1)\n");
  CHECK(format_checked("let a = (x < y) == z") == "let a = (x < y) == z\n");
  CHECK(format_checked("let a = (x or y) and z") == "let a = (x or y) and z\n");
  CHECK(format_checked("let a = x or (y and z)") == "let a = x or y and z\n");
  CHECK(format_checked("let a = (x ?? 0 USD) > 5 USD") == "let a = x ?? 0 USD > 5 USD\n");
  CHECK(format_checked("let a = x ?? (y ?? z)") == "let a = x ?? (y ?? z)\n");
  CHECK(format_checked("let a = (x + y).z") == "let a = (x + y).z\n");
  CHECK(format_checked("let a = x in (1 .. 5)") == "let a = x in 1 .. 5\n");
  CHECK(format_checked("let a = {(1 ..), 2 .. 3}") == "let a = {1 .., 2 .. 3}\n");
  CHECK(format_checked("let a = (x unless c then y)") == "let a = x unless c then y\n");
  CHECK(format_checked("let a = f((x unless c then y), (x))") ==
        "let a = f(x unless c then y, x)\n");
  CHECK(format_checked("let a = (x unless c then y) + 1") == "let a = (x unless c then y) + 1\n");
  CHECK(format_checked("let a = (a within 90 days of b) and c") ==
        "let a = a within 90 days of b and c\n");
}

TEST_CASE("fmt: literals as written, money and large numbers in thousands") {
  CHECK(
      format_checked("let a = 1200000 + 1_0000.5 + 50000 USD + 1000 USD + 999 USD + 2026 + 12345% "
                     "+ 1e3 + 1_000 + 0.50") ==
      "let a = 1_200_000 + 10_000.5 + 50_000 USD + 1_000 USD + 999 USD + 2026 + 12_345% + 1e3 + "
      "1000 + 0.50\n");
  CHECK(format_checked("let a = {2026-03-15, 2026-Q1, FY2027-M03, H2, true, null, \"\"}") ==
        "let a = {2026-03-15, 2026-Q1, FY2027-M03, H2, true, null, \"\"}\n");
  CHECK(format_checked("let s = \"a\\\"b\\\\c\\nd\\te\\u{1F600}\\u{7}\"") ==
        "let s = \"a\\\"b\\\\c\\nd\\te\xF0\x9F\x98\x80\\u{7}\"\n");
  // Characters a reader cannot see stay escaped (zero-width space, no-break
  // space, byte order mark); visible ones are written out.
  CHECK(format_checked("let s = \"x\\u{200B}y\\u{A0}z\\u{FEFF}\\u{E9}\"") ==
        "let s = \"x\\u{200B}y\\u{A0}z\\u{FEFF}\xC3\xA9\"\n");
  CHECK(format_checked("let r = {amount: 5 USD,stage: \"Won\"}") ==
        "let r = {amount: 5 USD, stage: \"Won\"}\n");
  CHECK(format_checked("measure n = count(distinct deal.account where deal.type == \"New\")") ==
        "measure n = count(distinct deal.account where deal.type == \"New\")\n");
}

TEST_CASE("fmt: long expressions break before `or`, `and`, `+` and between arguments") {
  CHECK(format_checked("measure long = sum(credit.amount where deal.segment == \"ENT\" or "
                       "deal.segment == \"MM\" or deal.segment == \"SMB\" or deal.region == "
                       "\"EMEA\")") ==
        "measure long =\n"
        "  sum(\n"
        "    credit.amount where deal.segment == \"ENT\"\n"
        "      or deal.segment == \"MM\"\n"
        "      or deal.segment == \"SMB\"\n"
        "      or deal.region == \"EMEA\"\n"
        "  )\n");
  CHECK(format_checked("let total = first_component_of_the_plan + second_component_of_the_plan + "
                       "third_component_of_the_plan - the_deduction") ==
        "let total =\n"
        "  first_component_of_the_plan\n"
        "    + second_component_of_the_plan\n"
        "    + third_component_of_the_plan\n"
        "    - the_deduction\n");
}

TEST_CASE("fmt: payouts show their cap, floor and payment plan on lines of their own") {
  CHECK(format_checked("payout override for role in {\"MGR\",\"DIR\"} when bookings > 0 USD = "
                       "1% * bookings cap 5000 USD per year defer floor 0 USD per period\n"
                       "pay min 1000 USD max 10000 USD per period") ==
        "payout override for role in {\"MGR\", \"DIR\"} when bookings > 0 USD =\n"
        "  1% * bookings\n"
        "  cap 5_000 USD per year defer\n"
        "  floor 0 USD per period\n"
        "  pay min 1_000 USD max 10_000 USD per period\n");
  CHECK(format_checked("payout p = 1 USD\n  pay max 5 USD per period") ==
        "payout p =\n"
        "  1 USD\n"
        "  pay max 5 USD per period\n");
  CHECK(format_checked("payout p = 1 USD  cap 9 USD  floor 0 USD") ==
        "payout p = 1 USD cap 9 USD floor 0 USD\n");
  CHECK(format_checked("payout  commission  =  10% * bookings") ==
        "payout commission = 10% * bookings\n");
}

TEST_CASE("fmt: tables and goals") {
  CHECK(format_checked("table quota(payee, period): money from quotas(rep_id, quarter, amount)\n"
                       "table target(payee,period):money from targets\n"
                       "goal annual(payee): money from annual_quotas\n"
                       "goal q(payee, period): money = allocate(annual(payee), weights: "
                       "{Q1: 20%, Q2: 25%, Q3: 25%, Q4: 30%})\n"
                       "goal team(payee, period): money = rollup(quota) prorated\n") ==
        "table quota(payee, period): money from quotas(rep_id, quarter, amount)\n"
        "table target(payee, period): money from targets\n"
        "\n"
        "goal annual(payee): money from annual_quotas\n"
        "\n"
        "goal q(payee, period): money =\n"
        "  allocate(annual(payee), weights: {Q1: 20%, Q2: 25%, Q3: 25%, Q4: 30%})\n"
        "\n"
        "goal team(payee, period): money = rollup(quota) prorated\n");
}

TEST_CASE("fmt: territories") {
  CHECK(format_checked("territory West = deal.account_state in {\"CA\", \"OR\"} owner \"se-001\"\n"
                       "territory West.CA = deal.account_state == \"CA\" priority 2 owner "
                       "\"se-003\"\n"
                       "territories from territory_map as t match deal.account_state in t.states "
                       "and deal.segment == t.segment owner t.se\n priority 1 name t.id\n"
                       "territories from m as t match deal.x == t.x owner t.se") ==
        "territory West = deal.account_state in {\"CA\", \"OR\"} owner \"se-001\"\n"
        "territory West.CA = deal.account_state == \"CA\" owner \"se-003\" priority 2\n"
        "\n"
        "territories from territory_map as t\n"
        "  match deal.account_state in t.states and deal.segment == t.segment\n"
        "  owner t.se\n"
        "  priority 1\n"
        "  name t.id\n"
        "\n"
        "territories from m as t match deal.x == t.x owner t.se\n");
}

TEST_CASE("fmt: rate tables read as tables") {
  CHECK(format_checked("rates ae_rates on attainment marginal {\n"
                       "0% .. 50% : 2%\n"
                       "50% .. 100% : 8%\n"
                       "100% .. 150% : 12%\n"
                       "150% .. : 15%\n"
                       "}") ==
        "rates ae_rates on attainment marginal {\n"
        "  0%   ..  50% : 2%\n"
        "  50%  .. 100% : 8%\n"
        "  100% .. 150% : 12%\n"
        "  150% ..      : 15%\n"
        "}\n");
  CHECK(format_checked("rates kicker on bookings retroactive { 0 USD .. 100_000 USD : 1%,\n"
                       "100_000 USD .. : 2% }") ==
        "rates kicker on bookings retroactive {\n"
        "  0 USD       .. 100_000 USD : 1%\n"
        "  100_000 USD ..             : 2%\n"
        "}\n");
  CHECK(format_checked("rates product_rate by deal.product { \"GTX Pro\" : 6%, \"MG Special\": 4%\n"
                       "else: 5% }") ==
        "rates product_rate by deal.product {\n"
        "  \"GTX Pro\"    : 6%\n"
        "  \"MG Special\" : 4%\n"
        "  else         : 5%\n"
        "}\n");
  CHECK(format_checked("rates kicker on bookings retroactive { 0 USD ..: 1% }") ==
        "rates kicker on bookings retroactive { 0 USD .. : 1% }\n");
  CHECK(format_checked("rates kicker on bookings retroactive {\n 0 USD ..: 1%\n}") ==
        "rates kicker on bookings retroactive {\n"
        "  0 USD .. : 1%\n"
        "}\n");
}

TEST_CASE("fmt: draws and clawbacks") {
  CHECK(format_checked("draw ramp for role == \"AE\" when months_employed(payee) <= 3 = 5_000 USD "
                       "per month recoverable limit 2_000 USD per month\n"
                       "draw guarantee for role == \"SDR\" = 2_000 USD per month") ==
        "draw ramp for role == \"AE\" when months_employed(payee) <= 3 =\n"
        "  5_000 USD per month recoverable limit 2_000 USD per month\n"
        "\n"
        "draw guarantee for role == \"SDR\" = 2_000 USD per month\n");
  CHECK(format_checked("clawback commission when deal.cancelled_on within 90 days of "
                       "deal.close_date\n"
                       "clawback commission when deal.churned_on within 6 months of "
                       "deal.close_date share 50% and credit") ==
        "clawback commission when deal.cancelled_on within 90 days of deal.close_date\n"
        "clawback commission when deal.churned_on within 6 months of deal.close_date share 50% "
        "and credit\n");
}

TEST_CASE("fmt: functions, tests and imports") {
  CHECK(format_checked("fn prorate(amount: money, days: int): money = amount * days / 365\n"
                       "fn tier_bonus(a: percent): money = 0 USD unless a >= 100% then 1_000 USD "
                       "unless a >= 120% then 2_500 USD\n"
                       "fn f(r: record { name: text, amount: money }): money = r.amount") ==
        "fn prorate(amount: money, days: int): money = amount * days / 365\n"
        "\n"
        "fn tier_bonus(a: percent): money =\n"
        "  0 USD unless a >= 100% then 1_000 USD unless a >= 120% then 2_500 USD\n"
        "\n"
        "fn f(r: record { name: text, amount: money }): money = r.amount\n");
  CHECK(format_checked("test \"AE at 120%\" {\n"
                       "payee ann role \"AE\"   quota 100_000 USD\n"
                       "deal owner ann amount 120000 USD close_date 2026-03-15\n"
                       "expect commission(ann, Q1) == 7400 USD }\n"
                       "import \"stdlib/tiers\"") ==
        "test \"AE at 120%\" {\n"
        "  payee ann role \"AE\" quota 100_000 USD\n"
        "  deal owner ann amount 120_000 USD close_date 2026-03-15\n"
        "  expect commission(ann, Q1) == 7_400 USD\n"
        "}\n"
        "\n"
        "import \"stdlib/tiers\"\n");
}

// ---------------------------------------------------------------- comments

TEST_CASE("fmt: a comment at the start of the file keeps its blank line") {
  CHECK(format_checked("// Demo plan.\n"
                       "//\n"
                       "//   tally run demo.tally\n"
                       "\n"
                       "\n"
                       "plan \"P\"   // the name\n"
                       "  currency USD // money\n") ==
        "// Demo plan.\n"
        "//\n"
        "//   tally run demo.tally\n"
        "\n"
        "plan \"P\"  // the name\n"
        "  currency USD  // money\n");
}

TEST_CASE("fmt: comments between declarations stay with the declaration after them") {
  CHECK(format_checked("measure a = 1\n"
                       "// about b\n"
                       "measure b = 2\n"
                       "\n"
                       "// about the lets\n"
                       "\n"
                       "// about c\n"
                       "let c = 3\n"
                       "// at the end\n") ==
        "measure a = 1\n"
        "// about b\n"
        "measure b = 2\n"
        "\n"
        "// about the lets\n"
        "\n"
        "// about c\n"
        "let c = 3\n"
        "// at the end\n");
  // A comment directly under a declaration of another kind gets the blank line before it.
  CHECK(format_checked("measure a = 1\n"
                       "// about c\n"
                       "let c = 3\n") ==
        "measure a = 1\n"
        "\n"
        "// about c\n"
        "let c = 3\n");
}

TEST_CASE("fmt: comments inside blocks") {
  CHECK(format_checked("source deals { // the CRM export\n"
                       "    // the key\n"
                       "  id: text key   // unique\n"
                       "\n"
                       "      /* money */ amount: money\n"
                       "  // no more fields\n"
                       "}  // end of deals\n") ==
        "source deals {  // the CRM export\n"
        "  // the key\n"
        "  id: text key  // unique\n"
        "\n"
        "  /* money */\n"
        "  amount: money\n"
        "  // no more fields\n"
        "}  // end of deals\n");
  CHECK(format_checked("credit won from deals on deal.close_date {\n"
                       "  deal.owner gets 100% // the rep\n"
                       "  // the engineer\n"
                       "  deal.se gets 50% overlay\n"
                       "}\n") ==
        "credit won from deals on deal.close_date {\n"
        "  deal.owner gets 100%  // the rep\n"
        "  // the engineer\n"
        "  deal.se    gets 50% overlay\n"
        "}\n");
}

TEST_CASE("fmt: comments inside expressions and clauses") {
  // A comment inside an expression that now fits on one line moves above it
  // when it had a line of its own, or to the end of the line when it followed code.
  CHECK(format_checked("let x = a +\n"
                       "  // why b\n"
                       "  b /* and c */ + c\n") ==
        "// why b\n"
        "let x = a + b + c  /* and c */\n");
  CHECK(format_checked("payout commission for role == \"AE\" = // the base\n"
                       "  8% * bookings // the rate\n"
                       "  // the cap\n"
                       "  cap 25_000 USD\n") ==
        "payout commission for role == \"AE\" =  // the base\n"
        "  8% * bookings  // the rate\n"
        "  // the cap\n"
        "  cap 25_000 USD\n");
  // Two line comments cannot share a line: the second gets a line of its own.
  CHECK(format_checked("let x = a // first\n"
                       "  + b // second\n"
                       "let y = 1\n") ==
        "let x = a + b  // first\n"
        "// second\n"
        "let y = 1\n");
}

TEST_CASE("fmt: the comment example of docs/formatting.md") {
  CHECK(format_checked("let x = a +   // first\n"
                       "  // why b\n"
                       "  b + c  // second\n") ==
        "// why b\n"
        "let x = a + b + c  // first\n"
        "// second\n");
}

TEST_CASE("fmt: block comments spanning lines are kept as written") {
  CHECK(format_checked("/* A plan\n"
                       "   with a long preamble. */\n"
                       "let x = 1 /* one\n"
                       "  two */ // three\n"
                       "let y = 2\n") ==
        "/* A plan\n"
        "   with a long preamble. */\n"
        "let x = 1  /* one\n"
        "  two */\n"
        "// three\n"
        "let y = 2\n");
  CHECK(format_checked("// only a comment\r\n") == "// only a comment\n");
  CHECK(format_checked("") == "");
}

TEST_CASE("fmt: comments in test blocks, empty blocks and around closing braces") {
  CHECK(format_checked("test \"t\" {\n"
                       "  // a payee\n"
                       "  payee ann role \"AE\"  // the AE\n"
                       "\n"
                       "\n"
                       "  expect x == 1\n"
                       "\n"
                       "  // nothing after\n"
                       "}\n") ==
        "test \"t\" {\n"
        "  // a payee\n"
        "  payee ann role \"AE\"  // the AE\n"
        "\n"
        "  expect x == 1\n"
        "\n"
        "  // nothing after\n"
        "}\n");
  CHECK(format_checked("source x { // nothing yet\n}") == "source x {}  // nothing yet\n");
  CHECK(format_checked("credit won from deals // the CRM\n"
                       "  where deal.stage == \"Won\" // only won\n"
                       "  on deal.close_date { // dated\n"
                       "  deal.owner gets 100%\n"
                       "}\n") ==
        "credit won from deals where deal.stage == \"Won\" on deal.close_date {  // the CRM\n"
        "  // only won\n"
        "  // dated\n"
        "  deal.owner gets 100%\n"
        "}\n");
}

TEST_CASE("fmt: only comments, CRLF line ends, a byte order mark, tabs") {
  CHECK(format_checked("// a\n\n\n\n// b\n") == "// a\n\n// b\n");
  CHECK(format_checked(
            "\xEF\xBB\xBFplan \"P\"\r\n\tcurrency USD\r\n\r\n\r\nlet a = 1 // one\t\r\n") ==
        "plan \"P\"\n"
        "  currency USD\n"
        "\n"
        "let a = 1  // one\n");
}
