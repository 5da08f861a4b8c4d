// The checker on payout clauses, draws and clawbacks. Declarations added to
// kCheckBase start on line 22.
#include <catch2/catch.hpp>

#include "check_fixture.hpp"

using tally::testing::check_text;

TEST_CASE("payout clauses: money in the plan's currency, bounds that make sense",
          "[checker][payouts]") {
  const std::string ti =
      "table target_incentive(payee, period): money from quotas(rep_id, quarter, target)\n";
  auto c = check_text(
      ti + "payout a = 5% * bookings cap 3 * target_incentive(payee, period) per year defer\n");
  INFO(c.all);
  CHECK_FALSE(c.errors);
  CHECK(c.count("warning") == 0);
  // `payout a = 5% * bookings cap ` is 29 characters
  c = check_text(ti + "payout a = 5% * bookings cap 0.5 * target_incentive(payee, period)\n");
  INFO(c.all);
  CHECK(
      c.has("plan.tally:23:30: warning: the cap of `a` is below the target incentive (0.5 * "
            "target_incentive(payee, period)), so nobody can earn their target"));
  // `payout c = 5% * bookings cap 10 USD floor ` is 42 characters
  c = check_text("payout c = 5% * bookings cap 10 USD floor 20 USD\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:22:43: error: the floor 20 USD is above the cap 10 USD"));
  // `payout d = 5% * bookings pay min 2_000 USD max ` is 47 characters
  c = check_text("payout d = 5% * bookings pay min 2_000 USD max 1_000 USD per period\n");
  INFO(c.all);
  CHECK(c.has(
      "plan.tally:22:48: error: the maximum payment 1_000 USD is below the minimum 2_000 USD"));
  c = check_text("payout e = 5% * bookings pay min 5% per period\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:22:34: error: the minimum payment must be money, found percent"));
}

TEST_CASE("draws: money per grain, recovery limits", "[checker][draws]") {
  const auto c = check_text(
      "draw ramp for role == \"AE\" when months_employed(payee) <= 3 = 5_000 USD per month "
      "recoverable\n"
      "draw g for role == \"SDR\" = 2_000 EUR per month\n"
      "draw h = 0 USD per month\n"
      "draw h2 = 10% per month recoverable limit 5 USD per month\n"
      "draw ok = 1_000 USD per month recoverable limit 500 USD per month\n");
  INFO(c.all);
  CHECK(
      c.has("plan.tally:22:6: warning: draw `ramp` is recoverable but has no recovery limit, so "
            "after it ends "
            "repayment can take a payee's whole earnings"));
  CHECK(c.hinted("state the limit, e.g. `recoverable limit 1_000 USD per month`"));
  // `draw g for role == "SDR" = ` is 27 characters
  CHECK(c.has("plan.tally:23:28: error: the draw `g` is in EUR but the plan pays in USD"));
  CHECK(c.has("plan.tally:24:10: error: a draw must be a positive amount, found 0 USD"));
  CHECK(c.has("plan.tally:25:11: error: the draw `h2` must be money, found percent"));
  CHECK(c.count("error") == 3);
  CHECK(c.count("warning") == 2);  // ramp, and the unused source `quotas`
}

TEST_CASE("clawbacks: a known payout, a condition over the deal, a share", "[checker][clawbacks]") {
  auto c = check_text(
      "clawback commission when deal.cancelled_on within 90 days of deal.close_date share 50% and "
      "credit\n");
  INFO(c.all);
  CHECK_FALSE(c.errors);
  c = check_text("clawback comission when deal.cancelled_on within 90 days of deal.close_date\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:22:10: error: unknown payout `comission`"));
  CHECK(c.hinted("did you mean `commission`?"));
  // `clawback commission when ` is 25 characters; `deal.amount share ` 18 more
  c = check_text("clawback commission when deal.amount share 150%\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:22:26: error: the clawback condition must be bool, found money (USD)"));
  CHECK(
      c.has("plan.tally:22:44: error: the share clawed back must be above 0% and at most 100%, "
            "found 150%"));
  // `clawback commission when deal.close_date within 90 days of ` is 59 characters
  c = check_text("clawback commission when deal.close_date within 90 days of 5\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:22:60: error: `within ... of` needs a date after `of`, found int"));
}
