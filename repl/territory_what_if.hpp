// The what-if of `tally territories --what-if FILE` (docs/territories.md):
// the plan rewritten with the file's moves (plan_with_moves) is reported and
// run beside the original, giving the balance before and after and the
// change in incentive cost, exact, from two ordinary runs of the engine.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "repl/statement_amount.hpp"
#include "repl/territory_balance.hpp"
#include "tally/tally.hpp"
#include "tally/territories.hpp"

namespace tally::cli {

/// One total before and after the moves.
struct CostLine {
  std::string label;  ///< a component or a payee id
  Amount before;
  Amount after;
};

struct WhatIf {
  std::string file;
  std::vector<TerritoryMove> moves;
  std::size_t moved = 0;  ///< transactions whose territory changes
  Balance after;
  std::string currency;
  CostLine total;
  std::vector<CostLine> components;  ///< those whose total changes, in plan order
  std::vector<CostLine> payees;      ///< those whose total changes, by id
};

struct WhatIfResult {
  std::optional<WhatIf> what_if;
  std::vector<Message> messages;  ///< errors when there is no what-if
};

/// Reads the change file `change_path`, moves, reports and runs. `before`
/// is the report of `plan` over `options`, `fields` the fields its balance used.
/// With `books`, `before` is the payees' books (group_report) and the moves
/// reassign transactions to payees (plan_with_book_moves).
WhatIfResult run_what_if(const Engine& engine, const Plan& plan, const std::string& plan_path,
                         const RunOptions& options, const TerritoryReport& before,
                         const ChosenFields& fields, const std::string& change_path,
                         bool books = false);

}  // namespace tally::cli
