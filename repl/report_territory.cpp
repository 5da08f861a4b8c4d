#include "repl/report_territory.hpp"

#include <map>

namespace tally::cli {

TerritoryFiguresResult figures_of(const TerritoryReport& report) {
  TerritoryFiguresResult out;
  if (!report.ok) {
    out.note =
        "The territories' figures could not be read: " +
        (report.messages.empty() ? std::string("no reason given") : report.messages.front().text);
    return out;
  }
  if (report.amount_field < 0) {
    out.note = "The territories' bookings are unknown: no credit rule credits a field of " +
               (report.source.empty() ? std::string("the source") : report.source) + ".";
    return out;
  }
  std::vector<TerritoryFigures> figures;
  std::map<std::string, std::size_t> index;
  for (const auto& t : report.territories) {
    index[t.name] = figures.size();
    figures.push_back({t.name, 0, Amount{}, false});
  }
  const std::string none = "(no territory)";
  const auto field = static_cast<std::size_t>(report.amount_field);
  for (const auto& row : report.rows) {
    const std::string name = row.winner.empty() ? none : row.winner;
    auto it = index.find(name);
    if (it == index.end()) {
      it = index.emplace(name, figures.size()).first;
      figures.push_back({name, 0, Amount{}, name == none});
    }
    TerritoryFigures& f = figures[it->second];
    ++f.transactions;
    if (row.credited && field < row.cells.size())
      if (const auto amount = Amount::parse(row.cells[field])) f.bookings += *amount;
  }
  out.figures = std::move(figures);
  return out;
}

TerritoryFiguresResult territory_figures(const Plan& plan, const RunOptions& options) {
  return figures_of(territory_report(plan, options));
}

}  // namespace tally::cli
