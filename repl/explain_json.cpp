#include "repl/explain_json.hpp"

#include <cctype>
#include <string_view>

namespace tally::cli {

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

json explain_json(const ExplainNode& node) {
  json out;
  out["label"] = node.label;
  out["value"] = node.value;
  out["note"] = node.note;
  out["step"] = step_of(node);
  split_value(node.value, out);
  if (out["step"] == "credit") out["credit"] = credit_fields(node);
  out["children"] = json::array();
  for (const ExplainNode& child : node.children) out["children"].push_back(explain_json(child));
  return out;
}

}  // namespace tally::cli
