// Reads what `tally report` needs from the engine: one run of the plan
// (payouts, measures, roster), the attainment per payee and period (a
// measure from the run, or a `let` through one Engine::explain_many), the
// plan's territories and its pipeline source (pipeline_data.hpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "repl/pipeline_data.hpp"
#include "repl/report_model.hpp"
#include "tally/tally.hpp"

namespace tally::cli {

struct ReportRequest {
  std::string attainment;  ///< --attainment; empty: `attainment` when declared
  std::string revenue;     ///< --revenue; empty: the first of kRevenueNames declared
  bool pipeline = true;    ///< false: no pipeline forecast (--no-pipeline)
  PipelineSpec pipeline_spec;
  std::string accounts;  ///< --accounts; empty: DATA/accounts.csv when it exists
  std::string products;  ///< --products; empty: DATA/products.csv when it exists
};

/// The measure names taken as revenue when --revenue is not given, in order.
inline const std::vector<std::string> kRevenueNames = {
    "revenue", "bookings", "won_value", "sales", "booked_value", "closed_won", "amount"};

struct GatherReportResult {
  bool ok = false;
  /// Errors (ok is false), warnings and notes for stderr.
  std::vector<Message> messages;
  /// true when the error is the user's flag (--attainment/--revenue naming
  /// nothing), so the command exits with the usage code.
  bool usage_error = false;
  ReportInput input;
  /// Wall time of each step (`run`, `attainment`, ...) in seconds.
  std::vector<std::pair<std::string, double>> timings;
};

GatherReportResult gather_report(const Engine& engine, const Plan& plan, const RunOptions& options,
                                 const ReportRequest& request);

}  // namespace tally::cli
