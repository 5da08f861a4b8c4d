// Hostile input never crashes or hangs the parser, and a large plan parses
// in linear time.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "grammar/diagnostics.hpp"
#include "grammar/parser.hpp"
#include "tests/unit/grammar/ast_text.hpp"

using tally::test::source;

namespace {

const std::string kValidPlan =
    "\xEF\xBB\xBFplan \"AE Plan FY2027\" version 3\r\n"
    "  currency USD\n"
    "  fiscal year FY2027 starts 2026-02-01, periods quarter\n"
    "  rounding half_even to 0.01\n"
    "source deals {\n"
    "  no header, encoding \"windows-1252\"\n"
    "  id: text key\n"
    "  close_date: date format \"M/D/YYYY\"\n"
    "  amount: money<EUR>\n"
    "  states: list<text> sep \"|\"\n"
    "  rep: payee? at 12 null \"NULL\" \"0\" trim\n"
    "}\n"
    "roster payees { id: text key, name: text, role: text, manager: payee? }\n"
    "credit won from deals as deal amount deal.amount where deal.stage == \"Won\" on "
    "deal.close_date {\n"
    "  deal.owner gets 100%\n"
    "  owner(territory(deal)) gets 50% overlay /* c */\n"
    "}\n"
    "measure bookings: money = sum(credit.amount)\n"
    "measure big = count(credit where credit.kind == direct and deal.amount >= 50_000 USD)\n"
    "let attainment: percent = bookings / quota(payee, period)\n"
    "let m = managers(deal.owner, levels: 2) // x\n"
    "payout commission = 10% * bookings\n"
    "payout override for role in {\"MGR\", \"DIR\"} when bookings > 0 USD and Q1 .. FY2027-H2 "
    "= 1% * -bookings cap 5_000 USD floor 0 USD\n"
    "let s = \"\\u{1F600}\\n\" + 2026-03-15 + 2026-03 + {1 .., 2 .. 3} + 1.5E-3\n";

/// Parses and renders every error; returns the number of errors.
std::size_t parse_and_render(const std::string& text) {
  auto file = source(text);
  auto result = tally::parse_plan(file);
  if (result.ok()) return 0;
  for (const tally::Error& e : result.errors()) {
    const std::string rendered = tally::render_error(e, file.get());
    REQUIRE_FALSE(rendered.empty());
    REQUIRE(e.where.line >= 1);
  }
  return result.errors().size();
}

}  // namespace

TEST_CASE("the reference plan is valid") {
  CHECK(parse_and_render(kValidPlan) == 0);
}

TEST_CASE("random bytes never crash") {
  std::mt19937 random(20261127);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 200);
  for (int i = 0; i < 3000; ++i) {
    std::string text(static_cast<std::size_t>(length(random)), '\0');
    for (char& c : text) c = static_cast<char>(byte(random));
    parse_and_render(text);
  }
}

TEST_CASE("random plan-like text never crashes") {
  // Pieces of the language, so that the input gets deep into the grammar.
  const std::vector<std::string> pieces = {
      "plan",    "source",     "roster",  "credit", "measure", "let",   "payout",      "from",
      "as",      "amount",     "where",   "on",     "gets",    "for",   "when",        "cap",
      "floor",   "and",        "or",      "not",    "in",      "key",   "null",        "at",
      "sep",     "format",     "trim",    "no",     "header",  "list",  "<",           ">",
      "?",       "money",      "x",       "deal",   "role",    "=",     "==",          "<=",
      ":",       ",",          ".",       "..",     "(",       ")",     "{",           "}",
      "+",       "-",          "*",       "/",      "1",       "1_000", "2.5",         "8%",
      "500 USD", "2026-03-15", "2026-Q1", "FY2027", "Q1",      "\"s\"", "\"\\u{41}\"", "\"",
      "\\",      "//c\n",      "/*",      "*/",     "\n",      " ",     "\t",          "\r\n",
      "é"};
  std::mt19937 random(7);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> count(1, 60);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    for (int n = count(random); n > 0; --n) text += pieces[pick(random)] + " ";
    parse_and_render(text);
  }
}

TEST_CASE("mutations of a valid plan never crash") {
  std::mt19937 random(42);
  std::uniform_int_distribution<int> byte(0, 127);
  for (int i = 0; i < 3000; ++i) {
    std::string text = kValidPlan;
    for (int k = 0; k < 3; ++k) {
      const std::size_t at = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(random);
      switch (random() % 3) {
        case 0:
          text.erase(at, 1);
          break;
        case 1:
          text.insert(at, 1, static_cast<char>(byte(random)));
          break;
        default:
          text[at] = static_cast<char>(byte(random));
          break;
      }
    }
    parse_and_render(text);
  }
}

TEST_CASE("a truncated file is an error or a plan, at every length") {
  for (std::size_t n = 0; n <= kValidPlan.size(); ++n) parse_and_render(kValidPlan.substr(0, n));
}

TEST_CASE("a generated 10,000-line plan parses") {
  std::string text = "plan \"Big\" currency USD\nsource deals { id: text key, amount: money }\n";
  int lines = 2;
  for (int i = 1; lines < 10'000; ++i) {
    const std::string n = std::to_string(i);
    text += "measure m" + n + ": money = sum(credit.amount where credit.kind == direct and " +
            "deal.amount >= " + n + " USD) * 10% + m" + std::to_string(i - 1) + "\n";
    text += "let l" + n + " = (m" + n + " - 1_000 USD) / 2 > 0 USD or not deal.stage in {\"a\"}\n";
    text += "payout p" + n + " for role == \"AE\" when l" + n + " = 1% * m" + n +
            " cap 5_000 USD floor 0 USD\n";
    lines += 3;
  }
  // Its speed is a benchmark's business (bench/), not a unit test's.
  auto result = tally::parse_plan(source(text));
  REQUIRE(result.ok());
  CHECK(result->values.size() == 2 * result->payouts.size());
  CHECK(result->payouts.size() == 3333);
}
