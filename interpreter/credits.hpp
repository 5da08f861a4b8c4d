// The credit table: one row per (transaction, payee) credit produced by the
// credit rules, in columns. Every credit keeps the source row and the rule
// it came from, so any figure built on it can be explained.
#pragma once

#include <cstdint>
#include <vector>

#include "grammar/ast.hpp"
#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/decimal.hpp"

namespace tally {

struct CreditTable {
  std::vector<std::uint32_t> row;    ///< index of the credited row in its source table
  std::vector<std::uint16_t> rule;   ///< index of the credit rule
  std::vector<std::uint16_t> line;   ///< index of the line within the rule
  std::vector<std::int32_t> payee;   ///< roster index
  std::vector<std::int32_t> period;  ///< index into the run's periods
  std::vector<Date> date;
  std::vector<ast::CreditKind> kind;
  std::vector<Decimal> share;
  std::vector<Decimal> amount;  ///< amount × share, exact

  std::size_t size() const { return row.size(); }

  /// Keeps the credits for which keep(i) is true, in order, in place; keep
  /// sees each index once, in increasing order. Returns how many were kept.
  template <class Keep>
  std::size_t retain(Keep keep) {
    std::size_t kept = 0;
    const std::size_t n = size();
    for (std::size_t i = 0; i < n; ++i) {
      if (!keep(i)) continue;
      if (kept != i) {
        row[kept] = row[i];
        rule[kept] = rule[i];
        line[kept] = line[i];
        payee[kept] = payee[i];
        period[kept] = period[i];
        date[kept] = date[i];
        kind[kept] = kind[i];
        share[kept] = std::move(share[i]);
        amount[kept] = std::move(amount[i]);
      }
      ++kept;
    }
    row.resize(kept);
    rule.resize(kept);
    line.resize(kept);
    payee.resize(kept);
    period.resize(kept);
    date.resize(kept);
    kind.resize(kept);
    share.resize(kept);
    amount.resize(kept);
    return kept;
  }
};

}  // namespace tally
