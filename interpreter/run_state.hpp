// The state of one run, shared by its stages (binding, crediting,
// aggregation, payouts). Owned by one run; a Plan is never modified.
#pragma once

#include <cstdint>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "interpreter/credits.hpp"
#include "interpreter/fx_rates.hpp"
#include "interpreter/plan.hpp"
#include "interpreter/roster_history.hpp"
#include "interpreter/run_limits.hpp"
#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/result.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "interpreter/territory_data.hpp"
#include "interpreter/vm.hpp"

namespace tally {

class RunInspector;  // interpreter/run_inspector.hpp

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
  /// A run bounded by `limits` (RunOptions::limits); its clock starts here.
  RunState(const Plan& p, const RunLimits& limits) : plan(p), model(*p.model), budget(limits) {}

  const Plan& plan;
  const PlanModel& model;
  SymbolTable symbols;
  std::vector<Table> tables;                  ///< by source index
  std::vector<std::int32_t> payee_of_symbol;  ///< roster row of a symbol id, or -1
  SymbolId kind_symbols[ast::kCreditKinds] = {};
  CreditTable credits;
  std::vector<Period> periods;  ///< the periods paid, in order
  AggregateValues aggregates;
  TableValues table_values;  // (payee, period) tables of the plan
  Errors errors;
  /// The run's limits: stages check it in their long loops and charge the
  /// memory they allocate; once it has stopped, they return at once and
  /// Engine::run reports the limit instead of their errors. Thread-safe.
  RunBudget budget;

  // ---- territories
  TerritoryData territories;  ///< per credited row: its territory and owner; named lists

  // ---- crediting
  /// RunOptions::lenient: data errors reject rows or credits instead of stopping the run.
  bool lenient = false;
  /// RunOptions::threads: how many threads the run's stages may use (loading,
  /// crediting, aggregation); 1 = one; 0 = one per core. Results never
  /// depend on it (docs/performance.md, "Deterministic parallelism").
  unsigned threads = 0;
  /// Whether a stage may work on two threads.
  bool two_threads() const {
    return threads == 0 ? std::thread::hardware_concurrency() > 1 : threads > 1;
  }
  /// A row or credit rejected under `--lenient` (a row of rejects.csv).
  struct RejectedRow {
    DataErrorKind kind = DataErrorKind::bad_row;
    std::string file;
    int row = 0;
    std::string transaction;
    std::string message;
  };
  std::vector<RejectedRow> rejects;  ///< in the order reported
  Errors warnings;                   ///< shown with the results of a run that goes on
  std::size_t errors_hidden = 0;     ///< data errors beyond the first ones shown
  /// The roster's rows over time when it is effective-dated (else unused):
  /// `tables[model.roster]` then holds one row per payee, the latest.
  RosterHistory roster_history;
  /// Per period paid, one row per payee: the roster row in force at the end
  /// of the period; empty when the roster is not effective-dated.
  std::vector<Table> roster_by_period;
  /// The name of a kind of data error, as rejects.csv and the summary print it.
  static const char* kind_name(DataErrorKind kind);
  /// Like data_error, naming the transaction (the row's id) in the rejects file.
  void data_error(DataErrorKind kind, Error error, std::string transaction);
  /// The roster as payouts of period `period` read it (see roster_by_period).
  const Table& roster_in_period(std::size_t period) const {
    return roster_by_period.empty() ? roster() : roster_by_period[period];
  }

  // ---- tables
  FxRates fx;  // exchange rates from the FX source, when the plan converts
  /// Lookups without a value in the payouts of the period being computed
  /// (--lenient only), and per payee * periods + period: 1 where those rows
  /// are left out (a missing_table_value reject).
  std::vector<TableMiss> table_misses;
  std::vector<std::uint8_t> left_out_by_tables;

  // ---- periods
  /// A clawback that applies to one credit: charged in period `charge`.
  struct ClawbackEvent {
    std::uint32_t clawback = 0;  ///< index into the plan's clawbacks
    std::uint32_t credit = 0;    ///< the credit whose incentive is charged back
    std::int32_t charge = 0;     ///< run period of the cancellation
    Decimal share;               ///< part charged back (1 = all)
    Decimal weight;              ///< the credit's part of the payout's aggregates
  };
  std::vector<ClawbackEvent> clawback_events;
  /// Per clawback, per payee and period: the payout's aggregates over the
  /// credits of the rules, which a weight is a part of.
  std::vector<std::vector<Decimal>> clawback_base;
  /// Credits made by credit rules; those after it reverse clawed-back credits.
  std::size_t rule_credits = 0;
  /// What each payout paid after the state carried across periods (yearly
  /// and deferred caps, yearly floors, payment plans): [payout][payee *
  /// periods + period]; filled by the payouts stage.
  std::vector<std::vector<Decimal>> paid;
  /// RunOptions::settled: periods whose closing balances come from a ledger
  /// (settled_balances.cpp); never null during a run.
  const SettledPeriods* settled = nullptr;
  /// The balances carried out of each period paid (RunResult::balances).
  std::vector<CarriedBalance> balances;
  /// Run periods before this one are computed only for the state they carry
  /// (a plan year starts at its first period); their rows are not written.
  std::size_t first_paid = 0;

  // ---- streaming (streaming.cpp)
  /// The credited source read in chunks, whose credits are folded into the
  /// aggregates chunk by chunk and dropped; load_sources leaves it out. -1:
  /// the run loads every source whole.
  int streamed_source = -1;
  /// What a streamed run read and credited (state.credits holds only the
  /// last chunk's credits, and the source's table only its last chunk).
  struct StreamTotals {
    std::size_t rows = 0;  ///< rows of the streamed source
    /// Credits per run period and payee: [period * payees + payee].
    std::vector<std::size_t> credits;
  } streamed;

  // ---- tests
  RunInspector* inspector = nullptr;  ///< observes the run (`tally test`, explain); may be null

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

/// A second thread running `work`, or none (not joinable) when the system
/// has no thread to give: the caller then does that work itself.
template <class Work>
std::thread thread_or_none(Work&& work) {
  try {
    return std::thread(std::forward<Work>(work));
  } catch (const std::system_error&) {
    return std::thread();
  }
}

}  // namespace tally
