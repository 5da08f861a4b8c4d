#include "repl/statement_tree.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace tally::cli {

namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::string trim(const std::string& text) {
  std::size_t b = 0;
  std::size_t e = text.size();
  while (b < e && text[b] == ' ') ++b;
  while (e > b && text[e - 1] == ' ') --e;
  return text.substr(b, e - b);
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

/// Where `op` occurs outside parentheses, brackets and strings; npos if nowhere.
std::size_t find_top_level(const std::string& text, const std::string& op) {
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
      continue;
    }
    if (c == '"')
      quoted = true;
    else if (c == '(' || c == '[' || c == '{')
      ++depth;
    else if (c == ')' || c == ']' || c == '}')
      --depth;
    else if (depth == 0 && text.compare(i, op.size(), op) == 0)
      return i;
  }
  return std::string::npos;
}

const ExplainNode* child_labelled(const ExplainNode& node, const std::string& label) {
  for (const auto& child : node.children)
    if (child.label == label) return &child;
  return nullptr;
}

template <typename Visit>
void walk(const ExplainNode& node, Visit&& visit) {
  std::vector<const ExplainNode*> stack{&node};
  while (!stack.empty()) {
    const ExplainNode* n = stack.back();
    stack.pop_back();
    visit(*n);
    for (auto it = n->children.rbegin(); it != n->children.rend(); ++it) stack.push_back(&*it);
  }
}

std::optional<double> ratio_percent(const std::string& achieved, const std::string& quota) {
  const auto a = parse_number(achieved);
  const auto q = parse_number(quota);
  if (!a || !q || q->number == 0) return std::nullopt;
  return a->number / q->number * 100;
}

/// In `A - Q`, `A / Q`, `A >= Q` (...), where `parent` is that expression
/// and Q its child labelled `quota`: A's node, when it is a number in Q's unit.
const ExplainNode* against_quota(const ExplainNode& parent, const std::string& quota) {
  for (const char* op : {" - ", " / ", " >= ", " > ", " <= ", " < "}) {
    const std::size_t at = find_top_level(parent.label, op);
    if (at == std::string::npos) continue;
    if (trim(parent.label.substr(at + std::string(op).size())) != quota) return nullptr;
    const ExplainNode* a = child_labelled(parent, trim(parent.label.substr(0, at)));
    const ExplainNode* q = child_labelled(parent, quota);
    const auto av = a ? parse_number(a->value) : std::nullopt;
    const auto qv = q ? parse_number(q->value) : std::nullopt;
    return av && qv && av->unit == qv->unit ? a : nullptr;
  }
  return nullptr;
}

/// The label of the node whose child is `child`.
std::string node_label_of(const std::vector<const ExplainNode*>& roots, const ExplainNode* child) {
  std::string label;
  for (const ExplainNode* root : roots)
    walk(*root, [&](const ExplainNode& node) {
      for (const auto& c : node.children)
        if (&c == child) label = node.label;
    });
  return label;
}

}  // namespace

std::optional<std::vector<std::string>> call_arguments(const std::string& text) {
  const std::string name = leading_name(text);
  if (name.empty() || text.size() < name.size() + 2 || text[name.size()] != '(' ||
      text.back() != ')')
    return std::nullopt;
  const std::string inside = text.substr(name.size() + 1, text.size() - name.size() - 2);
  // the closing parenthesis must be the call's own: `f(a) + g(b)` is no call
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < inside.size(); ++i) {
    const char c = inside[i];
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth < 0) {
      return std::nullopt;
    }
  }
  std::vector<std::string> args;
  std::string rest = inside;
  for (;;) {
    const std::size_t comma = find_top_level(rest, ",");
    args.push_back(trim(rest.substr(0, comma)));
    if (comma == std::string::npos) break;
    rest = rest.substr(comma + 1);
  }
  if (args.size() == 1 && args[0].empty()) args.clear();
  return args;
}

std::string leading_name(const std::string& label) {
  std::size_t end = 0;
  while (end < label.size() && is_name_char(label[end])) ++end;
  if (end == 0 || std::isdigit(static_cast<unsigned char>(label[0]))) return {};
  return label.substr(0, end);
}

