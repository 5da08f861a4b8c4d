// Expressions by precedence climbing over the PEGTL token rules of
// rules.hpp: one table of binary operators (level, AST operator, token rule)
// instead of one grammar rule per precedence level, so adding an operator is
// one line. Internal to grammar/: only parser.cpp includes this header.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <tao/pegtl.hpp>

#include "grammar/ast.hpp"
#include "grammar/parse_state.hpp"
#include "grammar/rules.hpp"

namespace tally::grammar {

/// The text of a numeric literal as the AST keeps it: without underscores.
inline std::string without_underscores(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '_') out += c;
  }
  return out;
}

/// Decodes the characters between the quotes of a string literal that the
/// grammar has already matched (so every escape is well formed).
std::string string_value(const ParseState& state, const char* begin, const char* end);

template <class ParseInput>
class ExpressionParser {
 public:
  ExpressionParser(ParseInput& in, ParseState& state) : in_(in), state_(state) {}

  /// The expression of at least `min_level` (rules::Precedence) that starts
  /// here, or null when none does (nothing consumed).
  ast::ExprPtr parse_if_present(int min_level = rules::kUnless) {
    if (!at<rules::expression_start>()) return nullptr;
    return expression(min_level);
  }

 private:
  using enum rules::Precedence;

  struct BinaryOperator {
    int level;
    ast::ExprKind kind;  ///< binary, or range (`a .. b`), or within (`x within N days of d`)
    ast::Op op;          ///< for binary
    std::string_view spelling;
    std::size_t (ExpressionParser::*length_here)();
  };

  /// Counts nesting so that 10,000 parentheses are an error, not a crash.
  class DepthGuard {
   public:
    explicit DepthGuard(ExpressionParser& parser) : state_(parser.state_) {
      if (++state_.expression_depth > kMaxExpressionDepth) {
        state_.fail_at(parser.in_.current(), 1,
                       concat({"expression nested too deeply (limit ",
                               std::to_string(kMaxExpressionDepth), ")"}));
      }
    }
    ~DepthGuard() { --state_.expression_depth; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    ParseState& state_;
  };

  // ---------------------------------------------------------------- tokens

  template <class Rule>
  bool match_token() {
    return tao::pegtl::parse<Rule, tao::pegtl::nothing, rules::control>(in_, state_);
  }

  template <class Rule>
  bool at() {
    return match_token<tao::pegtl::at<Rule>>();
  }

  /// Bytes of a Rule token here, 0 if there is none; consumes nothing.
  template <class Rule>
  std::size_t length_here() {
    auto marker = in_.template mark<tao::pegtl::rewind_mode::required>();
    const char* begin = in_.current();
    if (!match_token<Rule>()) return 0;
    return static_cast<std::size_t>(in_.current() - begin);
  }  // the marker rewinds: it was never committed

  // Longer spellings first where one is a prefix of another (`not in`, `<=`).
  static constexpr auto kBinary = ast::ExprKind::binary;
  static constexpr BinaryOperator kBinaryOperators[] = {
      {kOr, kBinary, ast::Op::or_, "or", &ExpressionParser::length_here<rules::op_or>},
      {kAnd, kBinary, ast::Op::and_, "and", &ExpressionParser::length_here<rules::op_and>},
      {kComparison, kBinary, ast::Op::not_in, "not in",
       &ExpressionParser::length_here<rules::op_not_in>},
      {kComparison, kBinary, ast::Op::in, "in", &ExpressionParser::length_here<rules::op_in>},
      {kComparison, kBinary, ast::Op::eq, "==", &ExpressionParser::length_here<rules::op_eq>},
      {kComparison, kBinary, ast::Op::ne, "!=", &ExpressionParser::length_here<rules::op_ne>},
      {kComparison, kBinary, ast::Op::le, "<=", &ExpressionParser::length_here<rules::op_le>},
      {kComparison, kBinary, ast::Op::ge, ">=", &ExpressionParser::length_here<rules::op_ge>},
      {kComparison, kBinary, ast::Op::lt, "<", &ExpressionParser::length_here<rules::op_lt>},
      {kComparison, kBinary, ast::Op::gt, ">", &ExpressionParser::length_here<rules::op_gt>},
      {kComparison, ast::ExprKind::within, ast::Op::none, "within",
       &ExpressionParser::length_here<rules::op_within>},
      {kCoalesce, kBinary, ast::Op::coalesce, "??",
       &ExpressionParser::length_here<rules::op_coalesce>},
      {kRange, ast::ExprKind::range, ast::Op::none, "..",
       &ExpressionParser::length_here<rules::op_range>},
      {kAdditive, kBinary, ast::Op::add, "+", &ExpressionParser::length_here<rules::op_add>},
      {kAdditive, kBinary, ast::Op::sub, "-", &ExpressionParser::length_here<rules::op_sub>},
      {kMultiplicative, kBinary, ast::Op::mul, "*", &ExpressionParser::length_here<rules::op_mul>},
      {kMultiplicative, kBinary, ast::Op::div, "/", &ExpressionParser::length_here<rules::op_div>},
  };

