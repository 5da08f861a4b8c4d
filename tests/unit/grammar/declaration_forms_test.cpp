// The declarations of the whole language (tables, goals, territories, rates,
// payout clauses, draws, clawbacks, functions, record types, tests, imports),
// each checked on its dump (grammar/ast_dump.hpp), written here by hand.
#include <catch2/catch.hpp>

#include <string>

#include "grammar/ast_dump.hpp"
#include "tests/unit/grammar/ast_text.hpp"

using tally::test::source;
namespace ast = tally::ast;

namespace {

ast::Plan parse_ok(const std::string& text) {
  auto result = tally::parse_plan(source(text));
  if (!result) FAIL("unexpected error: " << result.errors().front().message);
  return std::move(result).value();
}

/// The dump of a plan of one declaration, without its line break.
std::string dump_one(const std::string& text) {
  std::string dump = tally::dump_plan(parse_ok(text));
  if (!dump.empty() && dump.back() == '\n') dump.pop_back();
  return dump;
}

}  // namespace

TEST_CASE("tables and goals: from a source, or = an expression, optionally prorated") {
  CHECK(dump_one("table quota(payee, period): money from quotas(rep_id, quarter, quota_amount)") ==
        "(table quota (payee period) :money from:quotas columns:(rep_id quarter quota_amount))");
  CHECK(dump_one("goal annual_quota(payee): money from annual_quotas") ==
        "(goal annual_quota (payee) :money from:annual_quotas)");
  CHECK(dump_one("goal quota(payee, period): money = allocate(annual_quota(payee), even)") ==
        "(goal quota (payee period) :money value:(call allocate (call annual_quota payee) even))");
  CHECK(dump_one("goal quota(payee, period): money = allocate(annual_quota(payee), weights: "
                 "{Q1: 20%, Q2: 25%, Q3: 25%, Q4: 30%})") ==
        "(goal quota (payee period) :money value:(call allocate (call annual_quota payee) "
        "weights:(record Q1:20% Q2:25% Q3:25% Q4:30%)))");
  CHECK(dump_one("goal team_quota(payee, period): money = rollup(quota) prorated") ==
        "(goal team_quota (payee period) :money value:(call rollup quota) prorated)");
  CHECK(dump_one("table rate(region): percent? from rates_by_region prorated") ==
        "(table rate (region) :percent? from:rates_by_region prorated)");
  // Columns may be reserved words: they name columns of a file.
  CHECK(dump_one("table t(payee): money from s(key, amount)") ==
        "(table t (payee) :money from:s columns:(key amount))");

  const std::string text = "goal q(payee, period): money from quotas";
  const ast::Plan plan = parse_ok(text);
  REQUIRE(plan.tables.size() == 1);
  const ast::TableDecl& t = plan.tables[0];
  CHECK(t.is_goal);
  CHECK(t.span.begin == 0);
  CHECK(t.span.end == text.size());
  CHECK(t.name_span.begin == 5);
  CHECK(t.name_span.end == 6);
  REQUIRE(t.key_spans.size() == 2);
  CHECK(t.key_spans[1].begin == text.find("period"));
  CHECK(t.source_span.begin == text.find("quotas"));
}

TEST_CASE("territories: a predicate, owner and priority in any order, dotted names") {
  CHECK(dump_one("territory West = deal.account_state in {\"CA\", \"OR\"} owner \"se-001\"") ==
        "(territory West match:(in (. deal account_state) {\"CA\" \"OR\"}) owner:\"se-001\")");
  CHECK(dump_one("territory West.CA = deal.account_state == \"CA\" owner \"se-003\" priority 2") ==
        "(territory West.CA match:(== (. deal account_state) \"CA\") owner:\"se-003\" "
        "priority:2)");
  CHECK(dump_one("territory Named = deal.account in list(\"named\") priority 1 owner \"se-9\"") ==
        "(territory Named match:(in (. deal account) (call list \"named\")) owner:\"se-9\" "
        "priority:1)");
  CHECK(dump_one("territory All = true") == "(territory All match:true)");
  CHECK(dump_one("territories from territory_map as t\n"
                 "  match deal.account_state in t.states and deal.segment == t.segment\n"
                 "  owner t.se\n"
                 "  priority 1\n"
                 "  name t.id\n") ==
        "(territories from:territory_map as:t match:(and (in (. deal account_state) (. t states)) "
        "(== (. deal segment) (. t segment))) owner:(. t se) priority:1 name:(. t id))");
  CHECK(dump_one("territories from m as t match true owner t.se") ==
        "(territories from:m as:t match:true owner:(. t se))");
}

