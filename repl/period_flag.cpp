#include "repl/period_flag.hpp"

namespace tally::cli {

std::optional<std::string> read_period_flag(const std::string& period, RunOptions& options) {
  if (period.empty()) return std::nullopt;
  const auto dots = period.find("..");
  if (dots == std::string::npos) {
    options.first_period = options.last_period = period;
    return std::nullopt;
  }
  const std::string first = period.substr(0, dots);
  const std::string last = period.substr(dots + 2);
  if ((first.empty() && last.empty()) || last.find("..") != std::string::npos)
    return "--period expects PERIOD or FIRST..LAST (e.g. 2026-Q1..2026-Q4), found \"" + period +
           "\"";
  if (!first.empty()) options.first_period = first;
  if (!last.empty()) options.last_period = last;
  return std::nullopt;
}

}  // namespace tally::cli
