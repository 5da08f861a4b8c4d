// Tables and goals (values per payee and period), and rates tables: tiers
// that must be sorted, gapless and non-overlapping, and lookups by key.
#include <algorithm>
#include <string>
#include <unordered_map>

#include "interpreter/checker_internal.hpp"
#include "interpreter/type_rules.hpp"

namespace tally::checking {

std::optional<Decimal> literal_value(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::unary && e.op == ast::Op::neg && !e.args.empty()) {
    auto inner = literal_value(*e.args[0]);
    if (inner) return -*inner;
    return std::nullopt;
  }
  if (e.kind != ast::ExprKind::number && e.kind != ast::ExprKind::percent &&
      e.kind != ast::ExprKind::money)
    return std::nullopt;
  auto d = Decimal::parse(e.text, true);
  if (d && e.kind == ast::ExprKind::percent) return *d * Decimal::from_units(1, 2);
  return d;
}

bool mentions(const ast::Expr& e, const std::string& name) {
  if (e.kind == ast::ExprKind::name && e.text == name) return true;
  return std::any_of(e.args.begin(), e.args.end(),
                     [&](const ast::ExprPtr& a) { return a && mentions(*a, name); });
}

// ------------------------------------------------------------ tables and goals

namespace {

/// The span of `word` as written in `text` at or after `from`, or `fallback`.
Span span_of_word(const ast::Plan& plan, const std::string& word, std::uint32_t from,
                  Span fallback) {
  if (!plan.file) return fallback;
  // Offsets are in the plan's offset space; search in the file `from` lies in.
  const ast::SpanOrigin origin = ast::origin_of(plan, Span{from, from});
  if (!origin.file) return fallback;
  const auto at = origin.file->text().find(word, origin.offset);
  if (at == std::string::npos) return fallback;
  const std::uint32_t base = from - origin.offset;
  return Span{static_cast<std::uint32_t>(base + at),
              static_cast<std::uint32_t>(base + at + word.size())};
}

}  // namespace

int Checker::find_table(const std::string& name) const {
  for (std::size_t i = 0; i < m_.tables.size(); ++i)
    if (m_.tables[i].decl->name == name) return static_cast<int>(i);
  return -1;
}

