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

/// Every declaration of the whole language (syntax part 2).
const std::string kValidPlan2 =
    "table quota(payee, period): money from quotas(rep_id, quarter, quota_amount)\n"
    "goal q(payee, period): money = allocate(annual(payee), weights: {Q1: 20%, Q2: 80%})\n"
    "goal team(payee, period): money = rollup(quota) prorated\n"
    "territory West.CA = deal.state == \"CA\" owner \"se-003\" priority 2\n"
    "territories from map as t match deal.state in t.states owner t.se priority 1 name t.id\n"
    "rates ae on attainment marginal {\n  0% .. 50% : 2%\n  50% .. : 8%\n}\n"
    "rates k on bookings retroactive { 0 USD .. 10 USD : 1%, 10 USD .. : 2% }\n"
    "rates p by deal.product { \"A\" : 6%\n else : 5% }\n"
    "payout c for role in {\"AE\"} = apply(ae, bookings, base: quota(payee, period)) cap 3 * "
    "x per year defer floor 0 USD per period pay min 1 USD max 9 USD per period\n"
    "draw ramp for role == \"AE\" when m(payee) <= 3 = 5 USD per month recoverable limit 2 USD "
    "per month\n"
    "clawback c when deal.x within 90 days of deal.y share 50% and credit\n"
    "fn f(r: record { a: money, b: list<text>? }, d: int): money = r.a ?? 0 USD unless d > 1 "
    "then null\n"
    "measure n = count(distinct deal.account where deal.type == \"New\") // c\n"
    "test \"t\" {\n  payee ann role \"AE\"\n  deal owner ann amount 5 USD\n  expect c(ann, Q1) == "
    "1 USD\n}\n"
    "import \"stdlib/tiers\" /* end */\n";

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

