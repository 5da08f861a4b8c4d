// The checker on expressions: optional values and `null`, `??`, `unless`,
// records, `within`, `fn` declarations and calls, lists and library calls.
// Plans the parser accepts go through the public API; the constructs it does
// not accept yet are built by hand (check_fixture.hpp) with spans into the
// plan text, so positions are those of written code.
#include <catch2/catch.hpp>

#include "check_fixture.hpp"
#include "plan_fixture.hpp"

using tally::testing::AstPlan;
using tally::testing::kAstBase;
namespace ast = tally::ast;

namespace {

// 17 lines; declarations added by a test start on line 18.
const std::string kPlan = R"(plan "T"
  currency USD
source deals {
  id: text key
  close_date: date
  cancelled_on: date?
  owner: payee
  states: list<text> sep "|"
  state: text
  amount: money
}
roster payees { id: text key, name: text, role: text, manager: payee? }
credit won from deals on deal.close_date {
  deal.owner gets 100%
}
measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";

std::vector<std::string> headlines(const std::vector<tally::Message>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.rendered.substr(0, m.rendered.find('\n')));
  return out;
}

bool has_headline(const std::vector<tally::Message>& messages, const std::string& expected) {
  for (const auto& line : headlines(messages))
    if (line == expected) return true;
  return false;
}

bool has_hint(const std::vector<tally::Message>& messages, const std::string& hint) {
  for (const auto& m : messages)
    if (m.hint == hint) return true;
  return false;
}

void expect_error(const std::string& extra, const std::string& headline,
                  const std::string& hint = "") {
  const auto messages = tally::testing::compile_messages(kPlan + extra);
  INFO(tally::testing::all_messages(messages));
  CHECK(has_headline(messages, headline));
  if (!hint.empty()) CHECK(has_hint(messages, hint));
}

void expect_clean(const std::string& extra) {
  const auto messages = tally::testing::compile_messages(kPlan + extra);
  INFO(tally::testing::all_messages(messages));
  CHECK_FALSE(tally::has_errors(messages));
}

/// `fn NAME(params): RESULT = body` built by hand; `params` are (name, type
/// as written, kind, optional).
struct Param {
  std::string name;
  std::string written;
  std::string kind;
  bool optional = false;
};

void add_fn(AstPlan& p, const std::string& name, const std::vector<Param>& params,
            const std::string& result, ast::ExprPtr body) {
  ast::FnDecl fn;
  fn.name = name;
  p.from("fn " + name + "(");
  fn.name_span = p.at(name);
  fn.span = fn.name_span;
  for (const auto& param : params) {
    fn.params.emplace_back(param.name, p.type(param.kind, param.written, param.optional));
    fn.param_spans.push_back(p.at(param.name));
  }
  if (!result.empty()) fn.result = p.type(result, "): " + result);
  fn.body = std::move(body);
  p.plan.functions.push_back(std::move(fn));
}

void add_let(AstPlan& p, const std::string& name, ast::ExprPtr value, bool measure = false) {
  ast::ValueDecl let;
  let.is_measure = measure;
  let.name = name;
  let.name_span = p.at(name);
  let.span = let.name_span;
  let.value = std::move(value);
  p.plan.values.push_back(std::move(let));
}

}  // namespace

TEST_CASE("optional fields: any use but a null test or ?? is an error with a hint",
          "[checker][optional]") {
  // `measure late: int = count(credit where ` is 39 characters.
  expect_error(
      "measure late: int = count(credit where deal.cancelled_on > deal.close_date)\n"
      "payout p = 1 USD * late\n",
      "plan.tally:18:40: error: `deal.cancelled_on` is optional (date?) and may be null here",
      "use `deal.cancelled_on ?? default`");
  // roster fields too: `let m: bool = ` is 14 characters
  expect_error(
      "let m: bool = payee.manager == \"x\"\n",
      "plan.tally:18:15: error: `payee.manager` is optional (payee?) and may be null here");
}

