// Every declaration with every option, read into the AST.
#include <catch2/catch.hpp>

#include "tests/unit/grammar/ast_text.hpp"

using tally::test::ast_text;
using tally::test::source;
namespace ast = tally::ast;

namespace {

ast::Plan parse_ok(const std::string& text) {
  auto result = tally::parse_plan(source(text));
  if (!result) FAIL("unexpected error: " << result.errors().front().message);
  return std::move(result).value();
}

std::vector<std::string> option_values(const ast::FieldOption& option) {
  return option.values;
}

}  // namespace

TEST_CASE("an empty file, or one with only comments, is an empty plan") {
  for (const char* text : {"", "   \n\n", "// nothing\n", "/* nothing */", "\xEF\xBB\xBF"}) {
    const ast::Plan plan = parse_ok(text);
    CHECK_FALSE(plan.header.has_value());
    CHECK(plan.sources.empty());
    CHECK(plan.credits.empty());
    CHECK(plan.values.empty());
    CHECK(plan.payouts.empty());
  }
}

TEST_CASE("plan header with every clause") {
  const std::string text =
      "plan \"AE Plan FY2027\" version 3\n"
      "  currency USD\n"
      "  fiscal year FY2027 starts 2026-02-01, periods quarter\n"
      "  rounding half_even to 0.01\n";
  const ast::Plan plan = parse_ok(text);
  REQUIRE(plan.header);
  const ast::PlanHeader& h = *plan.header;
  CHECK(h.name == "AE Plan FY2027");
  CHECK(h.version == "3");
  CHECK(h.currency == "USD");
  CHECK(h.fiscal);
  CHECK(h.fiscal_year_label == "FY2027");
  CHECK(h.year_start == "2026-02-01");
  CHECK(h.grain == "quarter");
  CHECK(h.rounding_mode == "half_even");
  CHECK(h.rounding_quantum == "0.01");
  CHECK(h.calendar_span.begin == text.find("fiscal"));
  CHECK(h.calendar_span.end == text.find("\n  rounding"));
  CHECK(h.rounding_span.begin == text.find("rounding"));
  CHECK(h.rounding_span.end == text.find("0.01") + 4);
  CHECK(h.span.begin == 0);
  CHECK(h.span.end == 131);  // the end of "0.01", before the line break
}

TEST_CASE("plan header: optional clauses, string version, calendar-year periods") {
  SECTION("name only") {
    const ast::Plan plan = parse_ok("plan \"P\"");
    REQUIRE(plan.header);
    CHECK(plan.header->name == "P");
    CHECK_FALSE(plan.header->version.has_value());
    CHECK(plan.header->currency.empty());
    CHECK_FALSE(plan.header->fiscal);
    CHECK(plan.header->grain.empty());
    CHECK(plan.header->rounding_mode.empty());
  }
  SECTION("string version and a calendar year by months") {
    const ast::Plan plan = parse_ok("plan \"P\" version \"2026.1\" periods month");
    CHECK(plan.header->version == "2026.1");
    CHECK_FALSE(plan.header->fiscal);
    CHECK(plan.header->grain == "month");
  }
  SECTION("fiscal year without a label or periods") {
    const ast::Plan plan =
        parse_ok("plan \"P\" fiscal year starts 2026-02-01 rounding half_up to 1");
    CHECK(plan.header->fiscal);
    CHECK(plan.header->fiscal_year_label.empty());
    CHECK(plan.header->year_start == "2026-02-01");
    CHECK(plan.header->grain.empty());
    CHECK(plan.header->rounding_mode == "half_up");
    CHECK(plan.header->rounding_quantum == "1");
  }
  SECTION("every period grain") {
    for (const char* grain : {"month", "quarter", "half", "year"}) {
      const ast::Plan plan = parse_ok(std::string("plan \"P\" periods ") + grain);
      CHECK(plan.header->grain == grain);
    }
  }
}

