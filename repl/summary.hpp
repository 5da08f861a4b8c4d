// The report `tally run` prints after a successful run.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tally/tally.hpp"

namespace tally::cli {

/// What the summary says about where the results went, and how much it lists.
struct SummaryOptions {
  std::string out_dir;         ///< empty: nothing was written
  std::string format = "csv";  ///< csv, json or sqlite: names the files written
  std::size_t max_payees = 10;
  std::size_t max_warnings = 3;
};

/// Payees, periods, transactions and credits; the totals per period, per
/// payout component (plan order) and for the top earners (the largest
/// first, with their name and role when the roster has them); the total
/// paid and the time taken; the rejects and warnings; the files written.
/// Amounts are grouped by thousands and aligned on the right.
std::string format_summary(const RunResult& result, const std::string& plan_path,
                           const SummaryOptions& options);

/// The same, for csv files written to `out_dir` (empty: none).
std::string format_summary(const RunResult& result, const std::string& plan_path,
                           const std::string& out_dir, std::size_t max_payees = 10);

/// One line per stage (wall seconds, peak memory so far), then the total:
/// what `tally run --timings` prints to stderr.
std::string format_timings(const std::vector<RunSummary::Stage>& stages);

}  // namespace tally::cli
