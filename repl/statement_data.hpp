// What the statements show, gathered from one run of the plan
// (Engine::run: payouts, credits, measures, the roster) and one
// Engine::explain_many over every payout of every statement (the tiers, the
// cap or floor that bound, the quota and the attainment; statement_tree.hpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "repl/statement_amount.hpp"
#include "repl/statement_tree.hpp"
#include "tally/tally.hpp"

namespace tally::cli {

/// One line of pay: a payout, or what the run adds over periods (a
/// clawback, a draw, a draw's recovery), each with its own amount.
struct PayLine {
  std::string component;
  std::string kind;  ///< "payout", "clawback", "draw", "recovery" or "adjustment"
  Amount amount;
  std::vector<PayoutLimit> limits;  ///< the payout's cap and floor (from its tree)
  bool not_applicable = false;      ///< its guard left it out (amount 0)
};

struct CreditLine {
  std::string transaction;
  std::string rule;
  std::string kind;   ///< direct, overlay, rollup, ...
  std::string share;  ///< `100%`
  Amount amount;
};

struct MeasureLine {
  std::string name;
  std::string value;  ///< exact, as the run prints it
  std::string type;   ///< the declared type: `money (USD)`, `int`, `percent`; may be empty
};

struct Statement {
  std::string payee;
  std::string period;
  std::string file;  ///< relative to the output folder: `ann/2026-Q1.html`
  std::vector<PayLine> lines;
  Amount total;
  std::optional<Attainment> attainment;
  std::vector<TierLadder> ladders;
  std::vector<MeasureLine> measures;
  std::vector<CreditLine> credits;  ///< the largest amount first
  /// Why part of the page could not be worked out (an explanation that failed).
  std::vector<std::string> notes;
};

struct StatementPayee {
  std::string id;
  std::string name;    ///< the roster's `name` field, or empty
  std::string role;    ///< the roster's `role` field, or empty
  std::string folder;  ///< its folder in the output, a safe file name
};

/// Every statement of a run, and what the index needs.
struct StatementBook {
  std::string plan_name;
  std::string currency;
  std::string generated;               ///< the date printed on each page, `2026-11-27`
  std::vector<std::string> periods;    ///< in calendar order
  std::vector<StatementPayee> payees;  ///< roster order
  /// payees × periods, payee-major: statements[p * periods.size() + q].
  std::vector<Statement> statements;
};

/// Which statements to build; empty lists mean all.
struct StatementFilter {
  std::vector<std::string> payees;
  /// Period labels or ranges `2026-Q1..2026-Q3` of the run's periods.
  std::vector<std::string> periods;
};

struct GatherResult {
  bool ok = false;
  std::vector<Message> messages;  ///< errors (and warnings) for stderr
  StatementBook book;
  /// Wall time of each step (`run`, `explain`, ...) in seconds, in order.
  std::vector<std::pair<std::string, double>> timings;
};

/// Runs the plan once, explains every payout of every chosen statement in
/// one explain_many, and reads it all into a StatementBook. `plan_name` and
/// `generated` are printed as given.
GatherResult gather_statements(const Engine& engine, const Plan& plan, const RunOptions& options,
                               const StatementFilter& filter, const std::string& plan_name,
                               const std::string& generated);

/// A file name for `id` that is safe on every system and distinct for
/// distinct ids: letters, digits, `-` and `_` are kept, every other byte is
/// written `~XX` (hex); a name already `taken` when letter case is ignored
/// gets `~~2`, `~~3`, ... Adds the name to `taken` (lower case).
std::string safe_file_name(const std::string& id, std::map<std::string, int>& taken);

}  // namespace tally::cli
