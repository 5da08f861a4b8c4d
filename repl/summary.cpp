#include "repl/summary.hpp"

#include <algorithm>
#include <cstdio>

namespace tally::cli {

namespace {

/// 1234567.89 -> 1,234,567.89, so that totals read at a glance.
std::string grouped(const std::string& amount) {
  const bool negative = !amount.empty() && amount[0] == '-';
  const std::string body = negative ? amount.substr(1) : amount;
  const auto dot = body.find('.');
  const std::string whole = body.substr(0, dot);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  return (negative ? "-" : "") + out + (dot == std::string::npos ? "" : body.substr(dot));
}

void add_row(std::string& out, const std::string& label, const std::string& amount) {
  char line[256];
  std::snprintf(line, sizeof line, "  %-14s %18s\n", label.c_str(), grouped(amount).c_str());
  out += line;
}

}  // namespace

std::string format_summary(const RunResult& result, const std::string& plan_path,
                           const std::string& out_dir, std::size_t max_payees) {
  const RunSummary& s = result.summary;
  std::string out = plan_path + ": " + std::to_string(s.payees) + " payees, " +
                    std::to_string(s.periods) + " periods, " + std::to_string(s.rows_loaded) +
                    " transactions, " + std::to_string(s.credits) + " credits\n";
  if (!s.paid_by_period.empty()) {
    out += "\n  period         " +
           std::string(18 - std::min<std::size_t>(18, s.currency.size() + 7), ' ') + "paid (" +
           s.currency + ")\n";
    for (const auto& [period, amount] : s.paid_by_period) add_row(out, period, amount);
  }
  if (!s.paid_by_payee.empty()) {
    out += "\n  top payees     " +
           std::string(18 - std::min<std::size_t>(18, s.currency.size() + 7), ' ') + "paid (" +
           s.currency + ")\n";
    for (std::size_t i = 0; i < s.paid_by_payee.size() && i < max_payees; ++i)
      add_row(out, s.paid_by_payee[i].first, s.paid_by_payee[i].second);
    if (s.paid_by_payee.size() > max_payees)
      out += "  ... and " + std::to_string(s.paid_by_payee.size() - max_payees) + " more\n";
  }
  char line[256];
  std::snprintf(line, sizeof line, "\nTotal paid: %s %s (%.3f s)\n", grouped(s.total_paid).c_str(),
                s.currency.c_str(), s.seconds);
  out += line;
  if (!s.rejected.empty()) {
    std::size_t rejected = 0;
    std::string kinds;
    for (const auto& [kind, count] : s.rejected) {
      rejected += count;
      kinds += (kinds.empty() ? "" : ", ") + kind + " " + std::to_string(count);
    }
    out += "Rejected: " + std::to_string(rejected) + " (" + kinds + ")\n";
  }
  if (!out_dir.empty()) {
    std::vector<std::string> files = {"payouts.csv"};
    if (!result.credits.columns.empty()) files.push_back("credits.csv");
    if (!result.measures.columns.empty()) files.push_back("measures.csv");
    if (!result.rejects.columns.empty()) files.push_back("rejects.csv");
    out += "Wrote ";
    for (std::size_t i = 0; i < files.size(); ++i)
      out += (i == 0 ? "" : i + 1 == files.size() ? " and " : ", ") + files[i];
    out += " to " + out_dir + "\n";
  }
  return out;
}

std::string format_timings(const std::vector<RunSummary::Stage>& stages) {
  double total = 0;
  double peak = 0;
  std::size_t width = 5;
  for (const auto& stage : stages) {
    total += stage.seconds;
    peak = std::max(peak, stage.peak_mb);
    width = std::max(width, stage.name.size());
  }
  char line[256];
  std::snprintf(line, sizeof line, "timings:\n  %-*s %9s %9s\n", static_cast<int>(width), "stage",
                "seconds", "peak MB");
  std::string out = line;
  auto add = [&](const std::string& name, double seconds, double peak_mb) {
    std::snprintf(line, sizeof line, "  %-*s %9.4f %9.0f\n", static_cast<int>(width), name.c_str(),
                  seconds, peak_mb);
    out += line;
  };
  for (const auto& stage : stages) add(stage.name, stage.seconds, stage.peak_mb);
  add("total", total, peak);
  return out;
}

}  // namespace tally::cli