std::optional<NumberWithUnit> parse_number(const std::string& value) {
  const std::string text = trim(value);
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  const std::size_t digits_start = i;
  bool point = false;
  while (i < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[i])) || (text[i] == '.' && !point))) {
    point = point || text[i] == '.';
    ++i;
  }
  if (i == digits_start) return std::nullopt;
  NumberWithUnit out;
  out.digits = text.substr(0, i);
  out.number = std::strtod(out.digits.c_str(), nullptr);
  std::string unit = trim(text.substr(i));
  if (!unit.empty() && unit != "%" &&
      !std::all_of(unit.begin(), unit.end(), [](char c) { return std::isalpha(c) != 0; }))
    return std::nullopt;
  out.unit = unit;
  return out;
}

std::optional<ApplyCall> parse_apply(const std::string& label) {
  if (leading_name(label) != "apply") return std::nullopt;
  const auto args = call_arguments(label);
  if (!args || args->size() < 2) return std::nullopt;
  ApplyCall call;
  call.rates = (*args)[0];
  call.applied = (*args)[1];
  for (std::size_t i = 2; i < args->size(); ++i) {
    const std::string& arg = (*args)[i];
    const std::size_t colon = arg.find(':');
    if (colon != std::string::npos && trim(arg.substr(0, colon)) == "base")
      call.base = trim(arg.substr(colon + 1));
  }
  return call;
}

std::optional<TierStep> parse_tier(const ExplainNode& node) {
  // `tier LOWER..UPPER at RATE`; UPPER is empty for the open top tier
  if (!starts_with(node.label, "tier ")) return std::nullopt;
  const std::string body = node.label.substr(5);
  const std::size_t dots = body.find("..");
  const std::size_t at = body.rfind(" at ");
  if (dots == std::string::npos || at == std::string::npos || at < dots) return std::nullopt;
  TierStep step;
  step.lower = trim(body.substr(0, dots));
  step.upper = trim(body.substr(dots + 2, at - dots - 2));
  step.rate = trim(body.substr(at + 4));
  if (step.lower.empty() || step.rate.empty()) return std::nullopt;
  static const std::string kSlice = "slice ";
  static const std::string kAll = "reached: the rate applies to all of ";
  if (starts_with(node.note, kSlice)) {
    step.paid = true;
    step.slice = node.note.substr(kSlice.size());
  } else if (starts_with(node.note, kAll)) {
    step.paid = true;
    step.slice = node.note.substr(kAll.size());
  }
  if (step.paid) step.amount = node.value;
  return step;
}

std::vector<TierLadder> tier_ladders(const ExplainNode& payout_root, const std::string& payout) {
  std::vector<TierLadder> ladders;
  walk(payout_root, [&](const ExplainNode& node) {
    const auto call = parse_apply(node.label);
    if (!call) return;
    TierLadder ladder;
    ladder.payout = payout;
    ladder.call = *call;
    for (const auto& child : node.children) {
      if (auto step = parse_tier(child)) {
        ladder.marginal =
            ladder.marginal || child.note == "not reached" || starts_with(child.note, "slice ");
        ladder.steps.push_back(*step);
      }
    }
    if (ladder.steps.empty()) return;
    if (const ExplainNode* x = child_labelled(node, call->applied)) ladder.applied_value = x->value;
    if (!call->base.empty())
      if (const ExplainNode* b = child_labelled(node, call->base)) ladder.base_value = b->value;
    for (std::size_t i = 0; i < ladder.steps.size(); ++i)
      if (ladder.steps[i].paid) ladder.current = static_cast<int>(i);
    const auto bound = parse_number(ladder.steps[0].lower);
    const auto x = parse_number(ladder.applied_value);
    if (bound && x) {
      if (call->base.empty()) {
        ladder.position = x->number;
      } else if (const auto b = parse_number(ladder.base_value); b && b->number != 0) {
        ladder.position = x->number / b->number * (bound->unit == "%" ? 100 : 1);
      }
    }
    ladders.push_back(std::move(ladder));
  });
  return ladders;
}

std::vector<PayoutLimit> payout_limits(const ExplainNode& payout_root) {
  std::vector<PayoutLimit> limits;
  for (const auto& child : payout_root.children) {
    PayoutLimit limit;
    if (starts_with(child.label, "cap "))
      limit.kind = "cap";
    else if (starts_with(child.label, "floor "))
      limit.kind = "floor";
    else
      continue;
    limit.expression = child.label.substr(limit.kind.size() + 1);
    limit.value = child.value;
    // `bound: 12000.04 USD is capped` / `bound: 100.00 USD is raised`
    static const std::string kBound = "bound: ";
    if (starts_with(child.note, kBound)) {
      limit.bound = true;
      const std::string rest = child.note.substr(kBound.size());
      limit.before = rest.substr(0, rest.find(" is "));
    }
    limit.carried = child.note.find("over the year") != std::string::npos;
    limits.push_back(std::move(limit));
  }
  return limits;
}