TEST_CASE("`in` accepts list-valued fields", "[checker][lists]") {
  expect_clean(
      "credit west from deals where deal.state in deal.states on deal.close_date { deal.owner gets "
      "100% }\n");
  // the whole `in` expression starts after `credit west from deals where ` (29 characters)
  expect_error(
      "credit west from deals where deal.amount in deal.states on deal.close_date { deal.owner "
      "gets 100% }\n",
      "plan.tally:18:30: error: cannot look for a money (USD) in a set of text");
  // `deal.state` (text) is no list: the error points at it, after `... deal.state in ` (44
  // characters)
  expect_error(
      "credit west from deals where deal.state in deal.state on deal.close_date { deal.owner gets "
      "100% }\n",
      "plan.tally:18:44: error: `in` needs a set like {\"CA\", \"OR\"}, a range like 50% .. 100% "
      "or a list, "
      "found text");
}

TEST_CASE("rollup credit goes to a list of managers, other credit to one payee",
          "[checker][lists]") {
  expect_clean(
      "credit up from deals on deal.close_date { managers(deal.owner, levels: 2) gets 100% rollup "
      "}\n");
  // `credit up from deals on deal.close_date { ` is 42 characters
  expect_error("credit up from deals on deal.close_date { managers(deal.owner) gets 100% }\n",
               "plan.tally:18:43: error: `managers(deal.owner)` is a list of payees; only `rollup` "
               "credit goes to a "
               "list",
               "write `managers(deal.owner) gets 100% rollup`");
  expect_error(
      "credit up from deals on deal.close_date { managers(deal.owner, levels: 0) gets 100% rollup "
      "}\n",
      "plan.tally:18:72: error: managers(...) needs at least 1 level, found 0");
}

TEST_CASE("library functions are typed", "[checker][library]") {
  expect_clean("let d: int = days_between(2026-01-01, 2026-03-01)\npayout p = 1 USD * d\n");
  expect_clean(
      "let m: date = add_months(2026-01-31, 1)\nlet y: int = quarter(m) + month(m)\n"
      "payout p = 1 USD * y\n");
  // `let u: text = upper(` is 20 characters
  expect_error("let u: text = upper(5)\n",
               "plan.tally:18:21: error: upper(...) needs text, found int");
  expect_error("payout p = aply(bookings)\n", "plan.tally:18:12: error: unknown function `aply`",
               "did you mean `apply`?");
  expect_error("let d: int = days_between(2026-01-01)\n",
               "plan.tally:18:14: error: `days_between` takes 2 arguments, found 1",
               "it is called as days_between(a, b)");
  // ytd over a payout is what it paid earlier (docs/semantics/periods.md); a let is neither.
  expect_error("let k: money = 5 USD\npayout p = ytd(k)\n",
               "plan.tally:19:16: error: ytd(...) accumulates a measure; `k` is not one");
}

TEST_CASE("null, ?? and optional parameters", "[checker][optional]") {
  SECTION("a default makes an optional value usable") {
    AstPlan p(kAstBase, "fn due(d: date?): date = d ?? 2026-01-01");
    p.from("d ??");
    add_fn(p, "due", {{"d", "date?", "date", true}}, "date",
           p.binary(ast::Op::coalesce, "d ?? 2026-01-01", p.name("d"),
                    p.leaf(ast::ExprKind::date, "2026-01-01", "2026-01-01")));
    const auto out = p.check();
    INFO(tally::testing::joined(tally::testing::diagnostic_lines(out)));
    CHECK(tally::testing::error_count(out) == 0);
    CHECK(tally::testing::has_line(out, "23:4: warning: fn `due` is never called"));
  }
  SECTION("using an optional value directly") {
    AstPlan p(kAstBase, "fn late(d: date?): bool = d > 2026-01-01");
    p.from("d >");
    add_fn(p, "late", {{"d", "date?", "date", true}}, "bool",
           p.binary(ast::Op::gt, "d > 2026-01-01", p.name("d"),
                    p.leaf(ast::ExprKind::date, "2026-01-01", "2026-01-01")));
    const auto out = p.check();
    INFO(tally::testing::joined(tally::testing::diagnostic_lines(out)));
    CHECK(tally::testing::has_line(out,
                                   "23:27: error: `d` is optional (date?) and may be null here"));
    CHECK(tally::testing::has_hint_text(out, "use `d ?? default`"));
  }
  SECTION("comparing with null: only optional values") {
    AstPlan p(kAstBase, "fn known(d: date?): bool = d != null\nfn never(n: int): bool = n == null");
    p.from("d != null");
    add_fn(p, "known", {{"d", "date?", "date", true}}, "bool",
           p.binary(ast::Op::ne, "d != null", p.name("d"), p.null()));
    p.from("n == null");
    auto never = p.binary(ast::Op::eq, "n == null", p.name("n"), p.null());
    add_fn(p, "never", {{"n", "n: int", "int"}}, "bool", std::move(never));
    const auto out = p.check();
    INFO(tally::testing::joined(tally::testing::diagnostic_lines(out)));
    CHECK(tally::testing::error_count(out) == 1);
    CHECK(tally::testing::has_line(out,
                                   "24:26: error: `n` is never null: its type is int, not int?"));
  }
  SECTION("the default after ?? has the value's type") {
    AstPlan p(kAstBase, "fn pick(d: date?): date = d ?? 5");
    p.from("d ??");
    add_fn(p, "pick", {{"d", "date?", "date", true}}, "date",
           p.binary(ast::Op::coalesce, "d ?? 5", p.name("d"), p.number("5")));
    const auto out = p.check();
    INFO(tally::testing::joined(tally::testing::diagnostic_lines(out)));
    CHECK(tally::testing::has_line(
        out, "23:32: error: the default after `??` must be date like `d`, found int"));
  }
}

