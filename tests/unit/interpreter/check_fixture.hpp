// Checking constructs by building their AST by hand, for the declarations the
// parser does not accept yet. The plan text carries the construct inside a
// block comment, so the parser reads the rest and every hand-made node gets
// the span of its own text: messages point where they would for parsed code.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "grammar/parser.hpp"
#include "interpreter/checker.hpp"
#include "tally/tally.hpp"

namespace tally::testing {

/// A plan for hand-built declarations: 21 lines, then `/*` on line 22, so
/// the written part starts on line 23, column 1.
inline const std::string kAstBase = R"(plan "T" version 1
  currency USD
  periods quarter

source deals {
  id: text key
  close_date: date
  cancelled_on: date?
  owner: payee
  account_state: text
  segment: text
  product: text
  amount: money
}
source quotas { rep_id: payee, quarter: period, quota_amount: money, label: text }
roster payees { id: text key, name: text, role: text, manager: payee?, hire_date: date }
credit won from deals on deal.close_date {
  deal.owner gets 100%
}
measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";

/// A plan for end-to-end checks: 21 lines, declarations added by a test
/// start on line 22.
inline const std::string kCheckBase = R"(plan "T"
  currency USD
  periods quarter
source deals {
  id: text key
  close_date: date
  cancelled_on: date?
  owner: payee
  account: text
  account_state: text
  segment: text
  product: text
  amount: money
}
source quotas { rep_id: payee, quarter: period, quota_amount: money, target: money, label: text }
roster payees { id: text key, name: text, role: text, manager: payee?, hire_date: date }
credit won from deals on deal.close_date {
  deal.owner gets 100%
}
measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";

/// The messages of checking kCheckBase followed by `extra`, as
/// "plan.tally:L:C: error: message" lines, with their hints.
struct Checked {
  std::vector<std::string> headlines;
  std::vector<std::string> hints;
  bool errors = false;
  std::string all;

  bool has(const std::string& headline) const {
    return std::find(headlines.begin(), headlines.end(), headline) != headlines.end();
  }
  bool hinted(const std::string& hint) const {
    return std::find(hints.begin(), hints.end(), hint) != hints.end();
  }
  std::size_t count(const std::string& severity) const {
    std::size_t n = 0;
    for (const auto& h : headlines) n += h.find(": " + severity + ": ") != std::string::npos;
    return n;
  }
};

inline Checked check_text(const std::string& extra, const std::string& base = kCheckBase) {
  Engine engine;
  const auto result = engine.compile(base + extra, "plan.tally");
  Checked out;
  for (const auto& m : result.messages) {
    out.headlines.push_back(m.rendered.substr(0, m.rendered.find('\n')));
    out.hints.push_back(m.hint);
    out.errors = out.errors || m.severity == Message::Severity::error;
    out.all += m.rendered + "\n";
  }
  return out;
}

class AstPlan {
 public:
  /// `parsed` is ordinary plan text; `written` is the construct under test,
  /// put after it inside `/* ... */` (so it must not contain `*/`).
  AstPlan(const std::string& parsed, const std::string& written)
      : file_(
            std::make_shared<const SourceFile>("plan.tally", parsed + "/*\n" + written + "\n*/\n")),
        written_begin_(static_cast<std::uint32_t>(parsed.size() + 3)) {
    auto result = parse_plan(file_);
    if (!result) {
      for (const auto& e : result.errors()) UNSCOPED_INFO(e.message);
      FAIL("the parsed part of the test plan has syntax errors");
    }
    plan = std::move(result.value());
    origin_ = written_begin_;
  }

  ast::Plan plan;

  /// Later lookups search from the `nth` occurrence of `needle` in the written part.
  void from(const std::string& needle, int nth = 1) {
    origin_ = at(needle, nth, written_begin_).begin;
  }

  /// The span of the `nth` occurrence of `needle` at or after the current origin.
  Span at(const std::string& needle, int nth = 1) const { return at(needle, nth, origin_); }

