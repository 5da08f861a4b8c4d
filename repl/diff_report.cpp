#include "repl/diff_report.hpp"

#include <algorithm>

namespace tally::cli {

namespace {

/// `+1234.50` for a positive change, as is otherwise.
std::string signed_amount(const std::string& amount) {
  if (amount.empty() || amount[0] == '-') return amount;
  bool zero =
      std::all_of(amount.begin(), amount.end(), [](char c) { return c == '0' || c == '.'; });
  return zero ? amount : "+" + amount;
}

std::string percent_cell(const DiffLine& line) {
  if (line.presence == DiffLine::Presence::added) return "added";
  if (line.presence == DiffLine::Presence::removed) return "removed";
  // before was 0: any change is new pay, no change stays 0.
  if (line.percent.empty())
    return line.change.find_first_not_of("0.-") == std::string::npos ? "0.0%" : "new";
  return signed_amount(line.percent) + "%";
}

/// Rows of cells; the first column left-aligned, the others right-aligned.
std::string table(const std::vector<std::vector<std::string>>& rows, std::size_t left_columns) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      // `…` and `—` are one column wide but three bytes.
      std::size_t shown = 0;
      for (unsigned char ch : row[c]) shown += (ch & 0xC0) != 0x80;
      width[c] = std::max(width[c], shown);
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line = " ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      std::size_t shown = 0;
      for (unsigned char ch : row[c]) shown += (ch & 0xC0) != 0x80;
      const std::string pad(width[c] - shown, ' ');
      line += " " + (c < left_columns ? row[c] + pad : pad + row[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::vector<std::string> cells(const DiffLine& line) {
  const bool added = line.presence == DiffLine::Presence::added;
  const bool removed = line.presence == DiffLine::Presence::removed;
  return {line.name, added ? "—" : line.before, removed ? "—" : line.after,
          signed_amount(line.change), percent_cell(line)};
}

std::string section(const std::string& title, const std::vector<DiffLine>& lines,
                    const std::string& name_column) {
  std::vector<std::vector<std::string>> rows = {{name_column, "before", "after", "change", "%"}};
  for (const DiffLine& line : lines) rows.push_back(cells(line));
  return title + "\n" + table(rows, 1);
}

std::string payee_section(const std::string& title, const std::vector<DiffLine>& lines,
                          std::size_t max) {
  std::vector<std::vector<std::string>> rows = {
      {"payee", "role", "before", "after", "change", "%"}};
  for (std::size_t i = 0; i < lines.size() && (max == 0 || i < max); ++i) {
    auto row = cells(lines[i]);
    row.insert(row.begin() + 1, lines[i].role.empty() ? "(no role)" : lines[i].role);
    rows.push_back(std::move(row));
  }
  return title + "\n" + table(rows, 2);
}

nlohmann::json line_json(const DiffLine& line, bool with_role) {
  nlohmann::json out;
  out["name"] = line.name;
  out["before"] = line.before;
  out["after"] = line.after;
  out["change"] = line.change;
  out["percent"] = line.percent.empty() ? nlohmann::json() : nlohmann::json(line.percent);
  out["presence"] = line.presence == DiffLine::Presence::added     ? "added"
                    : line.presence == DiffLine::Presence::removed ? "removed"
                                                                   : "both";
  if (with_role) out["role"] = line.role.empty() ? nlohmann::json() : nlohmann::json(line.role);
  return out;
}

nlohmann::json lines_json(const std::vector<DiffLine>& lines, bool with_role) {
  auto out = nlohmann::json::array();
  for (const DiffLine& line : lines) out.push_back(line_json(line, with_role));
  return out;
}

}  // namespace

std::string format_diff(const PlanDiff& diff, const DiffHeading& heading, std::size_t max_payees) {
  std::string out = "before: " + heading.before_file + "\nafter:  " + heading.after_file +
                    "\nperiods " + (heading.periods.empty() ? "(none)" : heading.periods) +
                    ", amounts in " + diff.currency + "\n\n";
  std::vector<std::vector<std::string>> total = {{"", "before", "after", "change", "%"},
                                                 cells(diff.total)};
  total[1][0] = "total cost";
  out += table(total, 1) + "\n";
  out += section("By component", diff.components, "component") + "\n";
  out += section("By role", diff.roles, "role") + "\n";
  const bool all = max_payees == 0 || diff.payees.size() <= max_payees;
  out +=
      payee_section(all ? "By payee, the largest change first"
                        : "By payee, the " + std::to_string(max_payees) + " largest changes of " +
                              std::to_string(diff.payees.size()) + " (--json lists all)",
                    diff.payees, max_payees) +
      "\n";
  const std::string count =
      std::to_string(diff.moved.size()) + (diff.moved.size() == 1 ? " payee" : " payees");
  out += "Moved by more than " + heading.threshold + ": " + count + "\n";
  if (!diff.moved.empty()) out += payee_section("", diff.moved, 0).substr(1);
  return out;
}

nlohmann::json diff_json(const PlanDiff& diff, const DiffHeading& heading) {
  nlohmann::json out;
  out["before"] = heading.before_file;
  out["after"] = heading.after_file;
  out["periods"] = heading.periods;
  out["currency"] = diff.currency;
  out["threshold"] = heading.threshold;
  out["total"] = line_json(diff.total, false);
  out["components"] = lines_json(diff.components, false);
  out["roles"] = lines_json(diff.roles, false);
  out["payees"] = lines_json(diff.payees, true);
  out["moved"] = {{"count", diff.moved.size()}, {"payees", lines_json(diff.moved, true)}};
  return out;
}

}  // namespace tally::cli
