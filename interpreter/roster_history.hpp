// An effective-dated roster: several rows per payee, each in force from its
// `effective_from` date until the next row of the same payee starts. Manager
// chains are read as of a credit date, and payouts read the row in force at
// the end of the period paid (docs/semantics/crediting.md).
#pragma once

#include <cstdint>
#include <vector>

#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/column.hpp"

namespace tally {

struct RosterHistory {
  int effective_from = -1;  ///< the roster's `effective_from` field; -1: not effective-dated
  Table rows;               ///< every roster row as loaded
  /// By payee (the index of the one-row-per-payee roster): its rows in
  /// `rows`, sorted by effective_from.
  std::vector<std::vector<std::uint32_t>> rows_of_payee;

  bool dated() const { return effective_from >= 0; }
  /// The row of `rows` in force for `payee` on `date`: the last one that
  /// starts on or before it, or the payee's first row before any starts.
  std::uint32_t row_at(std::int32_t payee, Date date) const {
    const auto& mine = rows_of_payee[static_cast<std::size_t>(payee)];
    const auto& from = rows.columns[static_cast<std::size_t>(effective_from)].dates;
    std::uint32_t found = mine.front();
    for (std::uint32_t r : mine) {
      if (date < from[r]) break;
      found = r;
    }
    return found;
  }
};

}  // namespace tally
