// The virtual machine: executes a Chunk over a batch of lanes (source rows,
// credits or payees). Each instruction processes every active lane, so the
// dispatch cost is paid once per batch, not once per row; SELECT_* narrow the
// active lanes for filters and for the right side of `and`/`or`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/bytecode.hpp"
#include "interpreter/credits.hpp"
#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "interpreter/table_store.hpp"

namespace tally {

/// Per-payee, per-period results of the aggregates, filled by the engine.
struct AggregateValues {
  std::vector<std::vector<Decimal>> decimals;       ///< [aggregate][payee * periods + period]
  std::vector<std::vector<std::int64_t>> integers;  ///< same, for integer aggregates
  std::size_t periods = 0;
};

/// Text constants of a chunk, interned in the run's symbol table.
struct InternedConstants {
  std::vector<SymbolId> constants;          ///< by constant index (unused for non-text)
  std::vector<std::vector<SymbolId>> sets;  ///< by set index, sorted
  SymbolTable* symbols = nullptr;  ///< the run's symbols: for messages, and for new text (upper)
};

/// Tables keyed by (payee, period), filled by the engine from their source.
struct TableValues {
  std::vector<std::vector<Decimal>> decimals;       ///< [table][payee * periods + period]
  std::vector<std::vector<std::int64_t>> integers;  ///< same, for int tables
  std::vector<std::vector<std::uint8_t>> present;   ///< 1 where the source has a row
  std::vector<std::string> names;                   ///< for messages
  std::size_t periods = 0;
  // ---- tables
  TableStore store;  ///< every table and goal of the run, by key (table_store.hpp)
};

/// Text constants of `chunk` interned in `symbols` (once per run: the plan
/// itself stays immutable and shareable).
InternedConstants intern_constants(const Chunk& chunk, SymbolTable& symbols);

/// Whether running `chunk` may add text to the run's symbol table (`upper`,
/// `lower`): the table is not shared across threads, so such a chunk, and
/// any chunk running beside it, runs on one thread.
bool interns_text(const Chunk& chunk);

/// What loads read. Only the members of the chunk's context are set.
struct VmEnv {
  const Calendar* calendar = nullptr;
  /// The run's limits (run_limits.hpp): the VM counts the instructions it
  /// executes, one per active lane, against it. Null: not counted.
  const class RunBudget* budget = nullptr;
  const InternedConstants* interned = nullptr;
  SymbolId kind_symbols[ast::kCreditKinds] = {};  ///< direct, split, overlay, rollup

  // rows: lane i is row `row_base + i` of `rows`
  const Table* rows = nullptr;
  std::size_t row_base = 0;
  // credits: lane i is credit `credit_base + i`; its row is in `rows`
  const CreditTable* credits = nullptr;
  std::size_t credit_base = 0;
  const std::vector<Period>* periods = nullptr;  ///< the run's periods, by index
  // payees: lane i is payee `payee_base + i` of `roster`, in period `period_index`
  const Table* roster = nullptr;
  std::size_t payee_base = 0;
  std::size_t period_index = 0;
  const AggregateValues* aggregates = nullptr;
  const TableValues* tables = nullptr;

  // ---- territories
  /// Territory of each credited row and the named lists (territory_data.hpp);
  /// null where the stage has none, and then territory(row) is an error.
  const struct TerritoryData* territories = nullptr;
  /// The (transaction, map row) pair of each lane in a `territories from` match.
  const struct TerritoryPairs* territory_pairs = nullptr;

  // ---- crediting

  // ---- tables
  const class FxRates* fx = nullptr;  // the run's exchange rates (fx_rates.hpp)
  /// Under `--lenient`, in payouts: a lookup that finds no value is recorded
  /// here (and reads a placeholder) instead of stopping the run.
  std::vector<TableMiss>* table_misses = nullptr;

