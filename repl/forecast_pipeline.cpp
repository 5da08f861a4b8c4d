#include "repl/forecast_pipeline.hpp"

#include <algorithm>
#include <cmath>

#include "interpreter/runtime/calendar.hpp"
#include "stdlib/forecasting.hpp"

namespace tally::cli {
namespace {

std::string date_text(int day) {
  return format_date(Date{day});
}

// Why the history cannot weigh a pipeline, or "".
std::string missing_history(const PipelineHistory& history) {
  if (!history.win_rate)
    return "no deal closed before " + date_text(history.cutoff) + ": no win rate to learn";
  if (!history.average_won)
    return "no deal won before " + date_text(history.cutoff) + ": no deal size to learn";
  return "";
}

}  // namespace

PipelineHistory learn_pipeline(std::span<const Opportunity> deals, int cutoff) {
  PipelineHistory history;
  history.cutoff = cutoff;
  std::map<std::string, std::pair<double, int>> won_by_product;  // sum, count
  double won_sum = 0;
  int won_valued = 0;
  for (const Opportunity& deal : deals) {
    if (deal.outcome == Outcome::open || !deal.closed || *deal.closed >= cutoff) continue;
    if (deal.outcome == Outcome::lost) {
      ++history.lost;
      continue;
    }
    ++history.won;
    if (!deal.value) continue;
    won_sum += *deal.value;
    ++won_valued;
    auto& [sum, count] = won_by_product[deal.product];
    sum += *deal.value;
    ++count;
  }
  if (history.won + history.lost > 0) {
    history.win_rate = static_cast<double>(history.won) / (history.won + history.lost);
    for (const Opportunity& deal : deals)
      if (deal.outcome == Outcome::open) history.stage_win_rate[deal.stage] = *history.win_rate;
  }
  if (won_valued > 0) history.average_won = won_sum / won_valued;
  for (const auto& [product, sum_count] : won_by_product)
    if (!product.empty())
      history.average_won_by_product[product] = sum_count.first / sum_count.second;
  return history;
}

PipelineEstimate empty_pipeline(const PipelineHistory& history) {
  PipelineEstimate estimate;
  estimate.note = missing_history(history);
  estimate.ok = estimate.note.empty();
  if (estimate.ok) estimate.note = "no open pipeline on " + date_text(history.cutoff);
  return estimate;
}

std::map<std::string, PipelineEstimate> estimate_pipeline(std::span<const Opportunity> deals,
                                                          const PipelineHistory& history,
                                                          bool include_undated) {
  std::map<std::string, PipelineEstimate> estimates;
  std::map<std::string, double> variance;
  const std::string missing = missing_history(history);
  for (const Opportunity& deal : deals) {
    const bool opened_before = deal.opened ? *deal.opened < history.cutoff : include_undated;
    const bool closed_before =
        deal.outcome != Outcome::open && deal.closed.has_value() && *deal.closed < history.cutoff;
    // A closed deal without a close date cannot be placed in time: left out.
    const bool undated_close = deal.outcome != Outcome::open && !deal.closed.has_value();
    // A negative amount on an open deal is a return or a credit, not a deal to win.
    const bool credit_note = deal.outcome == Outcome::open && deal.value && *deal.value < 0;
    if (!opened_before || closed_before || undated_close || credit_note) continue;
    PipelineEstimate& estimate = estimates[deal.owner];
    ++estimate.deals;
    if (!missing.empty()) continue;
    double rate = *history.win_rate;
    double value = *history.average_won;
    if (deal.outcome == Outcome::open) {
      if (auto it = history.stage_win_rate.find(deal.stage); it != history.stage_win_rate.end())
        rate = it->second;
    }
    if (deal.outcome == Outcome::open && deal.value) {
      value = *deal.value;
    } else if (auto it = history.average_won_by_product.find(deal.product);
               it != history.average_won_by_product.end()) {
      value = it->second;
    }
    estimate.value += rate * value;
    estimate.unweighted += value;
    variance[deal.owner] += rate * (1 - rate) * value * value;
  }
  for (auto& [owner, estimate] : estimates) {
    if (!missing.empty()) {
      estimate.note = missing;
      continue;
    }
    estimate.ok = true;
    const double spread = analytics::interval_z * std::sqrt(variance[owner]);
    estimate.low = std::max(0.0, estimate.value - spread);
    estimate.high = estimate.value + spread;
  }
  return estimates;
}

}  // namespace tally::cli
