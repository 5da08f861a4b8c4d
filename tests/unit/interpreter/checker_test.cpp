// The checker's errors and warnings: each test states the plan text, and the
// exact message with its line and column, worked out from the text.
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"

using tally::Message;
using tally::testing::all_messages;
using tally::testing::compile_messages;

namespace {

// 18 lines; declarations added by a test start on line 19.
const std::string kBase = R"(plan "T" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  stage: text
  segment: text
  amount: money
}
roster payees { id: text key, name: text, role: text }
credit won from deals where deal.stage == "Won" on deal.close_date {
  deal.owner gets 100%
}
measure bookings: money = sum(credit.amount)
)";

/// The first line of every message, e.g. "plan.tally:19:5: error: ...".
std::vector<std::string> headlines(const std::vector<Message>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.rendered.substr(0, m.rendered.find('\n')));
  return out;
}

bool has_headline(const std::vector<Message>& messages, const std::string& expected) {
  for (const auto& line : headlines(messages))
    if (line == expected) return true;
  return false;
}

bool has_hint(const std::vector<Message>& messages, const std::string& hint) {
  for (const auto& m : messages)
    if (m.hint == hint) return true;
  return false;
}

void expect_error(const std::string& extra, const std::string& headline,
                  const std::string& hint = "") {
  const auto messages = compile_messages(kBase + extra);
  INFO(all_messages(messages));
  CHECK(has_headline(messages, headline));
  if (!hint.empty()) CHECK(has_hint(messages, hint));
  CHECK(tally::has_errors(messages));
}

}  // namespace

TEST_CASE("a correct plan checks without errors or warnings", "[checker]") {
  const auto messages = compile_messages(kBase + "payout commission = 10% * bookings\n");
  INFO(all_messages(messages));
  CHECK(messages.empty());
}

TEST_CASE("unknown names get a suggestion", "[checker]") {
  expect_error("payout commission = 10% * bookngs\n",
               "plan.tally:19:27: error: unknown name `bookngs`", "did you mean `bookings`?");
  expect_error("credit lost from deels on deals.close_date { }\n",
               "plan.tally:19:18: error: unknown source `deels`", "did you mean `deals`?");
}

TEST_CASE("unknown fields of a row get a suggestion", "[checker]") {
  expect_error(
      "credit other from deals where deal.stge == \"Won\" on deal.close_date { deal.owner gets "
      "100% }\n",
      "plan.tally:19:31: error: `deals` has no field `stge`", "did you mean `stage`?");
}

TEST_CASE("units: money and percent, currencies", "[checker]") {
  expect_error("payout commission = bookings + 10%\n",
               "plan.tally:19:21: error: money and percent cannot be added",
               "did you mean `bookings * 10%`?");
  expect_error("payout commission = bookings + 5 EUR\n",
               "plan.tally:19:21: error: cannot add USD and EUR without a conversion");
  expect_error("payout commission = bookings * bookings\n",
               "plan.tally:19:21: error: cannot multiply money by money");
  expect_error("payout commission = 10%\n",
               "plan.tally:19:21: error: the payout `commission` must be money, found percent");
  expect_error(
      "payout commission = 10 EUR\n",
      "plan.tally:19:21: error: the payout `commission` is in EUR but the plan pays in USD");
  expect_error("let x: money = 2026-01-01 < 5 USD\n",
               "plan.tally:19:16: error: cannot compare date with money (USD)");
}

TEST_CASE("declared types must match the value", "[checker]") {
  expect_error("measure n: money = count(credit)\npayout p = n\n",
               "plan.tally:19:20: error: `n` is declared money (USD) but its value is int");
  // a ratio of money is a decimal, usable as a percent
  const auto messages =
      compile_messages(kBase + "let a: percent = bookings / 100 USD\npayout p = a * bookings\n");
  INFO(all_messages(messages));
  CHECK_FALSE(tally::has_errors(messages));
}

TEST_CASE("contexts: measures, aggregates and rows stay where they belong", "[checker]") {
  expect_error(
      "credit big from deals where bookings > 0 USD on deal.close_date { deal.owner gets 100% }\n",
      "plan.tally:19:29: error: measure `bookings` is computed per payee and period, so it cannot "
      "be used here");
  expect_error("payout p = sum(credit.amount)\n",
               "plan.tally:19:12: error: `sum(...)` over credits is only allowed in a measure");
  expect_error("payout p = deal.amount\n", "plan.tally:19:12: error: unknown name `deal`");
  expect_error("measure c: int = count(deal.amount)\n",
               "plan.tally:19:24: error: count(...) counts credits: write `count(credit)` or "
               "`count(credit where ...)`");
}

