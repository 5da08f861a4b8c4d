#include "interpreter/checker.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "interpreter/checker_internal.hpp"
#include "interpreter/runtime/spelling.hpp"

namespace tally {

bool CheckOutput::ok() const {
  return std::none_of(diagnostics.begin(), diagnostics.end(),
                      [](const Diagnostic& d) { return d.severity == Severity::error; });
}

namespace checking {

std::string singular(const std::string& name) {
  if (name.size() > 1 && name.back() == 's') return name.substr(0, name.size() - 1);
  return name;
}

void Checker::check_whole_plan() {
  check_header();
  check_sources();
  declare_values();  // rules may name constant lets, declared further down
  declare_tables();
  declare_rates();
  declare_functions();
  check_rules();
  check_values();
  check_payouts();
  check_tables();
  check_rates();
  check_functions();
  check_territories();
  check_territory_sets();
  check_draws();
  check_clawbacks();
  check_tests();
  check_imports();
  order_values();
  warn_unused();
}

void Checker::adopt_checked_model() {
  for (std::size_t i = 0; i < m_.values.size(); ++i)
    value_index_.emplace(m_.values[i].decl->name, static_cast<int>(i));
  value_state_.assign(m_.values.size(), 2);
  value_deps_.assign(m_.values.size(), {});
  value_used_.assign(m_.values.size(), true);
  source_used_.assign(m_.sources.size(), true);
  table_state_.assign(m_.tables.size(), 2);
  table_used_.assign(m_.tables.size(), true);
  rates_used_.assign(m_.rates.size(), true);
  function_state_.assign(m_.functions.size(), 2);
  function_used_.assign(m_.functions.size(), true);
}

Type Checker::check(const ast::Expr& e, Scope& scope) {
  Type type = check_node(e, scope);
  m_.info[&e].type = type;
  return type;
}

// ------------------------------------------------------------ reporting

Location Checker::locate(Span span) const {
  if (!m_.ast.file) return {};
  return ast::locate(m_.ast, span);  // the plan's file or the imported one the span is in
}

void Checker::error(Span span, std::string message, std::string hint) {
  diagnostics.push_back(
      {Severity::error, Error{locate(span), std::move(message), std::move(hint)}});
}

void Checker::warning(Span span, std::string message, std::string hint) {
  diagnostics.push_back(
      {Severity::warning, Error{locate(span), std::move(message), std::move(hint)}});
}

std::string Checker::text_of(const ast::Expr& e) const {
  if (!m_.ast.file) return "...";
  const std::string_view text = ast::span_text(m_.ast, e.span);
  return text.empty() ? "..." : std::string(text);
}

std::string Checker::did_you_mean(const std::string& word, const std::vector<std::string>& names) {
  if (auto best = closest_match(word, names)) return "did you mean `" + *best + "`?";
  return {};
}

void Checker::expect_kind(const ast::Expr& e, Scope& scope, Kind kind, const std::string& what) {
  const Type t = operand(e, scope);
  if (t.kind != Kind::error && t.kind != kind)
    error(e.span, what + " must be " + type_name(Type::of(kind)) + ", found " + type_name(t));
}

bool Checker::plan_name_taken(const std::string& name) const {
  return value_index_.count(name) || find_source(name) >= 0 || find_table(name) >= 0 ||
         find_rates(name) >= 0 || find_function(name) >= 0 ||
         std::any_of(m_.ast.payouts.begin(), m_.ast.payouts.end(),
                     [&](const ast::PayoutDecl& p) { return p.name == name; });
}

// ------------------------------------------------------------ header

void Checker::check_header() {
  if (!m_.ast.header) {
    if (!m_.ast.sources.empty() || !m_.ast.payouts.empty())
      error(Span{}, "the plan has no header",
            "start the file with `plan \"Name\"` and `currency USD`");
    return;
  }
  const ast::PlanHeader& h = *m_.ast.header;
  m_.name = h.name;
  if (h.currency.empty())
    error(h.span, "the plan declares no currency", "add `currency USD` to the plan header");
  else
    m_.currency = h.currency;

  m_.calendar.fiscal = h.fiscal;
  if (!h.grain.empty()) {
    static const std::vector<std::string> grains{"month", "quarter", "half", "year"};
    const auto it = std::find(grains.begin(), grains.end(), h.grain);
    if (it == grains.end())
      error(h.calendar_span,
            "unknown period length `" + h.grain + "`; expected month, quarter, half or year",
            did_you_mean(h.grain, grains));
    else
      m_.calendar.grain = static_cast<Grain>(it - grains.begin());
  }
  if (!h.year_start.empty()) {
    const auto start = parse_iso_date(h.year_start);
    if (!start) {
      error(h.calendar_span, "`" + h.year_start + "` is not a valid date");
    } else {
      const CivilDate civil = civil_of(*start);
      if (civil.day != 1)
        error(h.calendar_span,
              "a fiscal year must start on the first day of a month, found " + h.year_start);
      m_.calendar.start_month = civil.month;
      const int year = m_.calendar.year_of(*start);
      if (!h.fiscal_year_label.empty() && h.fiscal_year_label != "FY" + std::to_string(year))
        error(h.calendar_span,
              "a fiscal year starting " + h.year_start + " ends in " + std::to_string(year) +
                  " and is named FY" + std::to_string(year) + ", not " + h.fiscal_year_label,
              "fiscal years are named after the calendar year in which they end");
    }
  }
  // The date a version pays from decides which periods it pays
  // (docs/adjustments.md): a date that is not one would silently pick none.
  if (!h.effective.empty() && !parse_iso_date(h.effective))
    error(h.effective_span, "`" + h.effective + "` is not a valid date",
          "write the first day this version pays, e.g. effective 2026-03-01");
  if (!h.rounding_mode.empty()) {
    if (auto mode = parse_rounding_mode(h.rounding_mode))
      m_.rounding = *mode;
    else
      error(h.rounding_span, "unknown rounding mode `" + h.rounding_mode + "`",
            "use one of half_even, half_up, half_down, down, up, floor, ceiling");
    if (!h.rounding_quantum.empty()) {
      auto quantum = Decimal::parse(h.rounding_quantum, true);
      if (!quantum || quantum->sign() <= 0)
        error(h.rounding_span,
              "the rounding quantum must be a positive number, found " + h.rounding_quantum);
      else
        m_.rounding_quantum = *quantum;
    }
  }
}

// ------------------------------------------------------------ sources

std::optional<Type> Checker::resolve_type(const ast::TypeRef& ref,
                                          std::shared_ptr<const RecordShape>* shape,
                                          bool in_source) {
  static const std::vector<std::string> names{"bool",    "int",       "decimal", "money",
                                              "percent", "date",      "period",  "text",
                                              "payee",   "territory", "list",    "record"};
  Type type;
  if (ref.name == "bool")
    type = Type::of(Kind::boolean);
  else if (ref.name == "int")
    type = Type::of(Kind::integer);
  else if (ref.name == "decimal")
    type = Type::of(Kind::decimal);
  else if (ref.name == "money")
    type = Type::money_in(ref.currency.empty() ? m_.currency : ref.currency);
  else if (ref.name == "percent")
    type = Type::of(Kind::percent);
  else if (ref.name == "date")
    type = Type::of(Kind::date);
  else if (ref.name == "period")
    type = Type::of(Kind::period);
  else if (ref.name == "text")
    type = Type::of(Kind::text);
  else if (ref.name == "payee")
    type = Type::of(Kind::payee);
  else if (ref.name == "territory")
    type = Type::of(Kind::territory);
  else if (ref.name == "list") {
    // A source reads a list from one text column, so only list<text> there.
    if (!ref.element || (in_source && ref.element->name != "text")) {
      error(ref.span, "only list<text> is supported in a source",
            "store the values as text separated by `|` and write `list<text> sep \"|\"`");
      return std::nullopt;
    }
    if (ref.element->name == "list" || ref.element->name == "record") {
      error(ref.element->span, "a list of " + ref.element->name + "s is not supported",
            "use a list of plain values such as list<text>");
      return std::nullopt;
    }
    auto element = resolve_type(*ref.element);
    if (!element) return std::nullopt;
    if (element->optional) {
      error(ref.element->span, "the elements of a list cannot be optional");
      return std::nullopt;
    }
    type = Type::list_of(*element);
  } else if (ref.name == "record") {
    if (in_source) {
      error(ref.span, "a source field cannot be a record",
            "declare each part as a field of its own");
      return std::nullopt;
    }
    auto record = std::make_shared<RecordShape>();
    for (const ast::RecordFieldRef& written : ref.fields) {
      const std::string& name = written.name;  // not a binding: clang 14 cannot capture one
      const ast::TypeRef& field = written.type;
      const bool duplicate = std::any_of(record->fields.begin(), record->fields.end(),
                                         [&](const auto& f) { return f.first == name; });
      if (duplicate) {
        error(field.span, "field `" + name + "` appears twice in the record type");
        continue;
      }
      std::shared_ptr<const RecordShape> nested;
      auto field_type = resolve_type(field, &nested);
      record->fields.emplace_back(name, field_type.value_or(Type::of(Kind::error)));
      record->nested.push_back(std::move(nested));
    }
    type = Type::of(Kind::record);
    if (shape) *shape = std::move(record);
  } else {
    error(ref.span, "unknown type `" + ref.name + "`", did_you_mean(ref.name, names));
    return std::nullopt;
  }
  type.optional = ref.optional;
  return type;
}

void Checker::check_sources() {
  std::unordered_map<std::string, Span> seen;
  for (const ast::SourceDecl& decl : m_.ast.sources) {
    if (auto [it, fresh] = seen.emplace(decl.name, decl.name_span); !fresh) {
      error(decl.name_span, "`" + decl.name + "` is already declared at line " +
                                std::to_string(locate(it->second).line));
      continue;
    }
    SourceModel source;
    source.decl = &decl;
    source.is_roster = decl.is_roster;
    source.schema.name = decl.name;
    check_source_options(decl, source.schema);
    std::unordered_map<std::string, Span> fields;
    for (const ast::FieldDecl& field : decl.fields) {
      if (auto [it, fresh] = fields.emplace(field.name, field.name_span); !fresh) {
        error(field.name_span,
              "field `" + field.name + "` is declared twice in `" + decl.name + "`");
        continue;
      }
      FieldSpec spec;
      spec.name = field.name;
      auto type = resolve_type(field.type, nullptr, true);
      spec.type = type.value_or(Type::of(Kind::text));
      check_field_options(field, spec);
      source.schema.fields.push_back(std::move(spec));
    }
    if (decl.is_roster) {
      if (m_.roster >= 0) {
        error(decl.name_span, "a plan has one roster; `" + decl.name + "` is a second one");
      } else {
        m_.roster = static_cast<int>(m_.sources.size());
      }
    }
    m_.sources.push_back(std::move(source));
  }
  source_used_.assign(m_.sources.size(), false);
  if (m_.roster >= 0) {
    SourceModel& roster = m_.sources[m_.roster];
    source_used_[m_.roster] = true;
    const auto& fields = roster.schema.fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].key && m_.roster_key < 0) m_.roster_key = static_cast<int>(i);
      if (fields[i].name == "role") m_.roster_role = static_cast<int>(i);
    }
    if (m_.roster_key < 0) {
      for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == "id") m_.roster_key = static_cast<int>(i);
      if (m_.roster_key >= 0) roster.schema.fields[m_.roster_key].key = true;
    }
    if (m_.roster_key < 0)
      error(roster.decl->name_span, "the roster `" + roster.decl->name + "` has no key field",
            "mark the payee id field with `key`, e.g. `id: text key`");
    else if (fields[m_.roster_key].type.kind != Kind::text &&
             fields[m_.roster_key].type.kind != Kind::payee)
      error(roster.decl->fields[m_.roster_key].type.span, "the roster key must be text");
  }
}