  /// Consumes a Rule token and the whitespace after it.
  template <class Rule>
  bool accept() {
    const char* begin = in_.current();
    if (!match_token<Rule>()) return false;
    token_begin_ = begin;
    end_token();
    return true;
  }

  void end_token() {
    token_end_ = in_.current();
    state_.last_token_end = state_.offset(token_end_);
    match_token<rules::skip>();
    state_.last_skip_end = state_.offset(in_.current());
  }

  std::string_view token_text() const {
    return {token_begin_, static_cast<std::size_t>(token_end_ - token_begin_)};
  }

  // ---------------------------------------------------------------- nodes

  ast::ExprPtr node(ast::ExprKind kind, std::uint32_t begin) const {
    auto e = std::make_unique<ast::Expr>();
    e->kind = kind;
    e->span = Span{begin, state_.last_token_end};
    return e;
  }

  ast::ExprPtr token_node(ast::ExprKind kind, std::string text) const {
    auto e = node(kind, state_.offset(token_begin_));
    e->text = std::move(text);
    return e;
  }

  ast::ExprPtr with_operands(ast::ExprPtr e, ast::ExprPtr first, ast::ExprPtr second = nullptr) {
    e->span.begin = std::min(e->span.begin, first->span.begin);
    e->args.push_back(std::move(first));
    if (second) e->args.push_back(std::move(second));
    e->span.end = state_.last_token_end;
    record_height(*e);
    return e;
  }

  /// Bounds the height of the tree, not only the nesting of the text: a chain
  /// `a + b + c ...` is as deep as it is long, and the checker, the compiler
  /// and the destructor of Expr all recurse over the tree.
  void record_height(const ast::Expr& e) {
    int height = 1;
    for (const ast::ExprPtr& arg : e.args) {
      const auto found = heights_.find(arg.get());
      height = std::max(height, 1 + (found == heights_.end() ? 1 : found->second));
    }
    if (height > kMaxExpressionHeight) {
      state_.fail_at(
          state_.base + e.span.begin, 1,
          concat({"expression too complex (more than ", std::to_string(kMaxExpressionHeight),
                  " levels of operators); split it with let"}));
    }
    heights_[&e] = height;
  }

  // ---------------------------------------------------------------- grammar

  /// An expression that must be here, after the token described by `after`.
  ast::ExprPtr required(int min_level, std::string_view after) {
    if (!at<rules::expression_start>()) {
      state_.fail_expected(in_.current(), concat({"expected an expression after ", after}));
    }
    return expression(min_level);
  }

  const BinaryOperator* binary_operator_here(std::size_t& length) {
    for (const BinaryOperator& op : kBinaryOperators) {
      length = (this->*op.length_here)();
      if (length > 0) return &op;
    }
    return nullptr;
  }

  ast::ExprPtr expression(int min_level) {
    if (min_level <= kUnless) return exceptions();  // which nests one level, not two
    DepthGuard guard(*this);
    ast::ExprPtr lhs = prefix(min_level);
    bool lhs_is_comparison = false;
    for (;;) {
      std::size_t length = 0;
      const BinaryOperator* op = binary_operator_here(length);
      if (op == nullptr || op->level < min_level) break;
      const char* op_begin = in_.current();
      if (op->level == kComparison && lhs_is_comparison) {
        state_.fail_at(op_begin, count_characters(op_begin, op_begin + length),
                       "comparisons do not chain; use `and`");
      }
      in_.bump(length);
      token_begin_ = op_begin;
      end_token();
      const std::string after = concat({"\"", op->spelling, "\""});
      if (op->kind == ast::ExprKind::range) {
        // `a ..` with nothing after it is a range open at its upper end.
        ast::ExprPtr rhs = at<rules::expression_start>() ? required(kRange + 1, after) : nullptr;
        lhs = with_operands(node(ast::ExprKind::range, state_.offset(op_begin)), std::move(lhs),
                            std::move(rhs));
      } else if (op->kind == ast::ExprKind::within) {
        lhs = window(std::move(lhs), op_begin);
      } else {
        ast::ExprPtr rhs = required(op->level + 1, after);
        auto e = node(ast::ExprKind::binary, state_.offset(op_begin));
        e->op = op->op;
        lhs = with_operands(std::move(e), std::move(lhs), std::move(rhs));
      }
      lhs_is_comparison = op->level == kComparison;
    }
    return lhs;
  }

