// The reserved words of the plan language, in one list shared by the grammar
// (identifiers may not be reserved words) and the error messages (which say
// "the keyword ..." and suggest the nearest declaration keyword).
#pragma once

#include <algorithm>
#include <array>
#include <string_view>

namespace tally::grammar {

/// Only words that could otherwise be read as part of an expression, or that
/// would make a declaration ambiguous, are reserved. Words that start a clause
/// after a complete expression (`owner`, `priority`, `per`, `pay`, `min`,
/// `share`, `days`, ...) and most declaration keywords (`table`, `goal`,
/// `territory`, `fn`, `test`, ...) are contextual: expressions never put two
/// operands side by side, so a word after a complete expression can only
/// start the next clause, and such words stay usable as names.
inline constexpr std::array<std::string_view, 48> kReservedWords = {
    "plan", "version", "currency", "fiscal",  "year",   "starts",  "periods",  "rounding",
    "to",   "source",  "roster",   "credit",  "from",   "as",      "where",    "on",
    "gets", "direct",  "split",    "overlay", "rollup", "measure", "let",      "payout",
    "for",  "when",    "cap",      "floor",   "and",    "or",      "not",      "in",
    "true", "false",   "null",     "key",     "no",     "header",  "encoding", "delimiter",
    "at",   "sep",     "format",   "trim",    "unless", "then",    "within",   "distinct"};

/// The words that start a declaration; error recovery resumes at a line that
/// starts with one of them.
inline constexpr std::array<std::string_view, 17> kDeclarationKeywords = {
    "plan",      "source",      "roster", "credit", "measure",  "let", "payout", "table", "goal",
    "territory", "territories", "rates",  "draw",   "clawback", "fn",  "test",   "import"};

inline bool is_reserved_word(std::string_view word) {
  return std::find(kReservedWords.begin(), kReservedWords.end(), word) != kReservedWords.end();
}

inline bool is_declaration_keyword(std::string_view word) {
  return std::find(kDeclarationKeywords.begin(), kDeclarationKeywords.end(), word) !=
         kDeclarationKeywords.end();
}

}  // namespace tally::grammar