  ast::ExprPtr leaf(ast::ExprKind kind, const std::string& written, std::string text, int nth = 1,
                    std::string unit = {}) const {
    auto e = std::make_unique<ast::Expr>();
    e->kind = kind;
    e->span = at(written, nth);
    e->text = std::move(text);
    e->unit = std::move(unit);
    return e;
  }
  ast::ExprPtr name(const std::string& n, int nth = 1) const {
    return leaf(ast::ExprKind::name, n, n, nth);
  }
  ast::ExprPtr str(const std::string& value, int nth = 1) const {
    return leaf(ast::ExprKind::string, "\"" + value + "\"", value, nth);
  }
  ast::ExprPtr number(const std::string& written, int nth = 1) const {
    return leaf(ast::ExprKind::number, written, without_underscores(written), nth);
  }
  ast::ExprPtr percent(const std::string& written, int nth = 1) const {
    return leaf(ast::ExprKind::percent, written,
                without_underscores(written.substr(0, written.size() - 1)), nth);
  }
  ast::ExprPtr money(const std::string& written, int nth = 1) const {
    const auto space = written.rfind(' ');
    return leaf(ast::ExprKind::money, written, without_underscores(written.substr(0, space)), nth,
                written.substr(space + 1));
  }
  ast::ExprPtr period(const std::string& written, int nth = 1) const {
    return leaf(ast::ExprKind::period, written, written, nth);
  }
  ast::ExprPtr null(int nth = 1) const { return leaf(ast::ExprKind::null, "null", "", nth); }
  /// `object.field`
  ast::ExprPtr member(const std::string& object, const std::string& field, int nth = 1) const {
    auto e = leaf(ast::ExprKind::member, object + "." + field, field, nth);
    auto o = std::make_unique<ast::Expr>();
    o->kind = ast::ExprKind::name;
    o->text = object;
    o->span = Span{e->span.begin, static_cast<std::uint32_t>(e->span.begin + object.size())};
    e->args.push_back(std::move(o));
    return e;
  }
  /// A node spanning `written`, with operands.
  ast::ExprPtr node(ast::ExprKind kind, const std::string& written, std::vector<ast::ExprPtr> args,
                    ast::Op op = ast::Op::none, std::string text = {}, int nth = 1) const {
    auto e = leaf(kind, written, std::move(text), nth);
    e->op = op;
    e->args = std::move(args);
    return e;
  }
  ast::ExprPtr binary(ast::Op op, const std::string& written, ast::ExprPtr a, ast::ExprPtr b,
                      int nth = 1) const {
    std::vector<ast::ExprPtr> args;
    args.push_back(std::move(a));
    args.push_back(std::move(b));
    return node(ast::ExprKind::binary, written, std::move(args), op, {}, nth);
  }
  /// `f(args...)`, with names for named arguments ("" for positional ones).
  ast::ExprPtr call(const std::string& function, const std::string& written,
                    std::vector<ast::ExprPtr> args, std::vector<std::string> names = {},
                    int nth = 1) const {
    auto e = node(ast::ExprKind::call, written, std::move(args), ast::Op::none, function, nth);
    names.resize(e->args.size());
    e->arg_names = std::move(names);
    return e;
  }
  ast::ExprPtr set(const std::string& written, std::vector<ast::ExprPtr> items) const {
    return node(ast::ExprKind::set, written, std::move(items));
  }

  ast::TypeRef type(const std::string& name, const std::string& written,
                    bool optional = false) const {
    ast::TypeRef t;
    t.span = at(written);
    t.name = name;
    t.optional = optional;
    return t;
  }

  /// Checks the plan (spans of hand-made nodes must point into the file).
  CheckOutput check() {
    plan.file = file_;
    return check_plan(std::move(plan));
  }

 private:
  std::shared_ptr<const SourceFile> file_;
  std::uint32_t written_begin_ = 0;
  std::uint32_t origin_ = 0;

  static std::string without_underscores(std::string s) {
    s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
    return s;
  }

  Span at(const std::string& needle, int nth, std::uint32_t origin) const {
    std::size_t position = origin;
    for (int i = 0; i < nth; ++i) {
      position = file_->text().find(needle, i == 0 ? position : position + 1);
      if (position == std::string::npos) {
        FAIL("`" + needle + "` is not in the written part of the test plan");
        return {};
      }
    }
    return Span{static_cast<std::uint32_t>(position),
                static_cast<std::uint32_t>(position + needle.size())};
  }
};

/// "L:C: error: message" / "L:C: warning: message" for each diagnostic.
inline std::vector<std::string> diagnostic_lines(const CheckOutput& out) {
  std::vector<std::string> lines;
  for (const auto& d : out.diagnostics)
    lines.push_back(std::to_string(d.error.where.line) + ":" +
                    std::to_string(d.error.where.column) + ": " +
                    (d.severity == Severity::error ? "error" : "warning") + ": " + d.error.message);
  return lines;
}

inline std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

inline bool has_line(const CheckOutput& out, const std::string& expected) {
  for (const auto& line : diagnostic_lines(out))
    if (line == expected) return true;
  return false;
}

inline bool has_hint_text(const CheckOutput& out, const std::string& hint) {
  for (const auto& d : out.diagnostics)
    if (d.error.hint == hint) return true;
  return false;
}

inline std::size_t error_count(const CheckOutput& out) {
  std::size_t n = 0;
  for (const auto& d : out.diagnostics) n += d.severity == Severity::error;
  return n;
}

}  // namespace tally::testing
