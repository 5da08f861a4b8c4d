// include/tally/json.hpp: results, messages and explain trees as JSON.
#include <cctype>
#include <string_view>

#include "tally/json.hpp"

namespace tally {

namespace {

using nlohmann::json;

/// `7400.00 USD` → ("7400.00", "USD"); `8%` → ("8", "%"); `true` → none.
bool split_value(const std::string& value, json& out) {
  if (value.empty()) return false;
  std::size_t end = value[0] == '-' ? 1 : 0;
  const std::size_t digits = end;
  while (end < value.size() && (std::isdigit(static_cast<unsigned char>(value[end])) ||
                                (value[end] == '.' && end > digits)))
    ++end;
  if (end == digits) return false;
  std::string unit = value.substr(end);
  if (!unit.empty() && unit[0] == ' ') unit.erase(0, 1);
  if (!unit.empty() && unit != "%" && unit.find(' ') != std::string::npos) return false;
  if (!unit.empty() && unit != "%" && !std::isupper(static_cast<unsigned char>(unit[0])))
    return false;
  out["number"] = value.substr(0, end);
  if (!unit.empty()) out["unit"] = unit;
  return true;
}

/// `rule won, direct, share 100%, amount 100000.00 USD`.
json credit_fields(const ExplainNode& node) {
  json credit;
  credit["transaction"] = node.label.substr(std::string_view("credit ").size());
  std::string_view note = node.note;
  std::vector<std::string> parts;
  while (!note.empty()) {
    const auto comma = note.find(", ");
    parts.emplace_back(note.substr(0, comma));
    note = comma == std::string_view::npos ? std::string_view() : note.substr(comma + 2);
  }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (part.starts_with("rule "))
      credit["rule"] = part.substr(5);
    else if (part.starts_with("share "))
      credit["share"] = part.substr(6);
    else if (part.starts_with("amount "))
      credit["amount"] = part.substr(7);
    else if (i == 1)
      credit["kind"] = part;
  }
  credit["value"] = node.value;  // what the credit adds to the measure
  return credit;
}

/// What the step is, from how explain labels and notes it.
std::string step_of(const ExplainNode& node) {
  const std::string& label = node.label;
  const std::string& note = node.note;
  if (label.starts_with("pay(")) return "pay";
  if (label.starts_with("credit ")) return "credit";
  if (label.starts_with("tier ")) return "tier";
  if (label.starts_with("cap ")) return "cap";
  if (label.starts_with("floor ")) return "floor";
  if (label.starts_with("rounded ")) return "rounding";
  if (label == "paid after what carries over periods") return "carried";
  if (note.starts_with("payout")) return "payout";
  if (note.starts_with("measure")) return "measure";
  if (note.starts_with("let")) return "let";
  if (note == "constant") return "constant";
  if (note.starts_with("table ")) return "table";
  if (note == "roster") return "roster";
  if (note == "draw" || note.starts_with("recovery of draw") || note.starts_with("clawback of"))
    return "adjustment";
  if (note.starts_with("for role")) return "role guard";
  if (note.starts_with("when")) return "condition";
  if (note == "not evaluated") return "not evaluated";
  return "expression";
}

}  // namespace

json to_json(const ExplainNode& node) {
  json out;
  out["label"] = node.label;
  out["value"] = node.value;
  out["note"] = node.note;
  out["step"] = step_of(node);
  split_value(node.value, out);
  if (out["step"] == "credit") out["credit"] = credit_fields(node);
  out["children"] = json::array();
  for (const ExplainNode& child : node.children) out["children"].push_back(to_json(child));
  return out;
}

json to_json(const Message& message) {
  const char* severity = message.severity == Message::Severity::error     ? "error"
                         : message.severity == Message::Severity::warning ? "warning"
                                                                          : "note";
  return json{{"severity", severity},        {"file", message.file}, {"line", message.line},
              {"column", message.column},    {"text", message.text}, {"hint", message.hint},
              {"rendered", message.rendered}};
}

json to_json(const std::vector<Message>& messages) {
  json out = json::array();
  for (const Message& m : messages) out.push_back(to_json(m));
  return out;
}

json to_json(const ResultTable& table) {
  return json{{"columns", table.columns}, {"rows", table.rows}};
}

namespace {

json pairs_json(const std::vector<std::pair<std::string, std::string>>& pairs) {
  json out = json::array();
  for (const auto& [label, amount] : pairs) out.push_back(json::array({label, amount}));
  return out;
}

}  // namespace

json to_json(const RunResult& result) {
  const RunSummary& s = result.summary;
  json summary{{"payees", s.payees},
               {"periods", s.periods},
               {"rows_loaded", s.rows_loaded},
               {"credits", s.credits},
               {"total_paid", s.total_paid},
               {"currency", s.currency},
               {"paid_by_period", pairs_json(s.paid_by_period)},
               {"paid_by_payee", pairs_json(s.paid_by_payee)},
               {"paid_by_component", pairs_json(s.paid_by_component)},
               {"seconds", s.seconds}};
  json stages = json::array();
  for (const auto& stage : s.stages)
    stages.push_back(
        {{"name", stage.name}, {"seconds", stage.seconds}, {"peak_mb", stage.peak_mb}});
  summary["stages"] = std::move(stages);
  json rejected = json::object();
  for (const auto& [kind, count] : s.rejected) rejected[kind] = count;
  summary["rejected"] = std::move(rejected);
  json inputs = json::array();
  for (const auto& [source, path] : s.inputs)
    inputs.push_back({{"source", source}, {"path", path}});
  summary["inputs"] = std::move(inputs);
  json out{{"ok", result.ok},
           {"status", status_name(result.status)},
           {"messages", to_json(result.messages)},
           {"summary", std::move(summary)}};
  // A table the run did not build (no columns) is left out.
  const std::pair<const char*, const ResultTable*> tables[] = {{"payouts", &result.payouts},
                                                               {"credits", &result.credits},
                                                               {"measures", &result.measures},
                                                               {"rejects", &result.rejects},
                                                               {"payees", &result.payees}};
  for (const auto& [name, table] : tables)
    if (!table->columns.empty()) out[name] = to_json(*table);
  return out;
}

json to_json(const Explanation& explanation) {
  json out{{"ok", explanation.ok}, {"messages", to_json(explanation.messages)}};
  out["tree"] = explanation.ok ? to_json(explanation.root) : json();
  out["text"] = explanation.text;
  return out;
}

}  // namespace tally