TEST_CASE("rates: tiers on a value, marginal or retroactive; lookups by a key") {
  CHECK(dump_one("rates ae_rates on attainment marginal {\n"
                 "  0%   ..  50% : 2%\n"
                 "  50%  .. 100% : 8%\n"
                 "  150% ..      : 15%\n"
                 "}") ==
        "(rates ae_rates marginal on:attainment (row lower:0% upper:50% value:2%) "
        "(row lower:50% upper:100% value:8%) (row lower:150% value:15%))");
  CHECK(dump_one("rates kicker on bookings retroactive { 0 USD .. 100_000 USD : 1%, "
                 "100_000 USD .. : 2% }") ==
        "(rates kicker retroactive on:bookings (row lower:[0 USD] upper:[100000 USD] value:1%) "
        "(row lower:[100000 USD] value:2%))");
  CHECK(dump_one("rates product_rate by deal.product {\n"
                 "  \"GTX Pro\" : 6%\n"
                 "  \"MG Special\" : 4%\n"
                 "  else : 5%\n"
                 "}") ==
        "(rates product_rate lookup on:(. deal product) (row key:\"GTX Pro\" value:6%) "
        "(row key:\"MG Special\" value:4%) (row value:5%))");
  CHECK(dump_one("rates r on a marginal {}") == "(rates r marginal on:a)");
  CHECK(dump_one("rates r on a marginal { 0 .. : 1% unless b then 2% }") ==
        "(rates r marginal on:a (row lower:0 value:(unless 1% b 2%)))");

  const std::string text = "rates r by k {\n  \"a\" : 1%\n}";
  const ast::Plan plan = parse_ok(text);
  REQUIRE(plan.rates[0].rows.size() == 1);
  CHECK(plan.rates[0].rows[0].span.begin == text.find("\"a\""));
  CHECK(plan.rates[0].rows[0].span.end == text.find("1%") + 2);
  CHECK(plan.rates[0].name_span.begin == 6);
}

TEST_CASE("payout clauses: cap per period or year and defer, floor per, pay min max") {
  CHECK(dump_one("payout commission for role in {\"AE\", \"SE\"} =\n"
                 "  apply(ae_rates, bookings, base: quota(payee, period))\n"
                 "  cap 3 * target_incentive(payee, period) per year defer") ==
        "(payout commission for:(in role {\"AE\" \"SE\"}) value:(call apply ae_rates bookings "
        "base:(call quota payee period)) cap:(* 3 (call target_incentive payee period)) "
        "cap_per:year defer)");
  CHECK(dump_one("payout advance for role == \"AE\" = 10% * bookings pay min 1_000 USD max "
                 "10_000 USD per period") ==
        "(payout advance for:(== role \"AE\") value:(* 10% bookings) pay_min:[1000 USD] "
        "pay_max:[10000 USD])");
  CHECK(dump_one("payout p = x cap 1 defer floor 0 per year pay max 5 per period") ==
        "(payout p value:x cap:1 defer floor:0 floor_per:year pay_max:5)");
  CHECK(dump_one("payout p = x unless a then y") == "(payout p value:(unless x a y))");

  const ast::Plan plan =
      parse_ok("payout p = x cap 1 per period floor 0 per period pay min 2 per period");
  const ast::PayoutDecl& p = plan.payouts[0];
  CHECK(p.cap_per == "period");
  CHECK(p.floor_per == "period");
  CHECK_FALSE(p.cap_defer);
  REQUIRE(p.pay_min);
  CHECK(tally::dump_expr(*p.pay_min) == "2");
  CHECK_FALSE(p.pay_max);
}

TEST_CASE("draws: amount per grain, recoverable with a limit") {
  CHECK(dump_one("draw ramp for role == \"AE\" when months_employed(payee) <= 3 = 5_000 USD per "
                 "month recoverable limit 2_000 USD per month") ==
        "(draw ramp for:(== role \"AE\") when:(<= (call months_employed payee) 3) "
        "amount:[5000 USD] per:month recoverable limit:[2000 USD] limit_per:month)");
  CHECK(dump_one("draw guarantee for role == \"SDR\" = 2_000 USD per month") ==
        "(draw guarantee for:(== role \"SDR\") amount:[2000 USD] per:month)");
  CHECK(dump_one("draw d = 1 USD") == "(draw d amount:[1 USD])");
  CHECK(dump_one("draw d = 1 USD per quarter recoverable") ==
        "(draw d amount:[1 USD] per:quarter recoverable)");
  CHECK(dump_one("draw d = 1 USD recoverable limit 5 USD") ==
        "(draw d amount:[1 USD] recoverable limit:[5 USD])");
}

