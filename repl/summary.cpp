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

/// A table of text columns: the first left-aligned, amounts (the last)
/// right-aligned, each as wide as its widest cell, indented by two spaces.
class Columns {
 public:
  explicit Columns(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  /// `first` and `last`: the least widths of the first and last columns, so
  /// that several tables line up.
  std::string text(std::size_t first = 0, std::size_t last = 0) const {
    std::vector<std::size_t> width(rows_[0].size(), 0);
    width.front() = first;
    width.back() = last;
    for (const auto& row : rows_)
      for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    std::string out;
    for (const auto& row : rows_) {
      std::string line;
      for (std::size_t c = 0; c < row.size(); ++c) {
        const std::string pad(width[c] - row[c].size(), ' ');
        line += c == 0 ? "  " : "   ";
        line += c + 1 == row.size() && c > 0 ? pad + row[c] : row[c] + pad;
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
    return out;
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

/// The roster field `field` of payee `id`, or empty.
std::string roster_field(const ResultTable& payees, const std::string& id,
                         const std::string& field) {
  const auto column = std::find(payees.columns.begin(), payees.columns.end(), field);
  if (column == payees.columns.end() || payees.columns.empty()) return {};
  const auto at = static_cast<std::size_t>(column - payees.columns.begin());
  for (const auto& row : payees.rows)
    if (!row.empty() && row[0] == id) return row[at];
  return {};
}

bool has_column(const ResultTable& table, const std::string& name) {
  return std::find(table.columns.begin(), table.columns.end(), name) != table.columns.end();
}

/// "a, b and c".
std::string listed(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  return out;
}

/// The files (or, for sqlite, the tables) a run wrote, for the last line.
std::string written(const RunResult& result, const SummaryOptions& options) {
  std::vector<std::string> tables = {"payouts"};
  if (!result.credits.columns.empty()) tables.push_back("credits");
  if (!result.measures.columns.empty()) tables.push_back("measures");
  if (!result.rejects.columns.empty()) tables.push_back("rejects");
  if (options.format == "sqlite") {
    tables.push_back("runs");
    return "Wrote tally.sqlite (tables " + listed(tables) + ") to " + options.out_dir + "\n";
  }
  std::vector<std::string> files;
  for (const auto& table : tables) files.push_back(table + "." + options.format);
  if (options.format == "json") files.push_back("run.json");
  return "Wrote " + listed(files) + " to " + options.out_dir + "\n";
}

/// One warning on one line, `deals.csv:3: text` cut at 100 characters (the
/// whole message, with the file's path, is on stderr).
std::string warning_line(const Message& m) {
  const std::string file = m.file.substr(m.file.find_last_of('/') + 1);
  std::string line = file.empty() ? "" : file + (m.line ? ":" + std::to_string(m.line) : "");
  line += (line.empty() ? "" : ": ") + m.text;
  if (line.size() > 100) line = line.substr(0, 97) + "...";
  return line;
}

}  // namespace

std::string format_summary(const RunResult& result, const std::string& plan_path,
                           const SummaryOptions& options) {
  const RunSummary& s = result.summary;
  const std::string paid = "paid (" + s.currency + ")";
  const std::size_t roster = result.payees.rows.size();
  std::string out = plan_path + ": " + std::to_string(s.payees) +
                    (roster > s.payees ? " of " + std::to_string(roster) : "") + " payees, " +
                    std::to_string(s.periods) + " periods, " + std::to_string(s.rows_loaded) +
                    " transactions, " + std::to_string(s.credits) + " credits\n";
  // Periods and components share their column widths, so their amounts line up.
  std::size_t label = std::string("component").size();
  std::size_t amounts = paid.size();
  for (const auto* rows : {&s.paid_by_period, &s.paid_by_component})
    for (const auto& [name, amount] : *rows) {
      label = std::max(label, name.size());
      amounts = std::max(amounts, grouped(amount).size());
    }
  if (!s.paid_by_period.empty()) {
    Columns table({"period", paid});
    for (const auto& [period, amount] : s.paid_by_period) table.add({period, grouped(amount)});
    out += "\n" + table.text(label, amounts);
  }
  if (!s.paid_by_component.empty()) {
    Columns table({"component", paid});
    for (const auto& [component, amount] : s.paid_by_component)
      table.add({component, grouped(amount)});
    out += "\n" + table.text(label, amounts);
  }
  if (!s.paid_by_payee.empty()) {
    const bool names = has_column(result.payees, "name");
    const bool roles = has_column(result.payees, "role");
    std::vector<std::string> header = {"top earners"};
    if (names) header.push_back("name");
    if (roles) header.push_back("role");
    header.push_back(paid);
    Columns table(header);
    for (std::size_t i = 0; i < s.paid_by_payee.size() && i < options.max_payees; ++i) {
      const auto& [payee, amount] = s.paid_by_payee[i];
      std::vector<std::string> row = {payee};
      if (names) row.push_back(roster_field(result.payees, payee, "name"));
      if (roles) row.push_back(roster_field(result.payees, payee, "role"));
      row.push_back(grouped(amount));
      table.add(std::move(row));
    }
    out += "\n" + table.text(0, amounts);
    if (s.paid_by_payee.size() > options.max_payees)
      out += "  ... and " + std::to_string(s.paid_by_payee.size() - options.max_payees) + " more\n";
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
  std::vector<const Message*> warnings;
  for (const auto& m : result.messages)
    if (m.severity == Message::Severity::warning) warnings.push_back(&m);
  if (!warnings.empty()) {
    out += "Warnings: " + std::to_string(warnings.size());
    if (!result.rejects.columns.empty())
      out += options.out_dir.empty() ? " (with --out, the rows left out are listed in rejects)"
             : options.format == "sqlite"
                 ? " (the rows left out are in table rejects of tally.sqlite)"
                 : " (the rows left out are listed in rejects." + options.format + ")";
    out += "\n";
    for (std::size_t i = 0; i < warnings.size() && i < options.max_warnings; ++i)
      out += "  " + warning_line(*warnings[i]) + "\n";
    if (warnings.size() > options.max_warnings)
      out += "  ... and " + std::to_string(warnings.size() - options.max_warnings) +
             " more (on stderr)\n";
  }
  if (!options.out_dir.empty()) out += written(result, options);
  return out;
}

std::string format_summary(const RunResult& result, const std::string& plan_path,
                           const std::string& out_dir, std::size_t max_payees) {
  SummaryOptions options;
  options.out_dir = out_dir;
  options.max_payees = max_payees;
  return format_summary(result, plan_path, options);
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
