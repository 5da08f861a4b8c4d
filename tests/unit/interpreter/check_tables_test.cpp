// The checker on tables, goals and rates tables, through the public API.
// Declarations added to kCheckBase start on line 22; columns are counted by
// hand from the text (the comments give the prefix that is counted).
#include <catch2/catch.hpp>

#include "check_fixture.hpp"

using tally::testing::check_text;

TEST_CASE("tables from a source: columns exist and fit", "[checker][tables]") {
  const auto clean = check_text(
      "table quota(payee, period): money from quotas(rep_id, quarter, quota_amount)\n"
      "let attainment: percent = bookings / quota(payee, period)\n"
      "payout bonus when attainment >= 100% = 1_000 USD\n");
  INFO(clean.all);
  CHECK_FALSE(clean.errors);
  CHECK(clean.count("warning") == 0);

  // `table quota(payee, period): money from quotas(rep_id, quarter, ` is 63 characters
  auto c = check_text(
      "table quota(payee, period): money from quotas(rep_id, quarter, quota_amt)\n"
      "payout b = quota(payee, period)\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:22:64: error: `quotas` has no field `quota_amt`"));
  CHECK(c.hinted("did you mean `quota_amount`?"));

  c = check_text(
      "table quota(payee, period): money from quotas(rep_id, quota_amount)\n"
      "payout b = quota(payee, period)\n");
  INFO(c.all);
  CHECK(
      c.has("plan.tally:22:40: error: `from quotas(...)` names 2 columns; `quota` needs 3: one per "
            "key, then "
            "the value"));

  // `... from quotas(rep_id, ` is 54 characters; the value column `label` is text
  c = check_text(
      "table quota(payee, period): money from quotas(rep_id, label, target)\n"
      "table other(payee, period): money from quotas(rep_id, quarter, label)\n"
      "payout b = quota(payee, period) + other(payee, period)\n");
  INFO(c.all);
  CHECK(
      c.has("plan.tally:22:55: error: column `label` of `quotas` is text, but the key `period` "
            "needs a period"));
  CHECK(
      c.has("plan.tally:23:64: error: column `label` of `quotas` is text, but `other` holds money "
            "(USD)"));
}

TEST_CASE("table calls: key count and key types", "[checker][tables]") {
  const std::string table =
      "table quota(payee, period): money from quotas(rep_id, quarter, quota_amount)\n";
  auto c = check_text(table + "payout b = quota(payee)\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:23:12: error: `quota` takes 2 keys (quota(payee, period)), found 1"));
  CHECK(c.hinted("call it as `quota(payee, period)`"));
  // `payout b = quota(` is 17 characters; `period, ` 8 more
  c = check_text(table + "payout b = quota(period, payee)\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:23:18: error: key `payee` of `quota` is payee, found period"));
  CHECK(c.has("plan.tally:23:26: error: key `period` of `quota` is period, found payee"));
  // a table used as a plain value
  c = check_text(table + "payout b = quota\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:23:12: error: `quota` is a table; look a value up with its keys"));
  CHECK(c.hinted("e.g. `quota(payee, period)`"));
}

TEST_CASE("goals: values typed with their keys bound; allocate and rollup", "[checker][tables]") {
  const std::string annual =
      "source annual_quotas { payee: payee, annual_quota: money }\n"
      "goal annual_quota(payee): money from annual_quotas\n";
  auto c = check_text(
      annual +
      "goal quota(payee, period): money = allocate(annual_quota(payee), even)\n"
      "goal team(payee, period): money = rollup(quota) prorated\n"
      "payout b when bookings >= quota(payee, period) + team(payee, period) = 1_000 USD\n");
  INFO(c.all);
  CHECK_FALSE(c.errors);
  // `goal quota(payee, period): money = allocate(annual_quota(payee), ` is 64 characters
  c = check_text(annual +
                 "goal quota(payee, period): money = allocate(annual_quota(payee), weights: {Q1: "
                 "20%, Q2: 25%, Q3: "
                 "25%, Q4: 20%})\n"
                 "payout b = quota(payee, period)\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:24:66: error: the weights add up to 90%, not 100%"));
  // `goal q3(payee): money = 5 USD unless ` is 37 characters: `period` is no key of q3
  c = check_text(
      "goal q3(payee): money = 5 USD unless period == Q1 then 0 USD\npayout b = q3(payee)\n");
  INFO(c.all);
  CHECK(
      c.has("plan.tally:22:38: error: `period` is not known here: this goal has no `period` key"));
  // `goal q2(payee): money = ` is 24 characters
  c = check_text("goal q2(payee): money = 5\npayout b = q2(payee)\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:22:25: error: `q2` is declared money (USD) but its value is int"));
  c = check_text(
      "goal self(payee, period): money = self(payee, period)\npayout b = self(payee, period)\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:22:6: error: `self` is defined in terms of itself"));
  // allocate outside a goal
  c = check_text("payout b = allocate(10 USD, even)\n");
  INFO(c.all);
  CHECK(
      c.has("plan.tally:22:12: error: allocate(...) spreads an annual amount over periods; use it "
            "as the value "
            "of a goal with a `period` key"));
}

