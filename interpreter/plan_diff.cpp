// What-if modelling (tally/plan_diff.hpp): whether two plans read the data
// alike, and how the pay moves between their runs. Amounts are summed as
// exact decimals; only the percentages are rounded (to one decimal).
#include <algorithm>
#include <map>

#include "interpreter/plan.hpp"
#include "interpreter/plan_model.hpp"
#include "interpreter/runtime/decimal.hpp"
#include "interpreter/runtime/types.hpp"
#include "tally/plan_diff.hpp"

namespace tally {

namespace {

Message error_message(std::string text, std::string hint) {
  Message m;
  m.text = std::move(text);
  m.hint = std::move(hint);
  m.rendered = "error: " + m.text + (m.hint.empty() ? "" : "\nhint: " + m.hint);
  return m;
}

const SourceModel* source_named(const PlanModel& model, const std::string& name) {
  for (const SourceModel& s : model.sources)
    if (s.schema.name == name) return &s;
  return nullptr;
}

const FieldSpec* field_named(const SourceSchema& schema, const std::string& name) {
  for (const FieldSpec& f : schema.fields)
    if (f.name == name) return &f;
  return nullptr;
}

std::string field_text(const FieldSpec& f) {
  std::string text = type_name(f.type);
  if (f.key) text += " key";
  if (!f.from.empty() && f.from != f.name) text += " from \"" + f.from + "\"";
  return text;
}

const char* what_source(const SourceModel& s) {
  return s.is_roster ? "roster" : "source";
}

/// The fields of one source that differ between the plans.
void compare_fields(const SourceModel& a, const std::string& a_file, const SourceModel& b,
                    const std::string& b_file, std::vector<Message>& out) {
  const std::string& name = a.schema.name;
  const std::string fix = "declare `" + name + "` with the same fields in both plans";
  for (const FieldSpec& fa : a.schema.fields) {
    const FieldSpec* fb = field_named(b.schema, fa.name);
    if (!fb) {
      out.push_back(error_message(std::string(what_source(a)) + " `" + name + "`: field `" +
                                      fa.name + "` is in " + a_file + " but not in " + b_file,
                                  fix));
    } else if (field_text(fa) != field_text(*fb)) {
      out.push_back(error_message(std::string(what_source(a)) + " `" + name + "`: field `" +
                                      fa.name + "` is " + field_text(fa) + " in " + a_file +
                                      " but " + field_text(*fb) + " in " + b_file,
                                  fix));
    }
  }
  for (const FieldSpec& fb : b.schema.fields)
    if (!field_named(a.schema, fb.name))
      out.push_back(error_message(std::string(what_source(a)) + " `" + name + "`: field `" +
                                      fb.name + "` is in " + b_file + " but not in " + a_file,
                                  fix));
}

/// An exact decimal from a result cell (the run writes only valid ones).
Decimal amount_of(const std::string& cell) {
  return Decimal::parse(cell).value_or(Decimal{});
}

/// An amount with at least two decimal places, as the payouts table prints it.
std::string money_text(const Decimal& amount) {
  return amount.scale() < 2 ? amount.rescaled_up(2).to_string() : amount.to_string();
}

/// change / before × 100, one decimal; empty when before is zero.
std::string percent_of(const Decimal& change, const Decimal& before) {
  if (before.is_zero()) return {};
  auto ratio = Decimal::divide(change * Decimal::from_int(100), before.abs());
  return ratio ? ratio->rounded(1, RoundingMode::half_even).to_string() : std::string();
}

void add(Decimal& to, const Decimal& amount) {
  to = to + amount;
}

struct Sums {
  Decimal before;
  Decimal after;
  bool in_before = false;
  bool in_after = false;
};

DiffLine line_of(const std::string& name, const Sums& sums) {
  DiffLine line;
  line.name = name;
  line.before = money_text(sums.before);
  line.after = money_text(sums.after);
  const Decimal change = sums.after - sums.before;
  line.change = money_text(change);
  line.percent = percent_of(change, sums.before);
  line.presence = sums.in_before && !sums.in_after   ? DiffLine::Presence::removed
                  : !sums.in_before && sums.in_after ? DiffLine::Presence::added
                                                     : DiffLine::Presence::both;
  return line;
}

/// Names in first-seen order with their sums.
struct Ledger {
  std::vector<std::string> order;
  std::map<std::string, Sums> sums;
  Sums& at(const std::string& name) {
    auto [it, inserted] = sums.try_emplace(name);
    if (inserted) order.push_back(name);
    return it->second;
  }
  std::vector<DiffLine> lines() const {
    std::vector<DiffLine> out;
    for (const auto& name : order) out.push_back(line_of(name, sums.at(name)));
    return out;
  }
};

bool exceeds(const DiffLine& line, const DiffThreshold& threshold) {
  const Decimal change = amount_of(line.change).abs();
  const Decimal limit = amount_of(threshold.amount);
  if (!threshold.relative) return limit < change;
  const Decimal before = amount_of(line.before).abs();
  if (before.is_zero()) return !change.is_zero();
  return before * limit < change * Decimal::from_int(100);
}

}  // namespace

std::vector<Message> compare_sources(const Plan& before, const std::string& before_file,
                                     const Plan& after, const std::string& after_file) {
  const PlanModel& a = *before.model;
  const PlanModel& b = *after.model;
  std::vector<Message> out;
  if (a.currency != b.currency)
    out.push_back(error_message("the plans pay in different currencies: " + a.currency + " in " +
                                    before_file + ", " + b.currency + " in " + after_file,
                                "give both plans the same `currency` to compare their pay"));
  for (const SourceModel& s : a.sources) {
    const SourceModel* other = source_named(b, s.schema.name);
    if (!other) {
      out.push_back(error_message(std::string(what_source(s)) + " `" + s.schema.name +
                                      "` is declared in " + before_file + " but not in " +
                                      after_file,
                                  "both plans must read the same sources: declare `" +
                                      s.schema.name + "` in " + after_file + " too"));
      continue;
    }
    if (s.is_roster != other->is_roster) {
      out.push_back(error_message("`" + s.schema.name + "` is the " +
                                      (s.is_roster ? "roster" : "a source") + " in " + before_file +
                                      " but " + (other->is_roster ? "the roster" : "a source") +
                                      " in " + after_file,
                                  "both plans must read the same roster"));
      continue;
    }
    compare_fields(s, before_file, *other, after_file, out);
  }
  for (const SourceModel& s : b.sources)
    if (!source_named(a, s.schema.name))
      out.push_back(error_message(std::string(what_source(s)) + " `" + s.schema.name +
                                      "` is declared in " + after_file + " but not in " +
                                      before_file,
                                  "both plans must read the same sources: declare `" +
                                      s.schema.name + "` in " + before_file + " too"));
  return out;
}

std::optional<DiffThreshold> parse_threshold(const std::string& text) {
  DiffThreshold threshold;
  std::string number = text;
  threshold.relative = !number.empty() && number.back() == '%';
  if (threshold.relative) number.pop_back();
  const auto value = Decimal::parse(number);
  if (number.empty() || !value || value->is_negative()) return std::nullopt;
  threshold.amount = value->to_string();
  return threshold;
}

PlanDiff diff_runs(const Plan& before_plan, const RunResult& before, const Plan& after_plan,
                   const RunResult& after, const DiffThreshold& threshold) {
  PlanDiff diff;
  diff.currency = before.summary.currency;
  Ledger components;
  Ledger payees;
  Sums total;
  total.in_before = total.in_after = true;
  // Components: each plan's payouts and draws as declared, then what the runs add.
  for (const PayoutModel& p : before_plan.model->payouts)
    components.at(p.decl->name).in_before = true;
  for (const DrawModel& d : before_plan.model->draws) components.at(d.decl->name).in_before = true;
  for (const auto& row : before.payouts.rows) components.at(row[2]).in_before = true;
  for (const PayoutModel& p : after_plan.model->payouts)
    components.at(p.decl->name).in_after = true;
  for (const DrawModel& d : after_plan.model->draws) components.at(d.decl->name).in_after = true;
  for (const auto& row : after.payouts.rows) components.at(row[2]).in_after = true;
  std::map<std::string, std::string> role_of;
  std::size_t role_column = 0;
  for (std::size_t c = 0; c < before.payees.columns.size(); ++c)
    if (before.payees.columns[c] == "role") role_column = c;
  for (const auto& row : before.payees.rows) {
    Sums& sums = payees.at(row[0]);
    sums.in_before = sums.in_after = true;
    role_of[row[0]] = role_column > 0 && !row[role_column].empty() ? row[role_column] : "";
  }
  for (const auto& row : before.payouts.rows) {
    const Decimal amount = amount_of(row[3]);
    add(components.at(row[2]).before, amount);
    add(payees.at(row[0]).before, amount);
    add(total.before, amount);
  }
  for (const auto& row : after.payouts.rows) {
    const Decimal amount = amount_of(row[3]);
    add(components.at(row[2]).after, amount);
    add(payees.at(row[0]).after, amount);
    add(total.after, amount);
  }
  diff.total = line_of("total", total);
  diff.components = components.lines();
  Ledger roles;
  for (const auto& name : payees.order) {
    const auto role = role_of.find(name);
    Sums& sums =
        roles.at(role == role_of.end() || role->second.empty() ? "(no role)" : role->second);
    sums.in_before = sums.in_after = true;
    add(sums.before, payees.sums.at(name).before);
    add(sums.after, payees.sums.at(name).after);
  }
  diff.roles = roles.lines();
  diff.payees = payees.lines();
  for (DiffLine& line : diff.payees) {
    line.presence = DiffLine::Presence::both;
    if (auto role = role_of.find(line.name); role != role_of.end()) line.role = role->second;
  }
  std::stable_sort(diff.payees.begin(), diff.payees.end(),
                   [](const DiffLine& x, const DiffLine& y) {
                     return amount_of(y.change).abs() < amount_of(x.change).abs();
                   });
  for (const DiffLine& line : diff.payees)
    if (exceeds(line, threshold)) diff.moved.push_back(line);
  return diff;
}

}  // namespace tally
