// The text of an explain tree for people (tally/explain.hpp): a measure fed
// by thousands of credits would bury the derivation, so past a limit only
// the largest credits are listed and the rest summed, exactly.
#include <algorithm>

#include "interpreter/runtime/decimal.hpp"
#include "tally/explain.hpp"

namespace tally {

namespace {

bool is_credit(const ExplainNode& node) {
  return node.label.starts_with("credit ");
}

/// The number in a value printed with its unit (`1250.50 USD`, `3`).
std::optional<Decimal> number_of(const std::string& value) {
  return Decimal::parse(std::string_view(value).substr(0, value.find(' ')));
}

/// 1234567 as `1,234,567`.
std::string grouped(std::size_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

void render(const ExplainNode& node, std::size_t depth, std::size_t max_credits, std::string& out) {
  out += std::string(depth * 2, ' ') + node.label;
  if (!node.value.empty()) out += " = " + node.value;
  if (!node.note.empty()) out += "  (" + node.note + ")";
  out += "\n";
  const auto credits = static_cast<std::size_t>(
      std::count_if(node.children.begin(), node.children.end(), is_credit));
  if (max_credits == 0 || credits <= max_credits) {
    for (const ExplainNode& child : node.children) render(child, depth + 1, max_credits, out);
    return;
  }
  std::vector<const ExplainNode*> largest;
  for (const ExplainNode& child : node.children)
    if (is_credit(child)) largest.push_back(&child);
  std::stable_sort(largest.begin(), largest.end(), [](const ExplainNode* a, const ExplainNode* b) {
    const Decimal x = number_of(a->value).value_or(Decimal{}).abs();
    const Decimal y = number_of(b->value).value_or(Decimal{}).abs();
    return y < x;
  });
  bool listed = false;
  for (const ExplainNode& child : node.children) {
    if (!is_credit(child)) {
      render(child, depth + 1, max_credits, out);
      continue;
    }
    if (listed) continue;
    listed = true;
    for (std::size_t i = 0; i < max_credits; ++i) render(*largest[i], depth + 1, max_credits, out);
    Decimal rest;
    bool exact = true;
    for (std::size_t i = max_credits; i < largest.size(); ++i) {
      const auto n = number_of(largest[i]->value);
      exact = exact && n.has_value();
      if (n) rest = rest + *n;
    }
    const std::string& sample = largest.front()->value;
    const auto space = sample.find(' ');
    const std::string unit = space == std::string::npos ? "" : sample.substr(space);
    out += std::string((depth + 1) * 2, ' ') + "… and " + grouped(largest.size() - max_credits) +
           " more credits";
    if (exact) out += " totalling " + rest.to_string() + unit;
    out += "\n";
  }
}

}  // namespace

std::string render_explanation(const ExplainNode& root, std::size_t max_credits) {
  std::string out;
  render(root, 0, max_credits, out);
  return out;
}

}  // namespace tally
