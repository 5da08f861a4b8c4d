// What the parser carries while it reads one declaration: the declaration
// being built, a stack of finished expressions, and the ways to stop with a
// syntax error. Internal to grammar/ (only parser.cpp includes it).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/ast.hpp"

namespace tally::grammar {

/// Expressions (parentheses, sets, calls, prefix operators) may nest this
/// deep; deeper input is an error instead of a stack overflow.
inline constexpr int kMaxExpressionDepth = 256;
/// The tree of one expression may be this high (a chain `a + b + ...` counts
/// one level per operator).
inline constexpr int kMaxExpressionHeight = 1000;
/// A plan file may be this long. Parsing takes about 0.1 s per megabyte and
/// its AST some 25 bytes per byte of text, so a runaway generated file gets a
/// clear message instead of seconds of work and gigabytes of memory.
inline constexpr std::size_t kMaxPlanBytes = 16u * 1024 * 1024;
/// `list<list<...>>` types may nest this deep.
inline constexpr int kMaxTypeDepth = 32;

/// A syntax error on its way to the top-level loop, which turns it into a
/// tally::Error and resumes at the next declaration.
struct SyntaxError {
  std::uint32_t offset = 0;
  int length = 0;  ///< in characters; 0 = one
  std::string message;
  std::string hint;
};

/// The token that starts at some point, described for "found ..." in messages.
struct FoundToken {
  std::string description;  ///< `"bookings"`, `the keyword "amount"`, `end of file`
  std::uint32_t bytes = 0;
  int characters = 0;
};

/// Joins pieces of a message (GCC 12 warns falsely on `"literal" + std::string(...)`).
inline std::string concat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out += part;
  return out;
}

/// Skips whitespace and comments (an unterminated block comment is skipped to
/// the end); used only to describe what follows an error position.
const char* skip_blank_text(const char* p, const char* end);

/// Describes the token that starts at `p` (after whitespace and comments).
FoundToken describe_token(const char* p, const char* end);

/// Counts the UTF-8 characters in [begin, end).
int count_characters(const char* begin, const char* end);

struct ParseState {
  const char* base = nullptr;  ///< the first byte of the file; offsets count from here
  const char* end = nullptr;
  std::uint32_t last_token_end = 0;  ///< end of the last token before whitespace
  std::uint32_t last_skip_end = 0;   ///< end of the last whitespace skipped
  int expression_depth = 0;
  int type_depth = 0;

  ast::Plan* plan = nullptr;
  std::vector<ast::ExprPtr> expressions;  ///< finished expressions awaiting their slot

  // The declaration being built. The top-level loop resets them before each
  // declaration, so a half-built one never leaks into the next.
  ast::PlanHeader header;
  ast::SourceDecl source;
  ast::FieldDecl field;
  std::vector<std::string> option_values;
  std::vector<ast::TypeRef> types;
  ast::CreditDecl credit;
  ast::CreditLine line;
  ast::ValueDecl value;
  ast::PayoutDecl payout;
  ast::TableDecl table;
  ast::TerritoryDecl territory;
  ast::TerritoriesDecl territory_set;
  ast::RatesDecl rates;
  ast::RateRow rate_row;
  ast::DrawDecl draw;
  ast::ClawbackDecl clawback;
  ast::FnDecl function;
  ast::TestDecl test;
  ast::TestStatement statement;
  ast::ImportDecl import;
  std::vector<std::string> record_field_names;  ///< of the `record { ... }` types being read

  std::uint32_t offset(const char* p) const { return static_cast<std::uint32_t>(p - base); }
  Span span(const char* begin) const { return Span{offset(begin), last_token_end}; }

  ast::ExprPtr pop_expression() {
    ast::ExprPtr e = std::move(expressions.back());
    expressions.pop_back();
    return e;
  }

  /// "`expected`, found `what is at p`", pointing at the found token.
  [[noreturn]] void fail_expected(const char* p, std::string_view expected) const;
  /// A message that needs no "found" part, pointing at `p` for `length` characters.
  [[noreturn]] void fail_at(const char* p, int length, std::string message) const;
  [[noreturn]] void fail_at(Span span, std::string message) const;
};

}  // namespace tally::grammar
