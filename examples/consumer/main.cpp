// A host program using Tally's C++ API from the installed package.
//
//   payouts_cpp PLAN DATA_DIR     e.g. plans/demo.tally plans/data/demo
//
// Compiles PLAN and runs it. The roster (`payees`) is read by Tally from
// DATA_DIR; the deals are the host's own data: read here into typed
// std::vectors (as they would come from the host's database) and handed to
// the engine as a tally::ColumnTable, without text in between. Prints the
// payouts, the exact total, then the whole result as one line of JSON.
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "tally/json.hpp"
#include "tally/tally.hpp"

namespace {

// The deals as a host holds them: one vector per field.
struct Deals {
  std::vector<std::string> id, owner, se, segment, type, stage;
  std::vector<std::int32_t> close_day;  // days since 1970-01-01
  std::vector<std::int64_t> cents;      // amounts at scale 2
};

std::int32_t days_since_epoch(const std::string& iso_date) {  // "2026-03-15"
  const std::chrono::year_month_day date{
      std::chrono::year{std::stoi(iso_date.substr(0, 4))},
      std::chrono::month{unsigned(std::stoi(iso_date.substr(5, 2)))},
      std::chrono::day{unsigned(std::stoi(iso_date.substr(8, 2)))}};
  return std::chrono::sys_days{date}.time_since_epoch().count();
}

std::int64_t cents_of(const std::string& amount) {  // "17258.04", "90000", "12.5"
  const auto dot = amount.find('.');
  std::string fraction = dot == std::string::npos ? "" : amount.substr(dot + 1);
  fraction.resize(2, '0');
  return std::stoll(amount.substr(0, dot)) * 100 + std::stoll(fraction);
}

// The demo's deals.csv: a header, then plain comma-separated cells (no quotes).
bool read_deals(const std::string& path, Deals& deals) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return false;  // the header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    if (cells.size() != 8) return false;
    deals.id.push_back(cells[0]);
    deals.close_day.push_back(days_since_epoch(cells[1]));
    deals.owner.push_back(cells[2]);
    deals.se.push_back(cells[3]);
    deals.segment.push_back(cells[4]);
    deals.type.push_back(cells[5]);
    deals.stage.push_back(cells[6]);
    deals.cents.push_back(cents_of(cells[7]));
  }
  return true;
}

// Text columns are spans of string_views; the views point into `deals`,
// which must outlive the run.
std::vector<std::string_view> views(const std::vector<std::string>& texts) {
  return {texts.begin(), texts.end()};
}

void print_messages(const std::vector<tally::Message>& messages) {
  for (const auto& message : messages) std::cerr << message.rendered << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: payouts_cpp PLAN DATA_DIR\n";
    return 2;
  }
  const std::string plan_path = argv[1], data_dir = argv[2];

  tally::Engine engine;
  const tally::CompileResult compiled = engine.compile_file(plan_path);
  print_messages(compiled.messages);  // warnings, or the errors
  if (!compiled.plan) return 1;

  Deals deals;
  if (!read_deals(data_dir + "/deals.csv", deals)) {
    std::cerr << "cannot read " << data_dir << "/deals.csv\n";
    return 1;
  }
  const auto id = views(deals.id), owner = views(deals.owner), se = views(deals.se),
             segment = views(deals.segment), type = views(deals.type), stage = views(deals.stage);

  tally::RunOptions options;
  options.data_dir = data_dir;  // the roster, payees.csv
  options.columns["deals"] = tally::ColumnTable{
      {tally::ColumnData::texts("id", id), tally::ColumnData::dates("close_date", deals.close_day),
       tally::ColumnData::texts("owner", owner), tally::ColumnData::texts("se", se),
       tally::ColumnData::texts("segment", segment), tally::ColumnData::texts("type", type),
       tally::ColumnData::texts("stage", stage),
       tally::ColumnData::decimals("amount", deals.cents, 2)},
      "host deals"};

  const tally::RunResult result = engine.run(*compiled.plan, options);
  print_messages(result.messages);
  if (!result.ok) {
    std::cerr << "run ended: " << tally::status_name(result.status) << "\n";
    return 1;
  }

  std::cout << engine.plan_name(*compiled.plan) << ": " << result.payouts.rows.size()
            << " payouts\n";
  for (const auto& row : result.payouts.rows) {  // payee, period, component, amount
    std::cout << std::left << std::setw(8) << row[0] << std::setw(10) << row[1] << std::setw(18)
              << row[2] << std::right << std::setw(12) << row[3] << "\n";
  }
  std::cout << "total " << result.summary.total_paid << " " << result.summary.currency << "\n";
  std::cout << "json " << tally::to_json(result).dump() << "\n";
  return 0;
}