  /// `E0 unless C1 then E1 unless C2 then E2 ...`: the whole-expression form.
  ast::ExprPtr exceptions() {
    ast::ExprPtr base = expression(kOr);
    if (!at<rules::kw_unless>()) return base;
    auto e = node(ast::ExprKind::unless, base->span.begin);
    e->args.push_back(std::move(base));
    while (accept<rules::kw_unless>()) {
      e->args.push_back(required(kOr, "\"unless\""));
      if (!accept<rules::kw_then>()) {
        state_.fail_expected(in_.current(),
                             "expected \"then\" and a value after the condition of \"unless\"");
      }
      e->args.push_back(required(kOr, "\"then\""));
    }
    e->span.end = state_.last_token_end;
    record_height(*e);
    return e;
  }

  /// `X within N days of D` after its "within"; `subject` is X.
  ast::ExprPtr window(ast::ExprPtr subject, const char* op_begin) {
    auto e = node(ast::ExprKind::within, state_.offset(op_begin));
    e->span.begin = subject->span.begin;
    e->args.push_back(std::move(subject));
    e->args.push_back(required(kComparison + 1, "\"within\""));
    if (!accept<rules::window_unit>()) {
      state_.fail_expected(in_.current(),
                           "expected \"days\" or \"months\" after the length of the window");
    }
    e->unit = std::string(token_text());
    if (!accept<rules::kw_of>()) {
      state_.fail_expected(in_.current(),
                           concat({"expected \"of\" and a date after \"", e->unit, "\""}));
    }
    e->args.push_back(required(kComparison + 1, "\"of\""));
    e->span.end = state_.last_token_end;
    record_height(*e);
    return e;
  }

  ast::ExprPtr prefix(int min_level) {
    const char* begin = in_.current();
    if (accept<rules::op_not>()) {
      if (min_level > kNot) {
        state_.fail_at(begin, 3, "\"not\" needs parentheses here, as in (not x)");
      }
      auto e = node(ast::ExprKind::unary, state_.offset(begin));
      e->op = ast::Op::not_;
      return with_operands(std::move(e), required(kNot, "\"not\""));
    }
    if (accept<rules::op_sub>()) {
      auto e = node(ast::ExprKind::unary, state_.offset(begin));
      e->op = ast::Op::neg;
      return with_operands(std::move(e), required(kNegation, "\"-\""));
    }
    return postfix();
  }

  ast::ExprPtr postfix() {
    ast::ExprPtr e = primary();
    for (;;) {
      if (accept<rules::op_member>()) {
        if (!accept<rules::word>()) {
          state_.fail_expected(in_.current(), "expected a field name after \".\"");
        }
        auto member = token_node(ast::ExprKind::member, std::string(token_text()));
        e = with_operands(std::move(member), std::move(e));
      } else if (e->kind == ast::ExprKind::name && at<rules::open_paren>()) {
        e = call(std::move(e));
      } else {
        return e;
      }
    }
  }

  ast::ExprPtr primary() {
    const char* begin = in_.current();
    if (accept<rules::open_paren>()) {
      ast::ExprPtr inner = required(kUnless, "\"(\"");
      if (!accept<rules::close_paren>()) {
        state_.fail_expected(in_.current(), "expected \")\" to close the \"(\"");
      }
      return inner;
    }
    if (accept<rules::open_brace>()) {
      return at<rules::record_start>() ? record(begin) : set(begin);
    }
    if (accept<rules::string_literal>()) {
      return token_node(ast::ExprKind::string,
                        string_value(state_, token_begin_ + 1, token_end_ - 1));
    }
    if (accept<rules::date>()) return token_node(ast::ExprKind::date, std::string(token_text()));
    if (accept<rules::period>())
      return token_node(ast::ExprKind::period, std::string(token_text()));
    if (accept<rules::money>()) {
      const std::string_view text = token_text();
      const std::size_t number_end = text.find_first_of(" \t");
      auto e = token_node(ast::ExprKind::money, without_underscores(text.substr(0, number_end)));
      e->unit = std::string(text.substr(text.size() - 3));
      return e;
    }
    if (accept<rules::percent>()) {
      const std::string_view text = token_text();
      return token_node(ast::ExprKind::percent,
                        without_underscores(text.substr(0, text.size() - 1)));
    }
    if (accept<rules::number>()) {
      return token_node(ast::ExprKind::number, without_underscores(token_text()));
    }
    if (accept<rules::boolean>()) {
      return token_node(ast::ExprKind::boolean, std::string(token_text()));
    }
    if (accept<rules::kw_null>()) return token_node(ast::ExprKind::null, "");
    if (accept<rules::contextual_name>() || accept<rules::name>()) {
      return token_node(ast::ExprKind::name, std::string(token_text()));
    }
    state_.fail_expected(begin, "expected an expression");
  }

