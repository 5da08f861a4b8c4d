// Territory design from the data (`tally territories`, docs/territories.md):
// for every transaction of a plan's credited source, every territory whose
// predicate holds (not only the one resolution keeps), the winner by
// priority, and whether a credit rule credits it; and a plan rewritten so
// that chosen transactions (by the value of one of their fields) move to
// another territory, for a what-if run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tally/tally.hpp"

// The public API is what the shared library exports; the rest is hidden
// (-fvisibility=hidden, docs/embedding.md).
#pragma GCC visibility push(default)

namespace tally {

/// One territory of a plan.
struct TerritoryInfo {
  std::string name;    ///< "West.CA", or a `territories from` row's name
  std::string parent;  ///< "West" for "West.CA"; empty for a top-level territory
  std::string owner;   ///< the owner when written as text (or found by the data); may be empty
  std::int64_t priority = 0;
  bool declared = true;  ///< false: a row of a `territories from SOURCE` set
};

/// One transaction of the credited source.
struct TerritoryRow {
  std::string id;    ///< the source's key field, or "" without one
  std::string file;  ///< the data file, or the origin of rows given in memory
  int line = 0;      ///< the row as a spreadsheet shows it
  /// Every territory whose predicate holds for the row, highest priority
  /// first (at one priority, a child before its ancestors).
  std::vector<std::string> matched;
  std::string winner;     ///< the territory resolution gives the row; "" for none or a tie
  std::string owner;      ///< the winner's owner; "" when it has none
  bool tie = false;       ///< two territories of the top priority, neither inside the other
  bool credited = false;  ///< some credit rule credits the row
  std::vector<std::string> cells;  ///< every field as text, in TerritoryReport::fields order
  /// The payees a credit rule credits the row to directly (`gets` without
  /// overlay or rollup), sorted: the books of business the row is in.
  std::vector<std::string> payees;
  /// The sum of those direct credits' amounts, exact; "" when there is none.
  std::string direct_amount;
};

/// What territory_report found.
struct TerritoryReport {
  bool ok = false;
  std::vector<Message> messages;         ///< why there is no report, when !ok
  std::string source;                    ///< the credited source's name (`deals`)
  std::string row_name;                  ///< how the plan names its row (`deal`)
  std::vector<std::string> fields;       ///< the source's fields, in declaration order
  std::vector<std::string> field_types;  ///< each field's type (`text`, `money (USD)`)
  int amount_field = -1;                 ///< the field the first credit rule credits, or -1
  /// Declared territories in plan order, then the rows of `territories from`
  /// sets: every row of a set without `name` (named by its key), the names
  /// that matched some transaction for a set with one.
  std::vector<TerritoryInfo> territories;
  std::vector<TerritoryRow> rows;  ///< in file order
  /// The plan declares territories (`territory` or `territories from`).
  /// Without them `territories` is empty and `rows` are those of the source
  /// the credit rules read, with their `credited` and `payees` only.
  bool declares_territories = false;
};

/// Loads `options`' data for `plan` and works out every territory of each
/// row of its credited source. A plan without territories gives an ok
/// report of the rows and their credits, with no territory; a plan whose
/// credit rules read no single source, an ok and empty one. Ties are reported per row, not as
/// errors; data errors of loading, resolution or crediting make the report fail with messages.
TerritoryReport territory_report(const Plan& plan, const RunOptions& options);

/// Moves the transactions whose `field` equals `value` into `territory`.
struct TerritoryMove {
  std::string field;      ///< a text field of the credited source
  std::string value;      ///< compared with the field's text
  std::string territory;  ///< a declared territory, or a row name of a `territories from` set
  std::string file;       ///< where the move is written, for messages
  int line = 0;
};

struct MovedPlan {
  bool ok = false;
  std::vector<Message> messages;
  std::string text;  ///< the plan text with the moves applied
};

/// The plan's text rewritten so that the moved transactions match their
/// new territory (and its ancestors) only: every declared territory's
/// predicate and every `territories from` match gains `and not (moved)`,
/// the new territory and its ancestors `or (moved here)`. Territories
/// declared in an imported file cannot be rewritten (an error). Compile the
/// text with the plan's file name.
MovedPlan plan_with_moves(const Plan& plan, const std::vector<TerritoryMove>& moves);

/// The plan's text rewritten so that the moved transactions are credited to
/// another payee's book: each move's `territory` names that payee. Every
/// credit rule over the credited source gains `and not (moved)` in its
/// `where`, and is followed by one copy per payee moved to (named
/// `RULE_to_PAYEE`) whose `where` takes that payee's moved transactions and
/// whose direct lines (`gets` without overlay or rollup) credit the payee
/// instead; overlay and rollup lines stay as written. Credit rules declared
/// in an imported file cannot be rewritten (an error).
MovedPlan plan_with_book_moves(const Plan& plan, const std::vector<TerritoryMove>& moves);

}  // namespace tally

#pragma GCC visibility pop