void Checker::declare_tables() {
  for (const ast::TableDecl& decl : m_.ast.tables) {
    const std::string kind = decl.is_goal ? "goal" : "table";
    if (value_index_.count(decl.name) || find_source(decl.name) >= 0 || find_table(decl.name) >= 0)
      error(decl.name_span, "`" + decl.name + "` is already declared");
    TableModel table;
    table.decl = &decl;
    table.type = resolve_type(decl.type).value_or(Type::of(Kind::error));
    if (table.type.optional) {
      error(decl.type.span, "a " + kind + "'s value cannot be optional",
            "give a default in the data, or use `?? default` where it is read");
    }
    for (std::size_t i = 0; i < decl.keys.size(); ++i) {
      const std::string& key = decl.keys[i];
      for (std::size_t j = 0; j < i; ++j)
        if (decl.keys[j] == key) error(decl.key_spans[i], "key `" + key + "` appears twice");
      if (key == "payee")
        table.key_types.push_back(Type::of(Kind::payee));
      else if (key == "period")
        table.key_types.push_back(Type::of(Kind::period));
      else
        table.key_types.push_back(Type::of(Kind::text));
    }
    if (!decl.source.empty() && decl.value)
      error(decl.value->span, kind + " `" + decl.name +
                                  "` takes its values either `from` a source or `=` an "
                                  "expression, not both");
    if (!decl.source.empty()) {
      table.source = find_source(decl.source);
      if (table.source < 0) {
        error(decl.source_span, "unknown source `" + decl.source + "`",
              did_you_mean(decl.source, source_names()));
      } else {
        source_used_[table.source] = true;
        std::vector<std::string> columns = decl.columns;
        if (columns.empty()) {
          columns = decl.keys;
          columns.push_back(decl.name);
        }
        const std::size_t wanted = decl.keys.size() + 1;
        if (columns.size() != wanted) {
          error(decl.source_span,
                "`from " + decl.source + "(...)` names " + std::to_string(columns.size()) +
                    " column" + (columns.size() == 1 ? "" : "s") + "; `" + decl.name + "` needs " +
                    std::to_string(wanted) + ": one per key, then the value",
                "e.g. `from " + decl.source + "(rep_id, quarter, amount)`");
        } else {
          std::uint32_t cursor = decl.source_span.end;
          for (std::size_t i = 0; i < columns.size(); ++i) {
            // Point at the column as written, when it is (`from quotas(rep_id, ...)`).
            const Span column_span =
                decl.columns.empty() ? decl.source_span
                                     : span_of_word(m_.ast, columns[i], cursor, decl.source_span);
            if (!decl.columns.empty()) cursor = column_span.end;
            const int field = find_field(table.source, columns[i]);
            table.columns.push_back(field);
            if (field < 0) {
              error(column_span, "`" + decl.source + "` has no field `" + columns[i] + "`",
                    did_you_mean(columns[i], field_names(table.source)));
              continue;
            }
            const Type& found = m_.sources[table.source].schema.fields[field].type;
            if (i + 1 == columns.size()) {
              if (table.type.kind != Kind::error &&
                  !assignable(found.as_optional(false), table.type))
                error(column_span, "column `" + columns[i] + "` of `" + decl.source + "` is " +
                                       type_name(found) + ", but `" + decl.name + "` holds " +
                                       type_name(table.type));
              continue;
            }
            Type& key_type = table.key_types[i];
            const std::string& key = decl.keys[i];
            if (key != "payee" && key != "period") {
              key_type = found.as_optional(false);
              continue;
            }
            const bool fits = key == "period"
                                  ? found.kind == Kind::period
                                  : (found.kind == Kind::payee || found.kind == Kind::text);
            if (!fits)
              error(column_span,
                    "column `" + columns[i] + "` of `" + decl.source + "` is " + type_name(found) +
                        ", but the key `" + key + "` needs " +
                        (key == "period" ? "a period" : "a payee id"),
                    key == "period" ? "declare the column as `" + columns[i] + ": period`" : "");
          }
        }
      }
    } else if (!decl.value) {
      warning(decl.name_span,
              kind + " `" + decl.name +
                  "` has no `from` source and no `= value`, so only tests give "
                  "it values",
              "bind it to a source, e.g. `" + kind + " " + decl.name + "(...): " + decl.type.name +
                  " from SOURCE(key columns..., value column)`");
    }
    m_.tables.push_back(std::move(table));
  }
  table_state_.assign(m_.tables.size(), 0);
  table_used_.assign(m_.tables.size(), false);
}

void Checker::check_tables() {
  for (std::size_t i = 0; i < m_.tables.size(); ++i) check_table(static_cast<int>(i));
}

void Checker::check_table(int index) {
  if (table_state_[index] == 2) return;
  TableModel& table = m_.tables[index];
  const ast::TableDecl& decl = *table.decl;
  if (table_state_[index] == 1) {
    error(decl.name_span, "`" + decl.name + "` is defined in terms of itself");
    return;
  }
  table_state_[index] = 1;
  const bool has_payee = std::find(decl.keys.begin(), decl.keys.end(), "payee") != decl.keys.end();
  const bool has_period =
      std::find(decl.keys.begin(), decl.keys.end(), "period") != decl.keys.end();
  if (decl.prorated && !has_payee)
    error(decl.name_span, "`prorated` divides by the days a payee is employed, but `" + decl.name +
                              "` has no `payee` key");
  if (decl.prorated && table.type.kind != Kind::error && !table.type.is_numeric())
    error(decl.name_span, "`prorated` applies to numbers and money, but `" + decl.name +
                              "` holds " + type_name(table.type));
  if (decl.value) {
    std::vector<Local> locals;
    for (std::size_t i = 0; i < decl.keys.size(); ++i)
      if (decl.keys[i] != "payee" && decl.keys[i] != "period")
        locals.push_back(Local{decl.keys[i], table.key_types[i], nullptr, Binding::fn_parameter,
                               static_cast<int>(i)});
    Scope scope;
    scope.context = Context::payee_period;
    scope.payee_bound = has_payee;
    scope.period_bound = has_period;
    scope.locals = &locals;
    scope.in_table = true;
    const Type t = operand(*decl.value, scope);
    // (An optional value type was reported above; compare without it.)
    if (t.kind != Kind::error && table.type.kind != Kind::error &&
        !assignable(t, table.type.as_optional(false)))
      error(decl.value->span, "`" + decl.name + "` is declared " + type_name(table.type) +
                                  " but its value is " + type_name(t));
  }
  table_state_[index] = 2;
}