  // ---- periods
  /// Per value read cumulatively (`ytd(m)`), its earlier results:
  /// [value][payee * periods + period]; empty for the other values.
  const std::vector<std::vector<Decimal>>* history = nullptr;
  /// What each payout paid: [payout][payee * periods + period].
  const std::vector<std::vector<Decimal>>* paid = nullptr;
  /// [window * periods + period]: the first period of the run in the same
  /// plan year (window 0), quarter (1) or run (2).
  const std::vector<std::size_t>* window_start = nullptr;
};

/// One register: a typed vector, one value per lane.
struct Register {
  RegType type = RegType::decimal;
  std::vector<std::uint8_t> bools;
  std::vector<std::int64_t> ints;
  std::vector<Decimal> decimals;
  std::vector<Date> dates;
  std::vector<Period> periods;
  std::vector<SymbolId> symbols;
};

/// The value of lane 0 of `reg` as a Constant (texts copied out of
/// `symbols`): how explain, tests and the REPL read a value the VM computed
/// for one payee.
Constant register_constant(const Register& reg, const SymbolTable& symbols);

/// The registers and active lanes of one chunk execution; reusable across
/// batches of the same chunk without reallocating.
class Frame {
 public:
  /// Sizes the registers for `chunk` and `lanes` lanes, all active.
  void reset(const Chunk& chunk, std::size_t lanes);
  /// Sizes the registers for `chunk` and `lanes` lanes, and runs only
  /// `active` (rising, each below `lanes`): the lanes another chunk left
  /// active over the same rows.
  void reset(const Chunk& chunk, std::size_t lanes, const std::vector<std::uint32_t>& active);
  std::size_t lanes() const { return lanes_; }
  /// Leaves `lane` out of the run (after reset, before Vm::run): a row
  /// rejected under --lenient.
  void deactivate(std::uint32_t lane);
  /// The lanes active at the end of the run (after the chunk's SELECTs).
  const std::vector<std::uint32_t>& active() const { return selections_[depth_]; }
  Register& reg(std::uint16_t index) { return registers_[index]; }
  const Register& reg(std::uint16_t index) const { return registers_[index]; }

 private:
  friend class Vm;
  std::size_t lanes_ = 0;
  std::vector<Register> registers_;
  std::vector<std::vector<std::uint32_t>> selections_;  // a stack, reused
  std::size_t depth_ = 0;
  /// selections_[0] holds every lane below this (0: unknown), as a batch
  /// of the same size left it: the next needs no filling.
  std::size_t all_lanes_ = 0;
  void lay_out(const Chunk& chunk, std::size_t lanes);
  // A register that one CONST alone writes holds its constant from batch to
  // batch of the same chunk: the CONST fills every lane once, then finds it
  // done (a filter's constant was written on every row of every batch).
  const Chunk* chunk_ = nullptr;          ///< the chunk the registers are laid out for
  std::size_t chunk_code_ = 0;            ///< its length, to tell another chunk at its address
  const void* constants_from_ = nullptr;  ///< the interned constants the fills used
  std::vector<std::uint8_t> sole_const_;  ///< per register: one CONST alone writes it
  std::vector<std::size_t> const_lanes_;  ///< per register: lanes holding its constant
};

/// A run-time failure: which instruction, on which lane, and why.
struct VmFault {
  std::size_t instruction = 0;
  std::uint32_t lane = 0;
  std::string message;
  /// The fault is about the lane's data (an exchange rate missing for its
  /// currency and date), not the plan: under --lenient a stage may leave
  /// that lane's row out and run the batch again without it.
  bool about_data = false;
};

class Vm {
 public:
  /// Runs `chunk` over the frame's lanes. Returns a fault on the first error
  /// (division by zero, integer overflow), or when the instructions executed
  /// pass env.budget's instruction limit (the budget then records it); the
  /// frame is then unspecified.
  static std::optional<VmFault> run(const Chunk& chunk, Frame& frame, const VmEnv& env);
};

/// Runs `chunk` on one lane without data (a constant expression, a test's or
/// the REPL's expression with its data values given): its texts interned in
/// `symbols`, its dates and periods read with `calendar`.
std::optional<VmFault> run_constant(const Chunk& chunk, Frame& frame, const Calendar& calendar,
                                    SymbolTable& symbols);

}  // namespace tally
