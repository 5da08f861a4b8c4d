// The short report `tally run` prints after a successful run.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tally/tally.hpp"

namespace tally::cli {

/// Payees, periods, totals per period and per payee (the largest first, at
/// most `max_payees` of them), the total paid and the time taken.
std::string format_summary(const RunResult& result, const std::string& plan_path,
                           const std::string& out_dir, std::size_t max_payees = 10);

/// One line per stage (wall seconds, peak memory so far), then the total:
/// what `tally run --timings` prints to stderr.
std::string format_timings(const std::vector<RunSummary::Stage>& stages);

}  // namespace tally::cli