bool payout_does_not_apply(const ExplainNode& payout_root) {
  return payout_root.note.find("does not apply") != std::string::npos;
}

bool is_quota_name(const std::string& name) {
  std::string last = name.substr(name.rfind('_') == std::string::npos ? 0 : name.rfind('_') + 1);
  std::transform(last.begin(), last.end(), last.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return last == "quota" || last == "target" || last == "goal";
}

bool is_attainment_name(const std::string& name) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("attain") != std::string::npos;
}

std::optional<Attainment> find_attainment(const std::vector<const ExplainNode*>& payout_roots,
                                          const ExplainNode* attainment_let) {
  std::optional<Attainment> found;
  // (1) the base of an apply: the quota the tiers are scaled by
  for (const ExplainNode* root : payout_roots) {
    if (found) break;
    walk(*root, [&](const ExplainNode& node) {
      if (found) return;
      const auto call = parse_apply(node.label);
      if (!call || call->base.empty()) return;
      const ExplainNode* base = child_labelled(node, call->base);
      if (!base || !parse_number(base->value)) return;
      Attainment a;
      a.quota = base->value;
      a.quota_label = call->base;
      if (const ExplainNode* x = child_labelled(node, call->applied)) {
        a.achieved = x->value;
        a.achieved_label = call->applied;
      }
      a.percent = ratio_percent(a.achieved, a.quota);
      a.source = "the base of `" + node.label + "`";
      found = a;
    });
  }
  // (2) a let named like attainment, `A / B`: asked for on its own, or
  // where a payout reads it
  for (const ExplainNode* root : payout_roots) {
    if (attainment_let) break;
    walk(*root, [&](const ExplainNode& node) {
      if (!attainment_let && !node.children.empty() && node.note.rfind("let", 0) == 0 &&
          is_attainment_name(leading_name(node.label)))
        attainment_let = &node;
    });
  }
  if (attainment_let) {
    const auto value = parse_number(attainment_let->value);
    if (found) {
      if (value && value->unit == "%") found->percent_text = attainment_let->value;
    } else if (value) {
      Attainment a;
      a.percent_text = attainment_let->value;
      a.percent = value->unit == "%" ? value->number : value->number * 100;
      a.source = "`" + leading_name(attainment_let->label) + "`";
      const ExplainNode* body =
          attainment_let->children.empty() ? nullptr : &attainment_let->children[0];
      const std::size_t slash = body ? find_top_level(body->label, " / ") : std::string::npos;
      if (slash != std::string::npos) {
        const std::string left = trim(body->label.substr(0, slash));
        const std::string right = trim(body->label.substr(slash + 3));
        const ExplainNode* achieved = child_labelled(*body, left);
        const ExplainNode* quota = child_labelled(*body, right);
        if (achieved && quota && parse_number(achieved->value) && parse_number(quota->value)) {
          a.achieved = achieved->value;
          a.achieved_label = left;
          a.quota = quota->value;
          a.quota_label = right;
          a.source += " = " + body->label;
        }
      }
      found = a;
    }
  }
  // (3) a value named like a quota, anywhere in the payouts; what it is
  // compared with or subtracted from (`bookings - quota(...)`) is achieved
  if (!found || found->quota.empty()) {
    std::vector<const ExplainNode*> roots = payout_roots;
    if (attainment_let) roots.push_back(attainment_let);
    const ExplainNode* quota = nullptr;
    const ExplainNode* achieved = nullptr;
    for (const ExplainNode* root : roots)
      walk(*root, [&](const ExplainNode& node) {
        for (const auto& child : node.children) {
          const auto value = parse_number(child.value);
          if (quota || !value || value->unit == "%" || !is_quota_name(leading_name(child.label)))
            continue;
          quota = &child;
          achieved = against_quota(node, child.label);
        }
      });
    if (quota) {
      if (!found) {
        found = Attainment{};
        found->source = "`" + quota->label + "`";
      }
      found->quota = quota->value;
      found->quota_label = quota->label;
      if (achieved && found->achieved.empty()) {
        found->achieved = achieved->value;
        found->achieved_label = achieved->label;
        if (!found->percent) found->percent = ratio_percent(found->achieved, found->quota);
        found->source += " in `" + node_label_of(roots, achieved) + "`";
      }
    }
  }
  return found;
}

}  // namespace tally::cli
