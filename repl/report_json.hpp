// The report's figures as JSON for BI tools (report.json, schema in
// docs/report.md): exact amounts as strings, estimates as strings with a
// fixed number of decimals, a missing figure as null with a note.
#pragma once

#include <string>

#include "repl/report_model.hpp"

namespace tally::cli {

/// The document, indented by 2, ending with a newline.
std::string report_json(const ReportModel& model, const std::string& generated);

}  // namespace tally::cli