TEST_CASE("source with every source option, type form and field option") {
  const ast::Plan plan = parse_ok(R"(source deals {
  no header
  encoding "windows-1252"
  delimiter ";"
  id: text key
  close_date: date format "M/D/YYYY"
  owner: payee from "owner_rep_id"
  amount: money
  local: money<EUR>
  n: int, d: decimal, p: percent, q: period, b: bool, t: territory
  states: list<text> sep "|"
  nested: list<list<text>>?
  rep: payee? at 12 null "NULL" "0" trim
  when_closed: date?
})");
  REQUIRE(plan.sources.size() == 1);
  const ast::SourceDecl& s = plan.sources[0];
  CHECK_FALSE(s.is_roster);
  CHECK(s.name == "deals");
  REQUIRE(s.options.size() == 3);
  CHECK(s.options[0].name == "no header");
  CHECK(s.options[0].values.empty());
  CHECK(s.options[1].name == "encoding");
  CHECK(option_values(s.options[1]) == std::vector<std::string>{"windows-1252"});
  CHECK(s.options[2].name == "delimiter");
  CHECK(option_values(s.options[2]) == std::vector<std::string>{";"});

  REQUIRE(s.fields.size() == 15);
  auto field = [&](std::size_t i) -> const ast::FieldDecl& { return s.fields.at(i); };
  CHECK(field(0).name == "id");
  CHECK(field(0).type.name == "text");
  REQUIRE(field(0).options.size() == 1);
  CHECK(field(0).options[0].name == "key");

  CHECK(field(1).type.name == "date");
  CHECK(field(1).options[0].name == "format");
  CHECK(option_values(field(1).options[0]) == std::vector<std::string>{"M/D/YYYY"});

  CHECK(field(2).type.name == "payee");
  CHECK(field(2).options[0].name == "from");
  CHECK(option_values(field(2).options[0]) == std::vector<std::string>{"owner_rep_id"});

  CHECK(field(3).name == "amount");  // a reserved word is a field name before ":"
  CHECK(field(3).type.name == "money");
  CHECK(field(3).type.currency.empty());
  CHECK(field(4).type.name == "money");
  CHECK(field(4).type.currency == "EUR");

  const char* simple[] = {"int", "decimal", "percent", "period", "bool", "territory"};
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(field(5 + i).type.name == simple[i]);
    CHECK_FALSE(field(5 + i).type.optional);
    CHECK(field(5 + i).options.empty());
  }

  CHECK(field(11).name == "states");
  CHECK(field(11).type.name == "list");
  REQUIRE(field(11).type.element);
  CHECK(field(11).type.element->name == "text");
  CHECK(field(11).options[0].name == "sep");
  CHECK(option_values(field(11).options[0]) == std::vector<std::string>{"|"});

  CHECK(field(12).type.name == "list");
  CHECK(field(12).type.optional);
  REQUIRE(field(12).type.element);
  CHECK(field(12).type.element->name == "list");
  CHECK_FALSE(field(12).type.element->optional);
  REQUIRE(field(12).type.element->element);
  CHECK(field(12).type.element->element->name == "text");

  const ast::FieldDecl& rep = field(13);
  CHECK(rep.name == "rep");
  CHECK(rep.type.name == "payee");
  CHECK(rep.type.optional);
  REQUIRE(rep.options.size() == 3);
  CHECK(rep.options[0].name == "at");
  CHECK(option_values(rep.options[0]) == std::vector<std::string>{"12"});
  CHECK(rep.options[1].name == "null");
  CHECK(option_values(rep.options[1]) == std::vector<std::string>{"NULL", "0"});
  CHECK(rep.options[2].name == "trim");

  CHECK(field(14).name == "when_closed");
  CHECK(field(14).type.name == "date");
  CHECK(field(14).type.optional);
}

TEST_CASE("roster on one line with comma-separated fields") {
  const ast::Plan plan =
      parse_ok("roster payees { id: text key, name: text, role: text, manager: payee? }");
  REQUIRE(plan.sources.size() == 1);
  const ast::SourceDecl& r = plan.sources[0];
  CHECK(r.is_roster);
  CHECK(r.name == "payees");
  REQUIRE(r.fields.size() == 4);
  CHECK(r.fields[0].options[0].name == "key");
  CHECK(r.fields[1].name == "name");
  CHECK(r.fields[2].name == "role");
  CHECK(r.fields[3].type.name == "payee");
  CHECK(r.fields[3].type.optional);
}