// ------------------------------------------------------------ rates

int Checker::find_rates(const std::string& name) const {
  for (std::size_t i = 0; i < m_.rates.size(); ++i)
    if (m_.rates[i].decl->name == name) return static_cast<int>(i);
  return -1;
}

Scope Checker::scope_for(const ast::Expr& e) {
  Scope scope;
  if (m_.credited_source >= 0 && mentions(e, credited_row_name_)) {
    scope.context = Context::row;
    scope.source = m_.credited_source;
    scope.row_name = credited_row_name_;
  } else {
    scope.context = Context::payee_period;
  }
  return scope;
}

void Checker::declare_rates() {
  for (const ast::RatesDecl& decl : m_.ast.rates) {
    if (value_index_.count(decl.name) || find_source(decl.name) >= 0 ||
        find_table(decl.name) >= 0 || find_rates(decl.name) >= 0)
      error(decl.name_span, "`" + decl.name + "` is already declared");
    RatesModel rates;
    rates.decl = &decl;
    rates.on_type = Type::of(Kind::error);
    rates.bound_type = Type::of(Kind::error);
    rates.value_type = Type::of(Kind::error);
    if (decl.rows.empty()) error(decl.name_span, "rates `" + decl.name + "` has no rows");
    if (decl.mode == ast::RatesMode::lookup)
      check_lookup_rows(rates);
    else
      check_tiers(rates);
    m_.rates.push_back(std::move(rates));
  }
  rates_used_.assign(m_.rates.size(), false);
}

