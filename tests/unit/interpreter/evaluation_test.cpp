// Expressions evaluated through the compiler and the VM (Engine::evaluate):
// values and types worked out by hand from the language's rules.
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"

namespace {

struct Case {
  const char* expression;
  const char* value;
  const char* type;
};

}  // namespace

TEST_CASE("expressions evaluate exactly, with their units", "[eval]") {
  const Case cases[] = {
      {"1.10 + 2.205", "3.305", "decimal"},
      {"7 / 2", "3.5", "decimal"},  // int / int never truncates
      {"6 / 2", "3", "decimal"},
      {"2 * 3 - 4", "2", "int"},
      {"-(2 - 5)", "3", "int"},
      {"2 + 3 * 4", "14", "int"},
      {"(2 + 3) * 4", "20", "int"},
      {"10 - 4 - 3", "3", "int"},  // left-associative
      {"8%", "8%", "percent"},
      {"50% * 50%", "25%", "percent"},
      {"250 USD * 4", "1000.00 USD", "money (USD)"},
      {"250 USD / 4", "62.50 USD", "money (USD)"},
      {"1_000 USD - 0.01 USD", "999.99 USD", "money (USD)"},
      {"300 USD / 400 USD", "0.75", "decimal"},
      {"round(0.125, 0.01, half_even)", "0.12", "decimal"},
      {"round(0.135, 0.01, half_even)", "0.14", "decimal"},
      {"round(-0.125, 0.01, half_up)", "-0.13", "decimal"},
      {"round(-0.125, 0.01, half_down)", "-0.12", "decimal"},
      {"round(1.99, 1, down)", "1", "decimal"},
      {"round(1.01, 1, up)", "2", "decimal"},
      {"round(-1.5, 1, floor)", "-2", "decimal"},
      {"round(-1.5, 1, ceiling)", "-1", "decimal"},
      {"round(12.345 USD, 0.01)", "12.34 USD", "money (USD)"},  // default mode: half_even
      {"max(1 USD, 2 USD)", "2.00 USD", "money (USD)"},
      {"2026-01-31 + 1", "2026-02-01", "date"},
      {"2024-03-01 - 2024-02-01", "29", "int"},  // leap year
      {"period_of(2026-12-31)", "2026-Q4", "period"},
      {"2026-Q1 < 2026-Q2", "true", "bool"},
      {"not (1 > 2)", "true", "bool"},
      {"1 > 2 or 2 > 1", "true", "bool"},
      {"\"a\" == \"a\"", "true", "bool"},
      {"\"x\" not in {\"a\", \"b\"}", "true", "bool"},
      {"3 in {1, 2, 3}", "true", "bool"},
      {"150% in 100% ..", "true", "bool"},
      {"50% in 50% .. 100%", "true", "bool"},  // ranges include their lower end
      {"year(2026-03-01)", "2026", "int"},
      {"quarter(2026-08-31)", "3", "int"},
      {"month(2026-12-01)", "12", "int"},
      {"days_between(2026-01-01, 2026-03-01)", "59", "int"},  // 31 + 28
      {"add_months(2026-01-31, 1)", "2026-02-28", "date"},    // clamped to February's end
      {"add_months(2024-03-31, -1)", "2024-02-29", "date"},   // leap year
      {"days_in(2026-Q1)", "90", "int"},                      // 31 + 28 + 31
      {"days_in(2024-Q1)", "91", "int"},
      {"clamp(150%, 0%, 120%)", "120%", "percent"},
      {"clamp(5 USD, 10 USD, 20 USD)", "10.00 USD", "money (USD)"},
      {"0 > 1 and 1 / 0 > 0", "false", "bool"},  // the right side never runs
      {"1 > 0 or 1 / 0 > 0", "true", "bool"},
  };
  tally::Engine engine;
  for (const Case& c : cases) {
    const auto result = engine.evaluate(c.expression);
    INFO(c.expression << "\n" << tally::testing::all_messages(result.messages));
    REQUIRE(result.ok);
    CHECK(result.value == c.value);
    CHECK(result.type == c.type);
  }
}

TEST_CASE("evaluation errors are messages with a location", "[eval]") {
  tally::Engine engine;
  auto result = engine.evaluate("1 + 2 / (3 - 3)");
  REQUIRE_FALSE(result.ok);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].text == "division by zero");
  CHECK(result.messages[0].line == 1);
  CHECK(result.messages[0].column == 5);

  result = engine.evaluate("half_even");
  REQUIRE_FALSE(result.ok);
  CHECK(result.messages[0].text ==
        "`half_even` is a rounding mode; it can only be the last argument of round(...)");

  result = engine.evaluate("round(1.5, 1, nearest)");
  REQUIRE_FALSE(result.ok);
  CHECK(result.messages[0].column == 15);

  result = engine.evaluate("round(1.5, 0)");
  REQUIRE_FALSE(result.ok);

  result = engine.evaluate("{1, 2}");
  REQUIRE_FALSE(result.ok);
  CHECK(result.messages[0].text == "a set can only be used after `in`");

  result = engine.evaluate("\"CA\" in {\"CA\", 1}");
  REQUIRE_FALSE(result.ok);
  CHECK(result.messages[0].text == "a set mixes text and int");

  result = engine.evaluate("\"a\" < \"b\"");
  REQUIRE_FALSE(result.ok);
  CHECK(result.messages[0].text == "text can only be compared with == and !=");
}
