// The checker on test blocks, imports, and the unused-declaration warnings
// of the new declarations. Declarations added to kCheckBase start on line 22.
#include <catch2/catch.hpp>

#include "check_fixture.hpp"

using tally::testing::check_text;

namespace {
const std::string kQuota =
    "table quota(payee, period): money from quotas(rep_id, quarter, quota_amount)\n";
}

TEST_CASE("a correct test block checks cleanly", "[checker][tests]") {
  const auto c =
      check_text(kQuota +
                 "let attainment: percent = bookings / quota(payee, period)\n"
                 "payout bonus when attainment >= 100% = 1_000 USD\n"
                 "test \"ann\" {\n"
                 "  payee ann role \"AE\" quota 100_000 USD\n"
                 "  payee bob role \"MGR\" manager ann\n"
                 "  deal owner ann amount 120_000 USD close_date 2026-03-15\n"
                 "  expect commission(ann, Q1) == 12_000 USD and bookings(ann, Q1) > 0 USD\n"
                 "}\n");
  INFO(c.all);
  CHECK_FALSE(c.errors);
  CHECK(c.count("warning") == 0);
}

TEST_CASE("test statements are typed against the roster, tables and the credited source",
          "[checker][tests]") {
  const auto c =
      check_text(kQuota +
                 "test \"one\" {\n"
                 "  payee ann role \"AE\" quota 100_000 USD quta 5\n"
                 "  payee bob role 5 manager ann\n"
                 "  deal owner ann amount 120_000 USD close_date 2026-03-15 colour \"red\"\n"
                 "  dael owner bob\n"
                 "  expect commission(ann) == 1 USD\n"
                 "  expect bookings(bob, Q1) + 1 USD\n"
                 "  expect commision(ann, Q1) == 0 USD\n"
                 "  expect bookings == 0 USD\n"
                 "}\n"
                 "test \"two\" {\n  payee carl\n}\n");
  INFO(c.all);
  // `  payee ann role "AE" quota 100_000 USD quta ` is 45 characters
  CHECK(
      c.has("plan.tally:24:46: error: `payees` has no field `quta` and no table is called `quta`"));
  CHECK(c.hinted("did you mean `quota`?"));
  CHECK(c.has("plan.tally:25:18: error: field `role` of `payees` is text, found int"));
  CHECK(c.has("plan.tally:26:66: error: `deals` has no field `colour`"));
  CHECK(
      c.has("plan.tally:27:3: error: a test states `payee NAME ...`, rows of the credited source "
            "(`deal ...`) "
            "and `expect ...`, found `dael`"));
  CHECK(
      c.has("plan.tally:28:10: error: in a test, `commission` takes a payee and a period, found 1 "
            "argument"));
  CHECK(c.has("plan.tally:29:10: error: what a test expects must be bool, found money (USD)"));
  CHECK(c.has("plan.tally:30:10: error: unknown function `commision`"));
  CHECK(c.hinted("did you mean `commission`?"));
  CHECK(
      c.has("plan.tally:31:10: error: measure `bookings` is computed per payee and period, so it "
            "cannot be used "
            "here"));
  CHECK(c.hinted("in a test, call it for a payee and a period: `bookings(ann, Q1)`"));
  CHECK(c.has("plan.tally:33:1: warning: test \"two\" expects nothing"));
}

TEST_CASE("an unknown standard library module is an error at the import", "[checker][imports]") {
  const auto c = check_text("import \"stdlib/tiers\"\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:22:1: error: the standard library has no module \"tiers\""));
}

TEST_CASE("unused tables, rates and functions are warnings", "[checker][unused]") {
  const auto c = check_text(kQuota +
                            "fn unused_fn(a: int): int = a\n"
                            "rates unused_rates on bookings retroactive { 0 USD .. : 1% }\n");
  INFO(c.all);
  CHECK_FALSE(c.errors);
  CHECK(c.has("plan.tally:22:7: warning: table `quota` is never used"));
  CHECK(c.has("plan.tally:23:4: warning: fn `unused_fn` is never called"));
  CHECK(c.has("plan.tally:24:7: warning: rates `unused_rates` is never used"));
  CHECK(c.hinted("use it with `apply(unused_rates, x)`"));
}

TEST_CASE("a plan function may replace a library function of the same name", "[checker][fn]") {
  const auto c = check_text(
      "fn prorate(amount: money, days: int): money = amount * days / 365\n"
      "payout p = prorate(bookings, 30)\n");
  INFO(c.all);
  CHECK_FALSE(c.errors);
}