void Checker::check_tiers(RatesModel& rates) {
  const ast::RatesDecl& decl = *rates.decl;
  Scope constant;
  auto tier_text = [&](const ast::RateRow& row) {
    if (!row.lower) return std::string("?");
    return text_of(*row.lower) + " .." + (row.upper ? " " + text_of(*row.upper) : std::string());
  };
  const ast::RateRow* previous = nullptr;
  std::optional<Decimal> previous_value;
  bool comparable = true;  // bounds of one unit, so their order means something
  for (std::size_t i = 0; i < decl.rows.size(); ++i) {
    const ast::RateRow& row = decl.rows[i];
    if (!row.lower) {
      if (row.value) check(*row.value, constant);
      if (row.key) check(*row.key, constant);
      error(row.span, "rates `" + decl.name + "` has tiers, so every row is `LOW .. HIGH : VALUE`",
            "a table by key is written `rates " + decl.name + " by EXPR { KEY : VALUE ... }`");
      continue;
    }
    for (const ast::Expr* bound : {row.lower.get(), row.upper.get()}) {
      if (!bound) continue;
      const Type t = operand(*bound, constant);
      if (t.kind == Kind::error) continue;
      if (!literal_value(*bound)) {
        error(bound->span,
              "a tier bound must be written out (a number, percent or amount), found `" +
                  text_of(*bound) + "`");
        continue;
      }
      if (rates.bound_type.kind == Kind::error)
        rates.bound_type = t;
      else if (!same_value_type(t, rates.bound_type)) {
        error(bound->span, "the tiers of `" + decl.name + "` mix " + type_name(rates.bound_type) +
                               " and " + type_name(t) + " bounds");
        comparable = false;
      }
    }
    if (row.value) {
      const Type t = operand(*row.value, constant);
      if (t.kind != Kind::error && !t.is_numeric())
        error(row.value->span,
              "a tier pays a rate, a multiplier or an amount, found " + type_name(t));
      else if (t.kind != Kind::error && rates.value_type.kind == Kind::error)
        rates.value_type = t;
      else if (t.kind != Kind::error && !same_value_type(t, rates.value_type))
        error(row.value->span, "the tiers of `" + decl.name + "` pay " +
                                   type_name(rates.value_type) + " in one row and " + type_name(t) +
                                   " in another");
    }
    if (!row.upper && i + 1 < decl.rows.size())
      error(row.span,
            "only the last tier may be open-ended, but `" + tier_text(row) + "` is followed by `" +
                tier_text(decl.rows[i + 1]) + "`",
            "give it an upper bound, e.g. `" + tier_text(row) + " " +
                text_of(*decl.rows[i + 1].lower) + "`");
    const auto low = literal_value(*row.lower);
    const auto high = row.upper ? literal_value(*row.upper) : std::nullopt;
    if (low && high && !(*low < *high))
      error(row.span,
            "tier `" + tier_text(row) + "` is empty: its upper bound is not above its lower bound");
    if (previous && previous->lower && low && comparable) {
      const auto previous_low = literal_value(*previous->lower);
      const auto previous_high = previous->upper ? literal_value(*previous->upper) : std::nullopt;
      const std::string a =
          "`" + tier_text(*previous) + "` (line " + std::to_string(line_of(previous->span)) + ")";
      const std::string b =
          "`" + tier_text(row) + "` (line " + std::to_string(line_of(row.span)) + ")";
      if (previous_low && *low < *previous_low)
        error(row.span,
              "the tiers of `" + decl.name + "` are not sorted: " + b + " comes after " + a,
              "list the tiers from the lowest bound up");
      else if (previous_high && *low < *previous_high)
        error(row.span, "tiers " + a + " and " + b + " overlap",
              "start a tier where the previous one ends: `" + text_of(*previous->upper) + " ..`");
      else if (previous_high && *previous_high < *low)
        error(row.span,
              "tiers " + a + " and " + b + " leave a gap: values from " +
                  text_of(*previous->upper) + " to " + text_of(*row.lower) + " fall in no tier",
              "start a tier where the previous one ends: `" + text_of(*previous->upper) + " ..`");
    }
    const auto value = row.value ? literal_value(*row.value) : std::nullopt;
    if (value && previous_value && *value < *previous_value && comparable)
      warning(row.value->span,
              "rates `" + decl.name + "` pays less above " + text_of(*row.lower) + " (" +
                  text_of(*row.value) + ") than below (" + text_of(*previous->value) +
                  "): likely a typo",
              "tiers usually pay more as they go up; if this decelerator is intended, ignore this "
              "warning");
    previous = &row;
    previous_value = value;
  }
}

void Checker::check_lookup_rows(RatesModel& rates) {
  const ast::RatesDecl& decl = *rates.decl;
  Scope constant;
  const ast::RateRow* fallback = nullptr;
  std::unordered_map<std::string, const ast::RateRow*> seen;
  for (const ast::RateRow& row : decl.rows) {
    if (row.lower) {
      check(*row.lower, constant);
      if (row.upper) check(*row.upper, constant);
      if (row.value) check(*row.value, constant);
      error(row.span,
            "rates `" + decl.name +
                "` is a lookup by key, so every row is `KEY : VALUE` or `else : VALUE`",
            "tiers are written `rates " + decl.name +
                " on EXPR marginal { LOW .. HIGH : VALUE ... }`");
      continue;
    }
    if (row.value) {
      const Type t = operand(*row.value, constant);
      if (t.kind != Kind::error && rates.value_type.kind == Kind::error)
        rates.value_type = t;
      else if (t.kind != Kind::error && !same_value_type(t, rates.value_type))
        error(row.value->span, "the entries of `" + decl.name + "` give " +
                                   type_name(rates.value_type) + " in one row and " + type_name(t) +
                                   " in another");
    }
    if (!row.key) {
      if (fallback)
        error(row.span,
              "rates `" + decl.name + "` has two `else` rows (lines " +
                  std::to_string(line_of(fallback->span)) + " and " +
                  std::to_string(line_of(row.span)) + ")",
              "keep one");
      fallback = &row;
      continue;
    }
    const Type key = operand(*row.key, constant);
    const bool literal = row.key->kind == ast::ExprKind::string || literal_value(*row.key) ||
                         row.key->kind == ast::ExprKind::period ||
                         row.key->kind == ast::ExprKind::boolean;
    if (!literal) {
      error(row.key->span, "a lookup key must be written out (text, a number, a period), found `" +
                               text_of(*row.key) + "`");
      continue;
    }
    if (key.kind != Kind::error && rates.bound_type.kind == Kind::error)
      rates.bound_type = key;
    else if (key.kind != Kind::error && !same_value_type(key, rates.bound_type))
      error(row.key->span, "the keys of `" + decl.name + "` mix " + type_name(rates.bound_type) +
                               " and " + type_name(key));
    const auto number = literal_value(*row.key);
    const std::string identity = number ? number->trimmed().to_string() : row.key->text;
    if (auto [it, fresh] = seen.emplace(identity, &row); !fresh)
      error(row.key->span, "key " + text_of(*row.key) + " appears twice in `" + decl.name +
                               "` (lines " + std::to_string(line_of(it->second->span)) + " and " +
                               std::to_string(line_of(row.span)) + ")");
  }
  if (fallback && &decl.rows.back() != fallback)
    warning(fallback->span, "the `else` row of `" + decl.name + "` is not the last one",
            "put `else` last: it applies only when no key matches");
}