TEST_CASE("unless: conditions are bool, every value has the default's type", "[checker][unless]") {
  const std::string written =
      "fn rate(seg: text): percent = 10% unless seg == \"ENT\" then 12% unless seg then 5 USD";
  AstPlan p(kAstBase, written);
  p.from("10% unless");
  std::vector<ast::ExprPtr> args;
  args.push_back(p.percent("10%"));
  args.push_back(p.binary(ast::Op::eq, "seg == \"ENT\"", p.name("seg"), p.str("ENT")));
  args.push_back(p.percent("12%"));
  args.push_back(p.name("seg", 2));
  args.push_back(p.money("5 USD"));
  auto body = p.node(ast::ExprKind::unless,
                     "10% unless seg == \"ENT\" then 12% unless seg then 5 USD", std::move(args));
  add_fn(p, "rate", {{"seg", "seg: text", "text"}}, "percent", std::move(body));
  const auto out = p.check();
  INFO(tally::testing::joined(tally::testing::diagnostic_lines(out)));
  // columns: `unless seg then` puts the second `seg` at 71; `5 USD` at 80
  CHECK(tally::testing::has_line(
      out, "23:71: error: the condition after `unless` must be bool, found text"));
  CHECK(tally::testing::has_line(
      out, "23:80: error: this exception gives money (USD) but the default `10%` gives percent"));
  CHECK(
      tally::testing::has_hint_text(out, "every value of an `unless` has the type of its default"));
  CHECK(tally::testing::error_count(out) == 2);
}

TEST_CASE("records: literals, typed parameters, member access", "[checker][records]") {
  const std::string written =
      "fn amt(r: record { name: text, amount: money }): money = r.amont\n"
      "let x: money = amt({name: \"a\", amount: 5})";
  AstPlan p(kAstBase, written);
  ast::FnDecl fn;
  fn.name = "amt";
  fn.name_span = p.at("amt");
  fn.span = fn.name_span;
  ast::TypeRef record = p.type("record", "record {");
  record.fields.emplace_back("name", p.type("text", "text"));
  record.fields.emplace_back("amount", p.type("money", "money }"));
  fn.params.emplace_back("r", std::move(record));
  fn.param_spans.push_back(p.at("r:"));
  fn.result = p.type("money", "): money");
  fn.body = p.member("r", "amont");
  p.plan.functions.push_back(std::move(fn));
  p.from("let x");
  std::vector<ast::ExprPtr> fields;
  fields.push_back(p.str("a"));
  fields.push_back(p.number("5"));
  auto literal = p.node(ast::ExprKind::record, "{name: \"a\", amount: 5}", std::move(fields));
  literal->arg_names = {"name", "amount"};
  std::vector<ast::ExprPtr> call_args;
  call_args.push_back(std::move(literal));
  add_let(p, "x", p.call("amt", "amt({name: \"a\", amount: 5})", std::move(call_args)));
  const auto out = p.check();
  INFO(tally::testing::joined(tally::testing::diagnostic_lines(out)));
  // `fn amt(r: record { name: text, amount: money }): money = ` is 57 characters
  CHECK(tally::testing::has_line(out, "23:58: error: the record `r` has no field `amont`"));
  CHECK(tally::testing::has_hint_text(out, "did you mean `amount`?"));
  // `let x: money = amt(` is 19 characters
  CHECK(tally::testing::has_line(
      out,
      "24:20: error: field `amount` of the record passed as `r` must be money (USD), found int"));
}

