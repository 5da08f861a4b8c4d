// The reserved words of the plan language, in one list shared by the grammar
// (identifiers may not be reserved words) and the error messages (which say
// "the keyword ..." and suggest the nearest declaration keyword).
#pragma once

#include <algorithm>
#include <array>
#include <string_view>

namespace tally::grammar {

inline constexpr std::array<std::string_view, 45> kReservedWords = {
    "plan",      "version", "currency", "fiscal", "year",    "starts", "periods", "rounding",
    "to",        "source",  "roster",   "credit", "from",    "as",     "amount",  "where",
    "on",        "gets",    "direct",   "split",  "overlay", "rollup", "measure", "let",
    "payout",    "for",     "when",     "cap",    "floor",   "and",    "or",      "not",
    "in",        "true",    "false",    "null",   "key",     "no",     "header",  "encoding",
    "delimiter", "at",      "sep",      "format", "trim"};

/// The words that start a declaration; error recovery resumes at a line that
/// starts with one of them.
inline constexpr std::array<std::string_view, 7> kDeclarationKeywords = {
    "plan", "source", "roster", "credit", "measure", "let", "payout"};

inline bool is_reserved_word(std::string_view word) {
  return std::find(kReservedWords.begin(), kReservedWords.end(), word) != kReservedWords.end();
}

inline bool is_declaration_keyword(std::string_view word) {
  return std::find(kDeclarationKeywords.begin(), kDeclarationKeywords.end(), word) !=
         kDeclarationKeywords.end();
}

}  // namespace tally::grammar
