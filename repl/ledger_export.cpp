#include "repl/ledger_export.hpp"

#include <nlohmann/json.hpp>

namespace tally::cli {

namespace {

const char* kind_of(const ledger::PaidLine& row) {
  return row.origin_period == row.period ? "payout" : "adjustment";
}

}  // namespace

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string paid_rows_csv(const std::vector<ledger::PaidLine>& rows) {
  std::string out = "period,payee,component,kind,origin_period,amount,run_id,close_id\n";
  for (const auto& r : rows)
    out += csv_field(r.period) + "," + csv_field(r.payee) + "," + csv_field(r.component) + "," +
           kind_of(r) + "," + csv_field(r.origin_period) + "," + r.amount + "," +
           std::to_string(r.run_id) + "," + std::to_string(r.close_id) + "\n";
  return out;
}

std::string paid_rows_json(const std::vector<ledger::PaidLine>& rows) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& r : rows)
    out.push_back({{"period", r.period},
                   {"payee", r.payee},
                   {"component", r.component},
                   {"kind", kind_of(r)},
                   {"origin_period", r.origin_period},
                   {"amount", r.amount},
                   {"run_id", r.run_id},
                   {"close_id", r.close_id}});
  return out.dump(2) + "\n";
}

}  // namespace tally::cli