TEST_CASE("credit rules: types of their parts", "[checker]") {
  expect_error(
      "credit x from deals where deal.amount on deal.close_date { deal.owner gets 100% }\n",
      "plan.tally:19:27: error: the `where` condition must be bool, found money (USD)");
  expect_error("credit x from deals on deal.stage { deal.owner gets 100% }\n",
               "plan.tally:19:24: error: the credit date after `on` must be date, found text");
  expect_error(
      "credit x from deals on deal.close_date { deal.owner gets 5 USD }\n",
      "plan.tally:19:58: error: the share after `gets` must be a percent, found money (USD)");
  expect_error("credit x from payees on deal.close_date { deal.owner gets 100% }\n",
               "plan.tally:19:15: error: credit rules read transactions, not the roster `payees`");
}

TEST_CASE("duplicate and circular declarations", "[checker]") {
  expect_error("measure bookings: money = sum(credit.amount)\n",
               "plan.tally:19:9: error: `bookings` is already declared");
  expect_error("let a: decimal = b + 1\nlet b: decimal = a + 1\npayout p = a * 1 USD\n",
               "plan.tally:19:5: error: `a` is defined in terms of itself");
}

TEST_CASE("header: fiscal year naming and rounding", "[checker]") {
  // A year starting 2026-02-01 ends in January 2027, so it is FY2027.
  const std::string fiscal = R"(plan "F"
  currency USD
  fiscal year FY2026 starts 2026-02-01, periods quarter
)";
  auto messages = compile_messages(fiscal);
  INFO(all_messages(messages));
  CHECK(has_headline(messages,
                     "plan.tally:3:3: error: a fiscal year starting 2026-02-01 ends in 2027 and is "
                     "named FY2027, not FY2026"));

  messages = compile_messages(
      "plan \"F\"\n  currency USD\n  fiscal year FY2027 starts 2026-02-01, periods quarter\n");
  CHECK_FALSE(tally::has_errors(messages));

  messages = compile_messages(
      "plan \"F\"\n  currency USD\n  fiscal year starts 2026-02-15, periods quarter\n");
  CHECK(has_headline(messages,
                     "plan.tally:3:3: error: a fiscal year must start on the first day of a month, "
                     "found 2026-02-15"));

  messages = compile_messages("plan \"F\"\n  currency USD\n  periods fortnight\n");
  CHECK(has_headline(messages,
                     "plan.tally:3:11: error: expected the period length (month, quarter, half or "
                     "year) after \"periods\", found \"fortnight\""));

  messages = compile_messages("plan \"F\"\n  currency USD\n  rounding half_evn to 0.01\n");
  CHECK(has_headline(messages, "plan.tally:3:3: error: unknown rounding mode `half_evn`"));

  messages = compile_messages("plan \"F\"\n  periods quarter\n");
  CHECK(has_headline(messages, "plan.tally:1:1: error: the plan declares no currency"));
}

TEST_CASE("sources: field options are checked", "[checker]") {
  auto messages = compile_messages(R"(plan "S"
  currency USD
source s {
  a: text null "NULL"
  b: date format "M/D/YYYY"
  c: text format "x"
  d: text sep "|"
  e: list<text> sep "|"
}
)");
  INFO(all_messages(messages));
  CHECK(has_headline(messages,
                     "plan.tally:4:11: error: field `a` lists null values but is not optional"));
  CHECK(has_headline(
      messages,
      "plan.tally:6:11: error: `format` applies only to date, money, decimal and percent fields"));
  CHECK(has_headline(messages, "plan.tally:7:11: error: `sep` applies only to list fields"));
}

TEST_CASE("roster: a key and a role", "[checker]") {
  auto messages = compile_messages(R"(plan "R"
  currency USD
roster people { name: text }
payout p for role == "AE" = 1 USD
)");
  INFO(all_messages(messages));
  CHECK(has_headline(messages, "plan.tally:3:8: error: the roster `people` has no key field"));
  CHECK(has_headline(
      messages, "plan.tally:4:14: error: `for role` needs a `role` field in the roster `people`"));
}

TEST_CASE("unused declarations are warnings, not errors", "[checker]") {
  const auto messages = compile_messages(
      kBase + "measure unused: money = sum(credit.amount)\npayout p = 1% * bookings\n");
  INFO(all_messages(messages));
  CHECK_FALSE(tally::has_errors(messages));
  CHECK(has_headline(messages, "plan.tally:19:9: warning: measure `unused` is never used"));
}

TEST_CASE("the checker reports several errors in one run", "[checker]") {
  const auto messages =
      compile_messages(kBase + "payout a = bookngs\npayout b = 10%\npayout c = bookings + 1%\n");
  CHECK(messages.size() >= 3);
}
