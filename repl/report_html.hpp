// The report as one self-contained HTML page: inline CSS and SVG only (no
// script, font, image or link to anything outside the file), every section
// visible at once so that the page prints whole.
#pragma once

#include <string>

#include "repl/report_model.hpp"

namespace tally::cli {

/// The page; `generated` is the date printed in its header (`2026-11-27`).
std::string report_html(const ReportModel& model, const std::string& generated);

}  // namespace tally::cli
