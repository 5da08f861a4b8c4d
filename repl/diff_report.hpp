// How `tally diff` prints a PlanDiff: aligned tables for people, or JSON
// for other tools (docs: `tally diff` in docs/cli.md).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "tally/plan_diff.hpp"

namespace tally::cli {

/// What the report says about the comparison besides the figures.
struct DiffHeading {
  std::string before_file;
  std::string after_file;
  std::string periods;    ///< `2026-Q1..2026-Q4`, from the runs
  std::string threshold;  ///< as given: `10%` or `500`
};

/// The text report; at most `max_payees` payees in the per-payee table
/// (0: all). Every payee that moved past the threshold is listed.
std::string format_diff(const PlanDiff& diff, const DiffHeading& heading, std::size_t max_payees);

/// The whole diff as JSON, every payee included.
nlohmann::json diff_json(const PlanDiff& diff, const DiffHeading& heading);

}  // namespace tally::cli