TEST_CASE("clawbacks: a window condition, a share, and credit") {
  CHECK(dump_one("clawback commission when deal.cancelled_on within 90 days of deal.close_date") ==
        "(clawback commission when:(within-days (. deal cancelled_on) 90 (. deal close_date)))");
  CHECK(dump_one("clawback commission when deal.churned_on within 6 months of deal.close_date "
                 "share 50% and credit") ==
        "(clawback commission when:(within-months (. deal churned_on) 6 (. deal close_date)) "
        "share:50% and-credit)");
  CHECK(dump_one("clawback p when a and b and credit") == "(clawback p when:(and a b) and-credit)");
  CHECK(dump_one("clawback p when a and credit.amount > 0") ==
        "(clawback p when:(and a (> (. credit amount) 0)))");
}

TEST_CASE("functions: typed parameters, result type, record types, unless bodies") {
  CHECK(dump_one("fn prorate(amount: money, days: int): money = amount * days / 365") ==
        "(fn prorate (amount:money days:int) :money body:(/ (* amount days) 365))");
  CHECK(dump_one("fn tier_bonus(a: percent): money = 0 USD unless a >= 100% then 1_000 USD "
                 "unless a >= 120% then 2_500 USD") ==
        "(fn tier_bonus (a:percent) :money body:(unless [0 USD] (>= a 100%) [1000 USD] "
        "(>= a 120%) [2500 USD]))");
  CHECK(dump_one("fn f(r: record { name: text, amount: money }): money = r.amount") ==
        "(fn f (r:record{name:text amount:money}) :money body:(. r amount))");
  CHECK(dump_one("fn g() = 1") == "(fn g () body:1)");
  CHECK(dump_one("fn h(r: record {}?, l: list<record { a: money<EUR> }>) = r") ==
        "(fn h (r:record{}? l:list<record{a:money<EUR>}>) body:r)");
  CHECK(dump_one("let x: record { a: int\n b: list<text>? } = y") ==
        "(let x :record{a:int b:list<text>?} value:y)");

  const std::string text = "fn f(a: int, b: money<EUR>) = a";
  const ast::Plan plan = parse_ok(text);
  const ast::FnDecl& f = plan.functions[0];
  REQUIRE(f.param_spans.size() == 2);
  CHECK(f.param_spans[0].begin == 5);
  CHECK(f.param_spans[0].end == 11);
  CHECK(f.param_spans[1].begin == text.find("b:"));
  CHECK(f.param_spans[1].end == text.find(")"));
  CHECK(f.params[1].second.span.begin == text.find("money"));
  CHECK_FALSE(f.result.has_value());
}

TEST_CASE("tests: a statement per line; payee takes an id; expect takes an expression") {
  const std::string text =
      "test \"AE at 120% attainment, marginal tiers\" {\n"
      "  payee ann role \"AE\" quota 100_000 USD target_incentive 20_000 USD\n"
      "  deal owner ann amount 120_000 USD stage \"Won\" close_date 2026-03-15\n"
      "  expect commission(ann, Q1) == 7_400 USD   // FY2027-Q1 = Feb-Apr 2026\n"
      "}\n";
  CHECK(dump_one(text) ==
        "(test \"AE at 120% attainment, marginal tiers\" "
        "(payee id:ann role:\"AE\" quota:[100000 USD] target_incentive:[20000 USD]) "
        "(deal owner:ann amount:[120000 USD] stage:\"Won\" close_date:#2026-03-15) "
        "(expect expect:(== (call commission ann @Q1) [7400 USD])))");
  const ast::Plan plan = parse_ok(text);
  const ast::TestDecl& t = plan.tests[0];
  REQUIRE(t.statements.size() == 3);
  CHECK(t.statements[0].span.begin == text.find("payee"));
  CHECK(t.statements[0].span.end == text.find("\n  deal"));
  CHECK(t.statements[2].span.end == text.find("   //"));

  // A line break ends a statement, so each head starts a new one; values are
  // operands (no comparison), so `a == b` is not a field value.
  CHECK(dump_one("test \"t\" {\n  payee bob\n  deal amount 5 USD + 1 USD\n"
                 "  expect x\n    == 1\n}") ==
        "(test \"t\" (payee id:bob) (deal amount:(+ [5 USD] [1 USD])) (expect expect:(== x 1)))");
  CHECK(dump_one("test \"t\" { deal a x ?? 1 b -2 }") ==
        "(test \"t\" (deal a:(?? x 1) b:(neg 2)))");
  CHECK(dump_one("test \"empty\" {}") == "(test \"empty\")");
}

TEST_CASE("imports") {
  CHECK(tally::dump_plan(parse_ok("import \"stdlib/tiers\"\nimport \"shared/quotas.tally\"")) ==
        "(import \"stdlib/tiers\")\n(import \"shared/quotas.tally\")\n");
  const ast::Plan plan = parse_ok("import \"a\"");
  CHECK(plan.imports[0].span.begin == 0);
  CHECK(plan.imports[0].span.end == 10);
}