TEST_CASE("credit rule with every clause and every credit kind") {
  const ast::Plan plan = parse_ok(R"(credit won from deals as deal amount deal.amount
    where deal.stage == "Won" on deal.close_date {
  deal.owner gets 100%
  owner(territory(deal)) gets 50% overlay
  deal.sdr gets 10% split, deal.owner.manager gets 100% rollup
  deal.se gets 0.2 direct
})");
  REQUIRE(plan.credits.size() == 1);
  const ast::CreditDecl& c = plan.credits[0];
  CHECK(c.name == "won");
  CHECK(c.source == "deals");
  CHECK(c.row_name == "deal");
  REQUIRE(c.amount);
  CHECK(ast_text(*c.amount) == "(. deal amount)");
  REQUIRE(c.where);
  CHECK(ast_text(*c.where) == "(== (. deal stage) \"Won\")");
  REQUIRE(c.on);
  CHECK(ast_text(*c.on) == "(. deal close_date)");
  REQUIRE(c.lines.size() == 5);
  CHECK(ast_text(*c.lines[0].payee) == "(. deal owner)");
  CHECK(ast_text(*c.lines[0].share) == "100%");
  CHECK(c.lines[0].kind == ast::CreditKind::direct);
  CHECK(ast_text(*c.lines[1].payee) == "(call owner (call territory deal))");
  CHECK(ast_text(*c.lines[1].share) == "50%");
  CHECK(c.lines[1].kind == ast::CreditKind::overlay);
  CHECK(c.lines[2].kind == ast::CreditKind::split);
  CHECK(ast_text(*c.lines[3].payee) == "(. (. deal owner) manager)");
  CHECK(c.lines[3].kind == ast::CreditKind::rollup);
  CHECK(c.lines[4].kind == ast::CreditKind::direct);
  CHECK(ast_text(*c.lines[4].share) == "0.2");
}

TEST_CASE("credit rule with only the required clauses and no lines") {
  const ast::Plan plan = parse_ok("credit all from deals on deal.date { }");
  REQUIRE(plan.credits.size() == 1);
  const ast::CreditDecl& c = plan.credits[0];
  CHECK(c.row_name.empty());
  CHECK_FALSE(c.amount);
  CHECK_FALSE(c.where);
  CHECK(ast_text(*c.on) == "(. deal date)");
  CHECK(c.lines.empty());
}

TEST_CASE("measures and lets, with and without a type") {
  const ast::Plan plan = parse_ok(
      "measure bookings: money = sum(credit.amount)\n"
      "let attainment: percent = bookings / quota(payee, period)\n"
      "measure deals = count(credit)\n"
      "let rates: list<percent> = {1%, 2%}\n");
  REQUIRE(plan.values.size() == 4);
  CHECK(plan.values[0].is_measure);
  CHECK(plan.values[0].name == "bookings");
  REQUIRE(plan.values[0].type);
  CHECK(plan.values[0].type->name == "money");
  CHECK(ast_text(*plan.values[0].value) == "(call sum (. credit amount))");
  CHECK_FALSE(plan.values[1].is_measure);
  CHECK(plan.values[1].type->name == "percent");
  CHECK(ast_text(*plan.values[1].value) == "(/ bookings (call quota payee period))");
  CHECK(plan.values[2].is_measure);
  CHECK_FALSE(plan.values[2].type);
  CHECK(plan.values[3].type->name == "list");
  CHECK(plan.values[3].type->element->name == "percent");
}

