// `--period` as every command that runs a plan reads it.
#pragma once

#include <optional>
#include <string>

#include "tally/tally.hpp"

namespace tally::cli {

/// Sets options' first and last period from `--period`: `P`, `A..B`, `A..`
/// (from A on) or `..B` (up to B); nothing when `period` is empty. The
/// labels themselves are checked by the run against the plan's calendar.
/// Returns the usage error's text when the flag is malformed.
std::optional<std::string> read_period_flag(const std::string& period, RunOptions& options);

}  // namespace tally::cli