  /// `{a, b, 1 .. 5}` after its "{"; a trailing comma is allowed.
  ast::ExprPtr set(const char* begin) {
    std::vector<ast::ExprPtr> elements;
    while (!accept<rules::close_brace>()) {
      elements.push_back(required(kOr, elements.empty() ? "\"{\"" : "\",\""));
      if (accept<rules::comma>()) continue;
      if (accept<rules::close_brace>()) break;
      state_.fail_expected(in_.current(), "expected \",\" or \"}\" in the set");
    }
    auto e = node(ast::ExprKind::set, state_.offset(begin));
    e->args = std::move(elements);
    record_height(*e);
    return e;
  }

  /// `{amount: 5 USD, Q1: 20%}` after its "{"; a trailing comma is allowed.
  ast::ExprPtr record(const char* begin) {
    auto e = node(ast::ExprKind::record, state_.offset(begin));
    while (!accept<rules::close_brace>()) {
      if (!accept<rules::word>()) {
        state_.fail_expected(in_.current(), "expected a field (name: value) in the record");
      }
      std::string field(token_text());
      if (!accept<rules::colon>()) {
        state_.fail_expected(in_.current(), "expected \":\" and a value after the field name");
      }
      e->args.push_back(required(kUnless, concat({"\"", field, ":\""})));
      e->arg_names.push_back(std::move(field));
      if (accept<rules::comma>()) continue;
      if (accept<rules::close_brace>()) break;
      state_.fail_expected(in_.current(), "expected \",\" or \"}\" in the record");
    }
    e->span.end = state_.last_token_end;
    record_height(*e);
    return e;
  }

  /// `f(a, levels: 2, credit where credit.kind == direct)`; `callee` is the name.
  ast::ExprPtr call(ast::ExprPtr callee) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = ast::ExprKind::call;
    e->text = std::move(callee->text);
    e->span.begin = callee->span.begin;
    accept<rules::open_paren>();
    const std::string in_call = " in the call to " + e->text;
    if (!accept<rules::close_paren>()) {
      for (;;) {
        std::string argument_name;
        if (at<rules::argument_name>()) {
          accept<rules::word>();
          argument_name = token_text();
          accept<rules::colon>();
        }
        const std::string after = !argument_name.empty() ? concat({"\"", argument_name, ":\""})
                                  : e->args.empty()      ? std::string("\"(\"")
                                                         : std::string("\",\"");
        ast::ExprPtr argument;
        const char* distinct_begin = in_.current();
        if (accept<rules::kw_distinct>()) {
          argument = with_operands(node(ast::ExprKind::distinct, state_.offset(distinct_begin)),
                                   required(kOr, "\"distinct\""));
        } else {
          argument = required(kUnless, after);
        }
        if (accept<rules::kw_where>()) {
          const std::uint32_t begin = argument->span.begin;
          ast::ExprPtr condition = required(kOr, "\"where\"");
          argument = with_operands(node(ast::ExprKind::filter, begin), std::move(argument),
                                   std::move(condition));
        }
        e->args.push_back(std::move(argument));
        e->arg_names.push_back(std::move(argument_name));
        if (accept<rules::comma>()) continue;
        if (accept<rules::close_paren>()) break;
        state_.fail_expected(in_.current(), concat({"expected \",\" or \")\"", in_call}));
      }
    }
    e->span.end = state_.last_token_end;
    record_height(*e);
    return e;
  }

  ParseInput& in_;
  ParseState& state_;
  const char* token_begin_ = nullptr;
  const char* token_end_ = nullptr;
  std::unordered_map<const ast::Expr*, int> heights_;  ///< of the composite nodes built so far
};

namespace rules {

template <int MinLevel>
template <apply_mode A, rewind_mode, template <class...> class, template <class...> class,
          class ParseInput>
bool expression_at<MinLevel>::match(ParseInput& in, ParseState& state) {
  ExpressionParser<ParseInput> parser(in, state);
  ast::ExprPtr e = parser.parse_if_present(MinLevel);
  if (!e) return false;
  if constexpr (A == apply_mode::action) state.expressions.push_back(std::move(e));
  return true;
}

}  // namespace rules
}  // namespace tally::grammar
