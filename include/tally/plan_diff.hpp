// What-if modelling: two plans run on the same data, and how the pay moves
// from the first to the second — in total, per component, per role and per
// payee (`tally diff`, the REPL, embedders).
//
// Part of the public API beside tally.hpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tally/tally.hpp"

// The public API is what the shared library exports; the rest is hidden
// (-fvisibility=hidden, docs/embedding.md).
#pragma GCC visibility push(default)

namespace tally {

/// Why two plans cannot be compared on the same data, one error per
/// difference: a source (or the roster) declared in one plan only, a field
/// missing from one, a field of another type, key or column, or another
/// plan currency. Each message names the source and both plan files and says
/// how to make them agree. Empty when the plans read the data alike.
std::vector<Message> compare_sources(const Plan& before, const std::string& before_file,
                                     const Plan& after, const std::string& after_file);

/// When a payee's pay moves enough to be listed: `10%` (relative to the
/// pay under the first plan) or `500` (an amount in the plan currency).
struct DiffThreshold {
  bool relative = true;
  std::string amount = "10";  ///< a decimal: percent points when relative
};

/// `10%`, `12.5%`, `500`, `500.00`; nullopt for anything else (a negative
/// or non-numeric threshold).
std::optional<DiffThreshold> parse_threshold(const std::string& text);

/// One line of a diff: a total, component, role or payee. Amounts are exact
/// decimals in the plan currency (`12345.67`), change = after - before.
struct DiffLine {
  std::string name;
  std::string before;
  std::string after;
  std::string change;
  /// change / before in percent, one decimal (`25.0`); empty when before is 0.
  std::string percent;
  enum class Presence { both, added, removed };
  Presence presence = Presence::both;  ///< components: in the second (added) or first plan only
  std::string role;                    ///< payees: their roster role, or empty
};

struct PlanDiff {
  std::string currency;
  DiffLine total;
  std::vector<DiffLine> components;  ///< the first plan's, then those of the second only
  std::vector<DiffLine> roles;       ///< in roster order; "(no role)" for payees without one
  std::vector<DiffLine> payees;      ///< by absolute change, the largest first
  /// The payees whose change is more than the threshold (in `payees` order).
  std::vector<DiffLine> moved;
};

/// Compares the runs of two plans over the same data (same roster): pay
/// summed over every period of the runs. The plans give the components'
/// order and which plan declares each payout and draw.
PlanDiff diff_runs(const Plan& before_plan, const RunResult& before, const Plan& after_plan,
                   const RunResult& after, const DiffThreshold& threshold);

}  // namespace tally

#pragma GCC visibility pop