TEST_CASE("payouts: each optional clause alone") {
  const ast::Plan plan = parse_ok(
      "payout commission = 10% * bookings\n"
      "payout override for role in {\"MGR\", \"DIR\"} when bookings > 0 USD = 1% * bookings "
      "cap 5_000 USD floor 0 USD\n"
      "payout ae for role == \"AE\" = 1\n"
      "payout gated when x = 2\n"
      "payout capped = 3 cap 4\n"
      "payout floored = 5 floor 6\n");
  REQUIRE(plan.payouts.size() == 6);
  const ast::PayoutDecl& plain = plan.payouts[0];
  CHECK(plain.name == "commission");
  CHECK_FALSE(plain.for_role);
  CHECK_FALSE(plain.when);
  CHECK(ast_text(*plain.value) == "(* 10% bookings)");
  CHECK_FALSE(plain.cap);
  CHECK_FALSE(plain.floor);

  const ast::PayoutDecl& full = plan.payouts[1];
  CHECK(ast_text(*full.for_role) == "(in role {\"MGR\" \"DIR\"})");
  CHECK(ast_text(*full.when) == "(> bookings [0 USD])");
  CHECK(ast_text(*full.value) == "(* 1% bookings)");
  CHECK(ast_text(*full.cap) == "[5000 USD]");
  CHECK(ast_text(*full.floor) == "[0 USD]");

  CHECK(ast_text(*plan.payouts[2].for_role) == "(== role \"AE\")");
  CHECK(ast_text(*plan.payouts[3].when) == "x");
  CHECK(ast_text(*plan.payouts[4].cap) == "4");
  CHECK_FALSE(plan.payouts[4].floor);
  CHECK(ast_text(*plan.payouts[5].floor) == "6");
  CHECK_FALSE(plan.payouts[5].cap);
}

TEST_CASE("declarations in any order, any number, the plan keeps their order per kind") {
  const ast::Plan plan = parse_ok(
      "payout b = 2\nmeasure m1 = 1\nsource s { }\nlet l = 2\nplan \"P\"\nroster r { }\n"
      "payout a = 1\nmeasure m2 = 3\n");
  CHECK(plan.header->name == "P");
  REQUIRE(plan.sources.size() == 2);
  CHECK(plan.sources[0].name == "s");
  CHECK(plan.sources[1].name == "r");
  REQUIRE(plan.values.size() == 3);
  CHECK(plan.values[0].name == "m1");
  CHECK(plan.values[1].name == "l");
  CHECK(plan.values[2].name == "m2");
  REQUIRE(plan.payouts.size() == 2);
  CHECK(plan.payouts[0].name == "b");
  CHECK(plan.payouts[1].name == "a");
}

TEST_CASE("comments everywhere whitespace is allowed") {
  const ast::Plan plan = parse_ok(
      "/* head */ plan /*a*/ \"P\" // end\n"
      "  version /*b*/ 2 currency /*c*/ EUR\n"
      "source /*d*/ s /*e*/ { // f\n"
      "  /*g*/ id /*h*/ : /*i*/ text /*j*/ key /*k*/ , // l\n"
      "  x: list /*m*/ < /*n*/ text /*o*/ > /*p*/ ? /*q*/\n"
      "} /*r*/\n"
      "credit /*s*/ c from s /*t*/ on /*u*/ d /*v*/ { /*w*/ a /*x*/ gets /*y*/ 1 /*z*/ }\n"
      "measure /*1*/ m /*2*/ : /*3*/ money /*4*/ = /*5*/ 1 /*6*/\n"
      "payout /*7*/ p /*8*/ for /*9*/ role == \"A\" when /**/ x = 1 cap // 10\n 2 floor 3 /* end "
      "*/");
  CHECK(plan.header->version == "2");
  CHECK(plan.header->currency == "EUR");
  REQUIRE(plan.sources.size() == 1);
  REQUIRE(plan.sources[0].fields.size() == 2);
  CHECK(plan.sources[0].fields[1].type.optional);
  CHECK(plan.sources[0].fields[1].type.element->name == "text");
  REQUIRE(plan.credits.size() == 1);
  CHECK(plan.credits[0].lines.size() == 1);
  REQUIRE(plan.values.size() == 1);
  CHECK(plan.values[0].type->name == "money");
  REQUIRE(plan.payouts.size() == 1);
  CHECK(ast_text(*plan.payouts[0].cap) == "2");
  CHECK(ast_text(*plan.payouts[0].floor) == "3");
}

TEST_CASE("CRLF line ends and a byte order mark") {
  const ast::Plan plan = parse_ok(
      "\xEF\xBB\xBFplan \"P\"\r\n  currency USD\r\n\r\nsource s {\r\n  id: text key\r\n}\r\n"
      "measure m = 1 +\r\n  2 // comment\r\n");
  CHECK(plan.header->name == "P");
  CHECK(plan.header->currency == "USD");
  CHECK(plan.sources[0].fields[0].options[0].name == "key");
  CHECK(ast_text(*plan.values[0].value) == "(+ 1 2)");
}