TEST_CASE("within: a date, a whole number of days or months, a date", "[checker][within]") {
  AstPlan p(kAstBase, "fn recent(c: date?, d: date): bool = c within 90 days of 5");
  p.from("c within");
  auto within = p.node(ast::ExprKind::within, "c within 90 days of 5", {});
  within->args.push_back(p.name("c"));
  within->args.push_back(p.number("90"));
  within->args.push_back(p.number("5"));
  within->unit = "days";
  p.from("recent");
  add_fn(p, "recent", {{"c", "date?", "date", true}, {"d", "d: date", "date"}}, "bool",
         std::move(within));
  const auto out = p.check();
  INFO(tally::testing::joined(tally::testing::diagnostic_lines(out)));
  // an optional date before `within` is allowed (null is not within)
  CHECK(tally::testing::error_count(out) == 1);
  CHECK(tally::testing::has_line(
      out, "23:58: error: `within ... of` needs a date after `of`, found int"));
}

TEST_CASE("fn: argument counts and types, declared results, no recursion", "[checker][fn]") {
  const std::string written =
      "fn f1(n: int): int = n\n"
      "fn h(n: int): money = n\n"
      "fn f(n: int): int = g(n)\n"
      "fn g(n: int): int = f(n)\n"
      "let a: int = f1(1, 2)\n"
      "let b: int = f1(\"x\")\n"
      "let c: int = f(1) + h(1)";
  AstPlan p(kAstBase, written);
  p.from("= n");
  auto f1_body = p.name("n");
  add_fn(p, "f1", {{"n", "n: int", "int"}}, "int", std::move(f1_body));
  p.from("= n", 2);
  auto h_body = p.name("n");
  add_fn(p, "h", {{"n", "n: int", "int"}}, "money", std::move(h_body));
  p.from("g(n)");
  std::vector<ast::ExprPtr> g_args;
  g_args.push_back(p.name("n"));
  auto f_body = p.call("g", "g(n)", std::move(g_args));
  add_fn(p, "f", {{"n", "n: int", "int"}}, "int", std::move(f_body));
  p.from("fn g(");
  p.from("f(n)");  // in g's body, the first `f(n)` after `fn g(`
  std::vector<ast::ExprPtr> f_args;
  f_args.push_back(p.name("n"));
  auto g_body = p.call("f", "f(n)", std::move(f_args));
  add_fn(p, "g", {{"n", "n: int", "int"}}, "int", std::move(g_body));
  p.from("f1(1, 2)");
  std::vector<ast::ExprPtr> a_args;
  a_args.push_back(p.number("1", 2));  // the first `1` is the one of `f1`
  a_args.push_back(p.number("2"));
  auto a_value = p.call("f1", "f1(1, 2)", std::move(a_args));
  p.from("let a");
  add_let(p, "a", std::move(a_value));
  p.from("let b");
  std::vector<ast::ExprPtr> b_args;
  b_args.push_back(p.str("x"));
  add_let(p, "b", p.call("f1", "f1(\"x\")", std::move(b_args)));
  p.from("f(1) + h(1)");
  std::vector<ast::ExprPtr> f_call;
  f_call.push_back(p.number("1"));
  std::vector<ast::ExprPtr> h_call;
  h_call.push_back(p.number("1", 2));
  auto c_value = p.binary(ast::Op::add, "f(1) + h(1)", p.call("f", "f(1)", std::move(f_call)),
                          p.call("h", "h(1)", std::move(h_call)));
  p.from("let c");
  add_let(p, "c", std::move(c_value));
  const auto out = p.check();
  INFO(tally::testing::joined(tally::testing::diagnostic_lines(out)));
  CHECK(tally::testing::has_line(
      out, "24:23: error: fn `h` is declared to return money (USD) but its body gives int"));
  CHECK(tally::testing::has_line(
      out, "26:21: error: fn `f` calls itself (f → g → f); functions cannot be recursive"));
  CHECK(tally::testing::has_line(out, "27:14: error: `f1` takes 1 argument, found 2"));
  CHECK(tally::testing::has_hint_text(out, "it is declared as f1(n: int)"));
  CHECK(tally::testing::has_line(out, "28:17: error: parameter `n` of `f1` is int, found text"));
  // int + money: the declared result of h is used at its calls
  CHECK(tally::testing::has_line(out, "29:14: error: cannot add a plain int and USD money"));
}