TEST_CASE("tiers: sorted, no overlap, no gap, only the last open", "[checker][rates]") {
  const auto c = check_text(
      "let att: percent = bookings / 100_000 USD\n"
      "rates r on att marginal {\n"
      "  0% .. 50% : 2%\n"
      "  60% .. 100% : 8%\n"
      "  90% .. 150% : 12%\n"
      "  140% .. : 10%\n"
      "  200% .. 300% : 20%\n"
      "}\n"
      "payout b = apply(r, bookings, base: 100_000 USD)\n");
  INFO(c.all);
  CHECK(
      c.has("plan.tally:25:3: error: tiers `0% .. 50%` (line 24) and `60% .. 100%` (line 25) leave "
            "a gap: values "
            "from 50% to 60% fall in no tier"));
  CHECK(c.hinted("start a tier where the previous one ends: `50% ..`"));
  CHECK(c.has(
      "plan.tally:26:3: error: tiers `60% .. 100%` (line 25) and `90% .. 150%` (line 26) overlap"));
  CHECK(
      c.has("plan.tally:27:3: error: only the last tier may be open-ended, but `140% ..` is "
            "followed by `200% .. "
            "300%`"));
  // `  140% .. : ` is 12 characters
  CHECK(
      c.has("plan.tally:27:13: warning: rates `r` pays less above 140% (10%) than below (12%): "
            "likely a typo"));
}

TEST_CASE("tiers: empty, unsorted, mixed units", "[checker][rates]") {
  auto c = check_text(
      "rates r on bookings retroactive {\n"
      "  500 USD .. 1_000 USD : 1%\n"
      "  0 USD .. 500 USD : 2%\n"
      "  2_000 USD .. 1_500 USD : 3%\n"
      "}\n"
      "payout b = apply(r, bookings)\n");
  INFO(c.all);
  CHECK(
      c.has("plan.tally:24:3: error: the tiers of `r` are not sorted: `0 USD .. 500 USD` (line 24) "
            "comes after "
            "`500 USD .. 1_000 USD` (line 23)"));
  CHECK(
      c.has("plan.tally:25:3: error: tier `2_000 USD .. 1_500 USD` is empty: its upper bound is "
            "not above its "
            "lower bound"));
  c = check_text(
      "rates r on bookings retroactive { 0 USD .. 5 USD : 1%, 5% .. : 2 USD }\npayout b = apply(r, "
      "bookings)\n");
  INFO(c.all);
  // `rates r on bookings retroactive { 0 USD .. 5 USD : 1%, ` is 55 characters
  CHECK(c.has("plan.tally:22:56: error: the tiers of `r` mix money (USD) and percent bounds"));
  CHECK(
      c.has("plan.tally:22:64: error: the tiers of `r` pay percent in one row and money (USD) in "
            "another"));
  CHECK(c.count("error") == 2);  // no order is claimed between bounds of different units
}

TEST_CASE("apply: the tiers' unit, a base, and what it pays", "[checker][rates]") {
  const std::string tiers =
      "rates ae on bookings / 100_000 USD marginal { 0% .. 100% : 8%, 100% .. : 12% }\n";
  auto c = check_text(tiers + "payout b = apply(ae, bookings, base: 100_000 USD)\n");
  INFO(c.all);
  CHECK_FALSE(c.errors);
  // `payout b = apply(ae, ` is 21 characters
  c = check_text(tiers + "payout b = apply(ae, bookings)\n");
  INFO(c.all);
  CHECK(
      c.has("plan.tally:23:22: error: the tiers of `ae` are over percent, but `bookings` is money "
            "(USD)"));
  CHECK(c.hinted(
      "give a base to turn the amount into attainment: `apply(ae, bookings, base: quota(payee, "
      "period))`"));
  c = check_text(tiers + "payout b = apply(bookings, 5)\n");
  INFO(c.all);
  CHECK(
      c.has("plan.tally:23:18: error: apply(...) needs the name of a rates table first, found "
            "`bookings`"));
  // tier_of is an int
  c = check_text(tiers + "payout b = tier_of(ae, bookings, base: 100_000 USD)\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:23:12: error: the payout `b` must be money, found int"));
}

TEST_CASE("lookups: key type, one else, no duplicate keys", "[checker][rates]") {
  auto c = check_text(
      "rates p by deal.product {\n"
      "  \"A\" : 6%\n"
      "  \"B\" : 4%\n"
      "  \"A\" : 5%\n"
      "  else : 5%\n"
      "  else : 7%\n"
      "}\n"
      "measure x: money = sum(credit.amount * lookup(p, deal.product))\n"
      "payout b = x\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:25:3: error: key \"A\" appears twice in `p` (lines 23 and 25)"));
  CHECK(c.has("plan.tally:27:3: error: rates `p` has two `else` rows (lines 26 and 27)"));
  // `rates p by ` is 11 characters
  c = check_text(
      "rates p by deal.amount { \"A\" : 6% }\n"
      "measure x: money = sum(credit.amount * lookup(p, deal.product))\npayout b = x\n");
  INFO(c.all);
  CHECK(
      c.has("plan.tally:22:12: error: the keys of `p` are text, but `deal.amount` is money (USD)"));
  // `measure x: money = sum(credit.amount * lookup(` is 46 characters
  c = check_text(
      "rates t on bookings retroactive { 0 USD .. : 1% }\n"
      "measure x: money = sum(credit.amount * lookup(t, deal.product))\npayout b = x\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:23:47: error: `t` has tiers, not keys"));
  CHECK(c.hinted("use `apply(t, x)`"));
}
