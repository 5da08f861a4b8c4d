// The figures of the report's territory balance, from the library's
// territory_report (include/tally/territories.hpp): per territory, the
// transactions resolution gives it and the bookings of those credited.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "repl/report_model.hpp"
#include "tally/tally.hpp"
#include "tally/territories.hpp"

namespace tally::cli {

struct TerritoryFiguresResult {
  std::optional<std::vector<TerritoryFigures>> figures;
  std::string note;  ///< why there are none
};

/// Per territory (declared order): the rows whose winner it is, and the sum
/// of the credited amount field over those a credit rule credits. Rows in
/// no territory are counted under "(no territory)" when there are any.
TerritoryFiguresResult figures_of(const TerritoryReport& report);

/// Runs territory_report over the plan and the run's data.
TerritoryFiguresResult territory_figures(const Plan& plan, const RunOptions& options);

}  // namespace tally::cli
