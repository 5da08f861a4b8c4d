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
};

}  // namespace tally
