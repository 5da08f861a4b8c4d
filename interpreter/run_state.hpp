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

/// The data errors `--lenient` may turn into rejected rows (LANGUAGE.md §4:
/// by default each stops the run and nothing is written).
enum class DataErrorKind : std::uint8_t {
  bad_row,              ///< a cell that does not parse as its field's type
  unknown_payee,        ///< a credit or table row names a payee not in the roster
  duplicate_key,        ///< two rows with one key (deal id, payee-period of a table)
  missing_table_value,  ///< a payee-period that needs a quota (or other table value) has none
  split_shares,         ///< the split shares of one transaction do not sum to 100%
  missing_fx_rate,      ///< no exchange rate for a currency on a date
  ambiguous_territory,  ///< a transaction matches two territories of equal priority
};

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

  // ---- territories

  // ---- crediting

  // ---- tables

  // ---- periods

  const Table& roster() const { return tables[model.roster]; }
  std::size_t payee_count() const { return model.roster >= 0 ? roster().rows : 0; }
  /// Location of a plan span, for run-time errors.
  Location plan_location(Span span) const;
  /// The text of symbol `id`.
  std::string_view text(SymbolId id) const { return symbols.text(id); }
  /// Reports a data error about one input row: an error that stops the run,
  /// or, under `--lenient`, a rejected row (see DataErrorKind).
  void data_error(DataErrorKind kind, Error error);
  /// The id text of a payee (its roster key).
  std::string_view payee_id(std::int32_t payee) const;
};

}  // namespace tally