void Checker::check_source_options(const ast::SourceDecl& decl, SourceSchema& schema) {
  for (const ast::FieldOption& option : decl.options) {
    if (option.name == "no header" || option.name == "no_header" ||
        (option.name == "header" && !option.values.empty() && option.values[0] == "no")) {
      schema.header = false;
    } else if (option.name == "encoding" && option.values.size() == 1) {
      std::string encoding = option.values[0];
      std::transform(encoding.begin(), encoding.end(), encoding.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (encoding == "utf8") encoding = "utf-8";
      if (encoding == "cp1252" || encoding == "windows1252") encoding = "windows-1252";
      if (encoding != "utf-8" && encoding != "windows-1252")
        error(option.span, "unsupported encoding \"" + option.values[0] + "\"",
              "use \"utf-8\" or \"windows-1252\"");
      schema.encoding = encoding;
    } else if (option.name == "delimiter" && option.values.size() == 1) {
      const std::string& d = option.values[0];
      if (d == "\\t" || d == "tab")
        schema.delimiter = '\t';
      else if (d.size() == 1 && d[0] != '"' && d[0] != '\n' && d[0] != '\r')
        schema.delimiter = d[0];
      else
        error(option.span, "the delimiter must be one character, found \"" + d + "\"");
    } else {
      error(option.span, "unknown source option `" + option.name + "`",
            "source options are `no header`, `encoding \"windows-1252\"` and `delimiter \";\"`");
    }
  }
}

void Checker::check_field_options(const ast::FieldDecl& field, FieldSpec& spec) {
  auto expect_values = [&](const ast::FieldOption& option, std::size_t count) {
    if (option.values.size() == count) return true;
    error(option.span,
          "`" + option.name + "` takes " +
              (count == 0 ? std::string("no value") : std::to_string(count) + " value"));
    return false;
  };
  for (const ast::FieldOption& option : field.options) {
    if (option.name == "key") {
      if (expect_values(option, 0)) spec.key = true;
      if (spec.type.optional) error(option.span, "a key field cannot be optional");
    } else if (option.name == "from") {
      if (expect_values(option, 1)) spec.from = option.values[0];
    } else if (option.name == "at") {
      if (expect_values(option, 1)) {
        const auto n = Decimal::parse(option.values[0]);
        const auto position = n ? n->to_int64() : std::nullopt;
        if (!position || *position < 1 || *position > 100000)
          error(option.span, "`at` needs a column position from 1, found " + option.values[0]);
        else
          spec.position = static_cast<int>(*position);
      }
    } else if (option.name == "null") {
      if (option.values.empty())
        error(option.span, "`null` needs at least one value, e.g. null \"NULL\"");
      spec.nulls.insert(spec.nulls.end(), option.values.begin(), option.values.end());
      if (!spec.type.optional)
        error(option.span, "field `" + field.name + "` lists null values but is not optional",
              "write its type with a `?`, e.g. `" + type_name(spec.type) + "?`");
    } else if (option.name == "sep") {
      if (expect_values(option, 1)) spec.separator = option.values[0];
      if (spec.type.kind != Kind::list) error(option.span, "`sep` applies only to list fields");
    } else if (option.name == "format") {
      if (expect_values(option, 1)) spec.format = option.values[0];
      const Kind k = spec.type.kind;
      if (k != Kind::date && k != Kind::money && k != Kind::decimal && k != Kind::percent)
        error(option.span, "`format` applies only to date, money, decimal and percent fields");
    } else if (option.name == "trim") {
      if (expect_values(option, 0)) spec.trim = true;
    } else {
      static const std::vector<std::string> known{"key", "from",   "at",  "null",
                                                  "sep", "format", "trim"};
      error(option.span, "unknown field option `" + option.name + "`",
            did_you_mean(option.name, known));
    }
  }
  if (spec.type.kind == Kind::list && spec.separator.empty()) spec.separator = "|";
}

int Checker::find_source(const std::string& name) const {
  for (std::size_t i = 0; i < m_.sources.size(); ++i)
    if (m_.sources[i].schema.name == name) return static_cast<int>(i);
  return -1;
}
std::vector<std::string> Checker::source_names() const {
  std::vector<std::string> names;
  for (const auto& s : m_.sources) names.push_back(s.schema.name);
  return names;
}
std::vector<std::string> Checker::field_names(int source) const {
  std::vector<std::string> names;
  for (const auto& f : m_.sources[source].schema.fields) names.push_back(f.name);
  return names;
}
int Checker::find_field(int source, const std::string& name) const {
  const auto& fields = m_.sources[source].schema.fields;
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return static_cast<int>(i);
  return -1;
}

}  // namespace checking

CheckOutput check_plan(ast::Plan plan) {
  CheckOutput out;
  out.model = std::make_unique<PlanModel>();
  out.model->ast = std::move(plan);
  checking::Checker checker(*out.model);
  checker.check_whole_plan();
  out.diagnostics = std::move(checker.diagnostics);
  return out;
}

std::vector<Diagnostic> check_constant_expression(PlanModel& model, const ast::Expr& expr) {
  checking::Checker checker(model);
  checker.adopt_checked_model();
  checking::Scope scope;
  scope.context = Context::constant;
  checker.check(expr, scope);
  return std::move(checker.diagnostics);
}

std::vector<Diagnostic> check_session_expression(PlanModel& model, const ast::Expr& expr,
                                                 const std::string& example_arguments) {
  checking::Checker checker(model);
  checker.adopt_checked_model();
  checking::Scope scope;
  scope.context = Context::constant;
  scope.in_test = true;
  scope.session_call = &example_arguments;
  checker.check(expr, scope);
  return std::move(checker.diagnostics);
}

}  // namespace tally