void Checker::check_rates() {
  for (RatesModel& rates : m_.rates) {
    const ast::RatesDecl& decl = *rates.decl;
    if (!decl.on) continue;
    Scope scope = scope_for(*decl.on);
    std::vector<int> dependencies;
    scope.dependencies = &dependencies;
    rates.on_type = operand(*decl.on, scope);
    if (rates.on_type.kind == Kind::error || rates.bound_type.kind == Kind::error) continue;
    const bool textual_key =
        decl.mode == ast::RatesMode::lookup && rates.bound_type.kind == Kind::text &&
        (rates.on_type.kind == Kind::payee || rates.on_type.kind == Kind::territory);
    if (!same_value_type(rates.on_type, rates.bound_type) && !textual_key)
      error(decl.on->span,
            decl.mode == ast::RatesMode::lookup
                ? "the keys of `" + decl.name + "` are " + type_name(rates.bound_type) + ", but `" +
                      text_of(*decl.on) + "` is " + type_name(rates.on_type)
                : "the tiers of `" + decl.name + "` are over " + type_name(rates.bound_type) +
                      ", but `" + text_of(*decl.on) + "` is " + type_name(rates.on_type));
  }
}

// ------------------------------------------------------------ table calls

Type Checker::check_table_call(const ast::Expr& e, int table, Scope& scope) {
  TableModel& model = m_.tables[table];
  table_used_[table] = true;
  check_table(table);
  ExprInfo& info = m_.info[&e];
  info.binding = Binding::table_call;
  info.index = table;
  const auto& keys = model.decl->keys;
  std::string signature = model.decl->name + "(";
  for (std::size_t i = 0; i < keys.size(); ++i) signature += (i ? ", " : "") + keys[i];
  signature += ")";
  if (has_named_arguments(e)) error(e.span, "a table takes its keys in order: " + signature);
  if (e.args.size() != keys.size()) {
    for (const auto& arg : e.args) check(*arg, scope);
    error(e.span,
          "`" + model.decl->name + "` takes " + std::to_string(keys.size()) + " key" +
              (keys.size() == 1 ? "" : "s") + " (" + signature + "), found " +
              std::to_string(e.args.size()),
          "call it as `" + signature + "`");
    return model.type;
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const Type t = operand(*e.args[i], scope);
    const Type& expected = model.key_types[i];
    if (t.kind == Kind::error || expected.kind == Kind::error) continue;
    if (!assignable(t, expected))
      error(e.args[i]->span, "key `" + keys[i] + "` of `" + model.decl->name + "` is " +
                                 type_name(expected) + ", found " + type_name(t));
  }
  return model.type;
}

}  // namespace tally::checking
