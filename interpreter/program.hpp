// A compiled plan: the bytecode chunks for each stage of a run and the
// registers where the engine finds their results. Immutable once built, so
// one Program can serve several runs at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/bytecode.hpp"
#include "interpreter/plan_model.hpp"
#include "interpreter/territory_program.hpp"

namespace tally {

/// A credit rule: run over batches of source rows. After the chunk runs, the
/// active lanes are the rows that matched `where`; for each of them the
/// engine reads the credit date, the amount and each line's payee and share.
struct CompiledRule {
  int source = -1;
  Chunk chunk;
  std::uint16_t date_reg = 0;
  std::uint16_t amount_reg = 0;
  struct Line {
    std::uint16_t payee_reg = 0;
    std::uint16_t share_reg = 0;
    ast::CreditKind kind = ast::CreditKind::direct;
    Span span;
    /// `managers(p, levels: n)` / `managers(p, to: "ROLE")`: payee_reg holds
    /// p, and the line credits p's managers as of the credit date.
    bool managers = false;
    std::uint16_t levels_reg = 0;  ///< integer register; used without a role
    std::optional<std::string> to_role;
  };
  std::vector<Line> lines;
};

/// An aggregate (`sum(credit.amount where ...)`): run over batches of
/// credits; the active lanes after the chunk are the credits that pass the
/// filter, and `value_reg` holds the value to aggregate (unused for count).
struct CompiledAggregate {
  AggregateKind kind = AggregateKind::sum;
  Chunk chunk;
  std::uint16_t value_reg = 0;
  RegType value_type = RegType::decimal;
};

/// Values and payouts: run once per period with one lane per payee.
struct CompiledPayouts {
  Chunk chunk;
  std::vector<std::uint16_t> value_regs;  ///< per value (measure or let)
  struct Payout {
    bool guarded = false;
    std::uint16_t guard_reg = 0;   ///< bool: the payout applies to the payee
    std::uint16_t amount_reg = 0;  ///< the rounded amount
    // State carried across periods (docs/semantics/periods.md); each
    // register is valid where the payout applies.
    bool cap_carried = false;       ///< `cap X per year` or `cap X defer`: applied by the engine
    std::uint16_t cap_reg = 0;      ///< X of such a cap
    bool floor_yearly = false;      ///< `floor X per year`
    std::uint16_t floor_reg = 0;    ///< X of the yearly floor
    bool pay_min = false;           ///< `pay min A`
    std::uint16_t pay_min_reg = 0;  ///< A
    bool pay_max = false;           ///< `pay max B`
    std::uint16_t pay_max_reg = 0;  ///< B
  };
  std::vector<Payout> payouts;
  /// A draw: its guard, its amount per plan period and its recovery limit.
  struct Draw {
    bool guarded = false;
    std::uint16_t guard_reg = 0;   ///< bool: the draw runs for the payee this period
    std::uint16_t amount_reg = 0;  ///< per plan period, where the draw runs
    bool recoverable = false;
    bool limited = false;
    std::uint16_t limit_reg = 0;  ///< recovery limit per plan period, on every lane
  };
  std::vector<Draw> draws;
  /// Values read cumulatively (`ytd(m)`): the engine keeps their history.
  std::vector<int> cumulative_values;
  /// Some payout reads what a payout paid earlier (`ytd(commission)`).
  bool reads_paid = false;
};

/// A construct the checker accepts but the engine cannot run yet. A run of
/// a program with any refuses to start, naming each, rather than computing
/// without them.
struct Unsupported {
  Span span;
  std::string what;  ///< e.g. "`rates` declarations"
  /// Not a construct the engine lacks but a bug of the compiler (bytecode
  /// the verifier rejects): the run ends with RunStatus::internal_error.
  bool internal_error = false;
};

/// Whether the engine can run table `table` of `model`: keyed (payee,
/// period) and read from a source.
bool runnable_table(const PlanModel& model, int table);

struct Program {
  std::vector<CompiledRule> rules;
  std::vector<CompiledAggregate> aggregates;
  CompiledPayouts payouts;
  std::vector<Unsupported> unsupported;

  // ---- territories
  CompiledTerritories territories;  ///< territory resolution (territory_program.hpp)

  // ---- crediting

  // ---- tables
  /// A table or goal defined `= EXPR` and keyed by payee and/or period: run
  /// by the tables stage once per period (when keyed by period) with one
  /// lane per payee (when keyed by payee); `value_reg` holds its value.
  struct TableChunk {
    int table = -1;
    Chunk chunk;
    std::uint16_t value_reg = 0;
  };
  std::vector<TableChunk> table_chunks;
  bool uses_fx = false;  // converts currencies, so a run loads the FX source

  // ---- periods
  /// A clawback's condition over the credited source: after the chunk the
  /// active lanes are the rows it claws back; `date_reg` holds the date of
  /// the event (the subject of its `within`), `share_reg` the part charged.
  struct Clawback {
    Chunk chunk;
    /// False when the condition reads no date: each credit is charged in the
    /// period it was earned in (docs/semantics/periods.md).
    bool dated = true;
    std::uint16_t date_reg = 0;
    /// When the date is an optional field: where it is present (elsewhere
    /// the credit is charged in the period it was earned in).
    bool date_optional = false;
    std::uint16_t date_present_reg = 0;
    std::uint16_t share_reg = 0;
    /// The `sum` and `count` aggregates the payout's value depends on: a
    /// deal's part of the payout is its part of these (all credits if none).
    std::vector<int> aggregates;
  };
  std::vector<Clawback> clawbacks;
};

}  // namespace tally
