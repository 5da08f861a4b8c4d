// A compiled plan: the bytecode chunks for each stage of a run and the
// registers where the engine finds their results. Immutable once built, so
// one Program can serve several runs at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "interpreter/bytecode.hpp"
#include "interpreter/plan_model.hpp"

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
  };
  std::vector<Payout> payouts;
};

/// A construct the checker accepts but the engine cannot run yet. A run of
/// a program with any refuses to start, naming each, rather than computing
/// without them.
struct Unsupported {
  Span span;
  std::string what;  ///< e.g. "`rates` declarations"
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

  // ---- crediting

  // ---- tables

  // ---- periods
};

}  // namespace tally
