// The state of one run, shared by its stages (binding, crediting,
// aggregation, payouts). Owned by one run; a Plan is never modified.
#pragma once

#include <cstdint>
#include <vector>

#include "interpreter/credits.hpp"
#include "interpreter/plan.hpp"
#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/result.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "interpreter/vm.hpp"

namespace tally {

/// How many rows (or credits, or payees) one VM call processes.
inline constexpr std::size_t kBatchSize = 1024;

struct RunState {
  explicit RunState(const Plan& p) : plan(p), model(*p.model) {}

  const Plan& plan;
  const PlanModel& model;
  SymbolTable symbols;
  std::vector<Table> tables;                  ///< by source index
  std::vector<std::int32_t> payee_of_symbol;  ///< roster row of a symbol id, or -1
  SymbolId kind_symbols[ast::kCreditKinds] = {};
  CreditTable credits;
  std::vector<Period> credit_periods;  ///< per credit, before the run's periods are known
  std::vector<Period> periods;         ///< the periods paid, in order
  AggregateValues aggregates;
  TableValues table_values;  // (payee, period) tables of the plan
  Errors errors;

  const Table& roster() const { return tables[model.roster]; }
  std::size_t payee_count() const { return model.roster >= 0 ? roster().rows : 0; }
  /// Location of a plan span, for run-time errors.
  Location plan_location(Span span) const;
  /// The text of symbol `id`.
  std::string_view text(SymbolId id) const { return symbols.text(id); }
  /// The id text of a payee (its roster key).
  std::string_view payee_id(std::int32_t payee) const;
};

}  // namespace tally