TEST_CASE("the reference plans are valid") {
  CHECK(parse_and_render(kValidPlan) == 0);
  CHECK(parse_and_render(kValidPlan2) == 0);
  CHECK(parse_and_render(kValidPlan + kValidPlan2) == 0);
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
      "plan",    "source",     "roster",   "credit",   "measure",     "let",       "payout",
      "from",    "as",         "amount",   "where",    "on",          "gets",      "for",
      "when",    "cap",        "floor",    "and",      "or",          "not",       "in",
      "key",     "null",       "at",       "sep",      "format",      "trim",      "no",
      "header",  "list",       "<",        ">",        "?",           "money",     "x",
      "deal",    "role",       "=",        "==",       "<=",          ":",         ",",
      ".",       "..",         "(",        ")",        "{",           "}",         "+",
      "-",       "*",          "/",        "1",        "1_000",       "2.5",       "8%",
      "500 USD", "2026-03-15", "2026-Q1",  "FY2027",   "Q1",          "\"s\"",     "\"\\u{41}\"",
      "\"",      "\\",         "//c\n",    "/*",       "*/",          "\n",        " ",
      "\t",      "\r\n",       "é",        "table",    "goal",        "territory", "territories",
      "match",   "owner",      "priority", "name",     "rates",       "marginal",  "retroactive",
      "by",      "else",       "draw",     "per",      "recoverable", "limit",     "clawback",
      "share",   "within",     "days",     "months",   "of",          "fn",        "test",
      "expect",  "payee",      "import",   "distinct", "unless",      "then",      "defer",
      "pay",     "min",        "max",      "prorated", "record",      "??",        "period",
      "month"};
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
  for (int i = 0; i < 6000; ++i) {
    std::string text = i % 2 == 0 ? kValidPlan : kValidPlan2;
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
  for (std::size_t n = 0; n <= kValidPlan2.size(); ++n) parse_and_render(kValidPlan2.substr(0, n));
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

namespace {

/// The first error of a plan, which must fail.
std::string first_error(const std::string& text) {
  auto result = tally::parse_plan(source(text));
  REQUIRE_FALSE(result.ok());
  return result.errors().front().message;
}

std::string repeated(std::string_view piece, int times) {
  std::string out;
  out.reserve(piece.size() * static_cast<std::size_t>(times));
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

constexpr int kDeep = 10'000;

}  // namespace

TEST_CASE("10,000 levels of every nesting construct give the limit message") {
  const std::string expression_limit = "expression nested too deeply (limit 256)";
  const std::string type_limit = "type nested too deeply (limit 32)";
  CHECK(first_error("let x = " + repeated("(", kDeep) + "1" + repeated(")", kDeep)) ==
        expression_limit);
  CHECK(first_error("let x = " + repeated("{a: ", kDeep) + "1" + repeated("}", kDeep)) ==
        expression_limit);
  CHECK(first_error("let x = " + repeated("{", kDeep) + "1" + repeated("}", kDeep)) ==
        expression_limit);
  CHECK(first_error("let x = " + repeated("f(", kDeep) + "1" + repeated(")", kDeep)) ==
        expression_limit);
  CHECK(first_error("let x = " + repeated("-", kDeep) + "1") == expression_limit);
  CHECK(first_error("let x = " + repeated("not ", kDeep) + "a") == expression_limit);
  CHECK(first_error("let x = " + repeated("(0 unless a then ", kDeep) + "1" +
                    repeated(")", kDeep)) == expression_limit);
  CHECK(first_error("let x = " + repeated("count(distinct ", kDeep) + "1" + repeated(")", kDeep)) ==
        expression_limit);
  CHECK(first_error("fn f(a: " + repeated("record { b: ", kDeep) + "int" + repeated("}", kDeep) +
                    ") = 1") == type_limit);
  CHECK(first_error("fn f(a: " + repeated("list<", kDeep) + "int" + repeated(">", kDeep) +
                    ") = 1") == type_limit);
  // Long flat chains are bounded by the height of the tree.
  CHECK(first_error("let x = 1" + repeated(" ?? 1", kDeep)) ==
        "expression too complex (more than 1000 levels of operators); split it with let");
  // A long `unless` chain is flat: one node, however many exceptions.
  CHECK(tally::parse_plan(source("let x = 0" + repeated(" unless a then 1", kDeep))).ok());
}

TEST_CASE("a 100 MB plan gets the size limit message at once") {
#if defined(__SANITIZE_ADDRESS__)
  constexpr std::size_t kSize = 20u << 20;  // above the limit all the same
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  constexpr std::size_t kSize = 20u << 20;
#else
  constexpr std::size_t kSize = 100u << 20;
#endif
#else
  constexpr std::size_t kSize = 100u << 20;
#endif
  const std::string line = "measure m: money = sum(credit.amount where deal.amount >= 5 USD)\n";
  std::string text;
  text.reserve(kSize + line.size());
  while (text.size() < kSize) text += line;
  auto file = source(std::move(text));
  auto result = tally::parse_plan(file);
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.errors().size() == 1);
  const tally::Error& e = result.errors()[0];
  CHECK(e.message == "the plan file is too large (" + std::to_string(file->text().size() >> 20) +
                         " MB); a plan file may be at most 16 MB");
  CHECK(e.hint == "split the plan into files joined with import");
  CHECK(e.where.line == 1);
  CHECK(e.where.column == 1);
  CHECK_FALSE(tally::render_error(e, file.get()).empty());
}

TEST_CASE("a 2 MB plan of the whole language parses") {
  std::string text;
  int copies = 0;
  while (text.size() < (2u << 20)) {
    text += kValidPlan2;
    ++copies;
  }
  auto result = tally::parse_plan(source(text));
  REQUIRE(result.ok());
  CHECK(result->tests.size() == static_cast<std::size_t>(copies));
  CHECK(result->order.size() == static_cast<std::size_t>(copies) * 15);
  CHECK(result->comments.size() == static_cast<std::size_t>(copies) * 2);
}

TEST_CASE("invalid UTF-8 anywhere is one clear error at its byte") {
  struct Bad {
    std::string text;
    int column;
    std::string byte;
  };
  const std::vector<Bad> cases = {
      {"let x = 1 // caf\xE9", 17, "0xE9"},            // Latin-1 in a comment
      {"test \"\xED\xA0\x80\" {}", 7, "0xED"},         // a surrogate
      {"import \"\xF4\x90\x80\x80\"", 9, "0xF4"},      // past U+10FFFF
      {"fn f() = \"\xE2\x82\"", 11, "0xE2"},           // a truncated sequence
      {"rates r by x { \"\x80\" : 1% }", 17, "0x80"},  // a lone continuation byte
      {"let x = 1\xC3", 10, "0xC3"},                   // cut at the end of the file
  };
  for (const Bad& bad : cases) {
    INFO(bad.text);
    auto result = tally::parse_plan(source(bad.text));
    REQUIRE_FALSE(result.ok());
    REQUIRE(result.errors().size() == 1);
    CHECK(result.errors()[0].message ==
          "expected UTF-8 text, found the byte " + bad.byte + " that is not valid UTF-8");
    CHECK(result.errors()[0].where.line == 1);
    CHECK(result.errors()[0].where.column == bad.column);
  }
}