TEST_CASE("count(distinct x) is an int", "[checker][aggregates]") {
  AstPlan p(kAstBase, "measure accounts: int = count(distinct deal.account_state)");
  p.from("count(");
  auto distinct = p.node(ast::ExprKind::distinct, "distinct deal.account_state", {});
  distinct->args.push_back(p.member("deal", "account_state"));
  std::vector<ast::ExprPtr> args;
  args.push_back(std::move(distinct));
  auto count = p.call("count", "count(distinct deal.account_state)", std::move(args));
  p.from("measure");
  ast::ValueDecl m;
  m.is_measure = true;
  m.name = "accounts";
  m.name_span = p.at("accounts");
  m.span = m.name_span;
  m.type = p.type("int", "int");
  m.value = std::move(count);
  p.plan.values.push_back(std::move(m));
  const auto out = p.check();
  INFO(tally::testing::joined(tally::testing::diagnostic_lines(out)));
  CHECK(tally::testing::error_count(out) == 0);
  CHECK(tally::testing::has_line(out, "23:9: warning: measure `accounts` is never used"));
}

TEST_CASE("parsed plans: ??, unless, records and null comparisons",
          "[checker][optional][unless][records]") {
  using tally::testing::check_text;
  auto c = check_text(
      "credit paid from deals on deal.cancelled_on ?? deal.close_date { deal.owner gets 100% }\n"
      "let boss = payee.manager ?? \"nobody\"\n"
      "payout p = 1 USD unless boss == \"x\" then 2 USD\n");
  INFO(c.all);
  CHECK_FALSE(c.errors);
  // `let rate = 10% unless payee.role == "ENT" then ` is 47 characters
  c = check_text("let rate = 10% unless payee.role == \"ENT\" then 12 USD\n");
  INFO(c.all);
  CHECK(
      c.has("plan.tally:22:48: error: this exception gives money (USD) but the default `10%` gives "
            "percent"));
  c = check_text("let z = {a: 1}.b\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:22:9: error: the record `{a: 1}` has no field `b`"));
  // `let v: bool = ` is 14 characters
  c = check_text("let v: bool = null == null\n");
  INFO(c.all);
  CHECK(c.has("plan.tally:22:15: warning: `null == null` is always true"));
  c = check_text(
      "measure a: int = count(distinct deal.account where deal.segment == \"ENT\")\npayout p = 1 "
      "USD * a\n");
  INFO(c.all);
  CHECK_FALSE(c.errors);
}

TEST_CASE("record shapes follow values, nested fields and function results", "[checker][records]") {
  const auto c = tally::testing::check_text(
      "fn mk(n: int): record { a: int, b: record { c: text } } = {a: n, b: {c: \"x\"}}\n"
      "let r = mk(1)\n"
      "let s: text = r.b.c\n"
      "let t: int = r.a + mk(2).a\n"
      "let u = r.b.d\n"
      "payout p = 1 USD * t unless s == u then 0 USD\n");
  INFO(c.all);
  // `let u = ` is 8 characters
  CHECK(c.has("plan.tally:26:9: error: the record `r.b` has no field `d`"));
  CHECK(c.hinted("did you mean `c`?"));
  CHECK(c.count("error") == 1);
}
