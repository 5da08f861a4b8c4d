// The pipeline method of `tally forecast`: what a period will book from the
// deals open at a cut-off date, each weighted by the win rate of its stage
// and valued at its own amount or at the average won deal of its product,
// all learned only from deals closed before the cut-off (docs/analytics.md,
// "The pipeline method").
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>

#include "repl/pipeline_data.hpp"

namespace tally::cli {

/// What the deals closed before `cutoff` teach.
struct PipelineHistory {
  int cutoff = 0;  ///< days since 1970-01-01: deals closed on or after it are not seen
  int won = 0;
  int lost = 0;
  /// won / (won + lost); nullopt when no deal closed before the cut-off.
  std::optional<double> win_rate;
  /// Per open stage (the stages of the deals still open in the data). The
  /// data records a deal's current stage only, not the stages it passed
  /// through, so a closed deal counts as having been in every open stage:
  /// each stage's rate is won / (won + lost) of all deals closed before the
  /// cut-off. Kept per stage so that data with a stage history can refine it.
  std::map<std::string, double> stage_win_rate;
  /// The average value of the deals won before the cut-off, per product and
  /// over all; nullopt when none was won.
  std::map<std::string, double> average_won_by_product;
  std::optional<double> average_won;
};

PipelineHistory learn_pipeline(std::span<const Opportunity> deals, int cutoff);

/// One owner's open pipeline at the cut-off, weighted.
struct PipelineEstimate {
  bool ok = false;        ///< false: nothing learned to weigh with (see note)
  double value = 0;       ///< sum of win rate x expected value over the open deals
  double low = 0;         ///< value -/+ z x sd, each deal won or not independently:
  double high = 0;        ///< var = sum of p (1 - p) v^2; low is at least 0
  int deals = 0;          ///< open deals counted
  double unweighted = 0;  ///< sum of their expected values
  std::string note;
};

/// The deals open at `history.cutoff` per owner: opened before it (a deal
/// without an open date only when `include_undated`, i.e. when the cut-off
/// is after the data) and not closed before it. A deal still open in the
/// data is weighted by its stage's rate and valued at its own value when it
/// has one; a deal that closed on or after the cut-off was open then, but its
/// stage and amount at the time are not known (its recorded value is the
/// outcome: look-ahead), so it gets the overall rate and its product's
/// average. An open deal with a negative value (a return) is left out.
/// Owners with no open deal are absent.
std::map<std::string, PipelineEstimate> estimate_pipeline(std::span<const Opportunity> deals,
                                                          const PipelineHistory& history,
                                                          bool include_undated);

/// The estimate for an owner absent from estimate_pipeline's map: 0 with a
/// note, or not ok when the history teaches nothing.
PipelineEstimate empty_pipeline(const PipelineHistory& history);

}  // namespace tally::cli
