#include "interpreter/checker.hpp"

#include <algorithm>
#include <functional>
#include <string>
#include <unordered_map>

#include "interpreter/bytecode.hpp"
#include "interpreter/runtime/spelling.hpp"
#include "interpreter/type_rules.hpp"
#include "stdlib/builtins.hpp"

namespace tally {

bool CheckOutput::ok() const {
  return std::none_of(diagnostics.begin(), diagnostics.end(),
                      [](const Diagnostic& d) { return d.severity == Severity::error; });
}

namespace {

/// What the expression being checked may refer to.
struct Scope {
  Context context = Context::constant;
  int source = -1;           ///< the row's source (row and credit contexts)
  std::string row_name;      ///< `deal`
  bool in_measure = false;   ///< aggregates are allowed
  bool per_payee = false;    ///< set when the expression needs the payee-period context
  std::vector<int>* dependencies = nullptr;  ///< values referenced
};

std::string singular(const std::string& name) {
  if (name.size() > 1 && name.back() == 's') return name.substr(0, name.size() - 1);
  return name;
}

class Checker {
 public:
  explicit Checker(PlanModel& model) : m_(model) {}

  std::vector<Diagnostic> diagnostics;

  void check_whole_plan() {
    check_header();
    check_sources();
    declare_values();  // rules may name constant lets, declared further down
    check_rules();
    check_values();
    check_payouts();
    order_values();
    warn_unused();
  }

  Type check(const ast::Expr& e, Scope& scope) {
    Type type = check_node(e, scope);
    auto& slot = m_.info[&e];
    slot.type = type;
    return type;
  }

 private:
  PlanModel& m_;
  // value checking state: 0 = not yet, 1 = in progress, 2 = done
  std::vector<int> value_state_;
  std::vector<std::vector<int>> value_deps_;
  std::vector<bool> value_used_;
  std::vector<bool> source_used_;
  std::unordered_map<std::string, int> value_index_;
  std::string credited_row_name_;  // `deal` inside aggregates

  // ------------------------------------------------------------ reporting

  Location locate(Span span) const {
    if (!m_.ast.file) return {};
    Location where = m_.ast.file->locate(span.begin);
    where.length = static_cast<int>(span.end > span.begin ? span.end - span.begin : 1);
    return where;
  }
  void error(Span span, std::string message, std::string hint = {}) {
    diagnostics.push_back({Severity::error, Error{locate(span), std::move(message), std::move(hint)}});
  }
  void warning(Span span, std::string message, std::string hint = {}) {
    diagnostics.push_back(
        {Severity::warning, Error{locate(span), std::move(message), std::move(hint)}});
  }
  std::string text_of(const ast::Expr& e) const {
    if (!m_.ast.file) return "...";
    const std::string& text = m_.ast.file->text();
    if (e.span.end > text.size() || e.span.begin >= e.span.end) return "...";
    return text.substr(e.span.begin, e.span.end - e.span.begin);
  }
  static std::string did_you_mean(const std::string& word, const std::vector<std::string>& names) {
    if (auto best = closest_match(word, names)) return "did you mean `" + *best + "`?";
    return {};
  }

  // ------------------------------------------------------------ header

  void check_header() {
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
        error(h.calendar_span, "unknown period length `" + h.grain + "`; expected month, quarter, half or year",
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
          error(h.calendar_span, "a fiscal year must start on the first day of a month, found " + h.year_start);
        m_.calendar.start_month = civil.month;
        const int year = m_.calendar.year_of(*start);
        if (!h.fiscal_year_label.empty() && h.fiscal_year_label != "FY" + std::to_string(year))
          error(h.calendar_span,
                "a fiscal year starting " + h.year_start + " ends in " +
                    std::to_string(year) + " and is named FY" +
                    std::to_string(year) + ", not " + h.fiscal_year_label,
                "fiscal years are named after the calendar year in which they end");
      }
    }
    if (!h.rounding_mode.empty()) {
      if (auto mode = parse_rounding_mode(h.rounding_mode))
        m_.rounding = *mode;
      else
        error(h.rounding_span, "unknown rounding mode `" + h.rounding_mode + "`",
              "use one of half_even, half_up, half_down, down, up, floor, ceiling");
      if (!h.rounding_quantum.empty()) {
        auto quantum = Decimal::parse(h.rounding_quantum, true);
        if (!quantum || quantum->sign() <= 0)
          error(h.rounding_span, "the rounding quantum must be a positive number, found " + h.rounding_quantum);
        else
          m_.rounding_quantum = *quantum;
      }
    }
  }

  // ------------------------------------------------------------ sources

  std::optional<Type> resolve_type(const ast::TypeRef& ref) {
    static const std::vector<std::string> names{"bool", "int", "decimal", "money", "percent", "date",
                                                "period", "text", "payee", "territory", "list"};
    Type type;
    if (ref.name == "bool") type = Type::of(Kind::boolean);
    else if (ref.name == "int") type = Type::of(Kind::integer);
    else if (ref.name == "decimal") type = Type::of(Kind::decimal);
    else if (ref.name == "money") type = Type::money_in(ref.currency.empty() ? m_.currency : ref.currency);
    else if (ref.name == "percent") type = Type::of(Kind::percent);
    else if (ref.name == "date") type = Type::of(Kind::date);
    else if (ref.name == "period") type = Type::of(Kind::period);
    else if (ref.name == "text") type = Type::of(Kind::text);
    else if (ref.name == "payee") type = Type::of(Kind::payee);
    else if (ref.name == "territory") type = Type::of(Kind::territory);
    else if (ref.name == "list") {
      if (!ref.element || ref.element->name != "text") {
        error(ref.span, "only list<text> is supported in a source");
        return std::nullopt;
      }
      type = Type::list_of(Type::of(Kind::text));
    } else {
      error(ref.span, "unknown type `" + ref.name + "`", did_you_mean(ref.name, names));
      return std::nullopt;
    }
    type.optional = ref.optional;
    return type;
  }

  void check_sources() {
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
          error(field.name_span, "field `" + field.name + "` is declared twice in `" + decl.name + "`");
          continue;
        }
        FieldSpec spec;
        spec.name = field.name;
        auto type = resolve_type(field.type);
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

  void check_source_options(const ast::SourceDecl& decl, SourceSchema& schema) {
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
        if (d == "\\t" || d == "tab") schema.delimiter = '\t';
        else if (d.size() == 1 && d[0] != '"' && d[0] != '\n' && d[0] != '\r') schema.delimiter = d[0];
        else error(option.span, "the delimiter must be one character, found \"" + d + "\"");
      } else {
        error(option.span, "unknown source option `" + option.name + "`",
              "source options are `no header`, `encoding \"windows-1252\"` and `delimiter \";\"`");
      }
    }
  }

  void check_field_options(const ast::FieldDecl& field, FieldSpec& spec) {
    auto expect_values = [&](const ast::FieldOption& option, std::size_t count) {
      if (option.values.size() == count) return true;
      error(option.span, "`" + option.name + "` takes " +
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
        if (option.values.empty()) error(option.span, "`null` needs at least one value, e.g. null \"NULL\"");
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
        static const std::vector<std::string> known{"key", "from", "at", "null", "sep", "format", "trim"};
        error(option.span, "unknown field option `" + option.name + "`", did_you_mean(option.name, known));
      }
    }
    if (spec.type.kind == Kind::list && spec.separator.empty()) spec.separator = "|";
  }

  int find_source(const std::string& name) const {
    for (std::size_t i = 0; i < m_.sources.size(); ++i)
      if (m_.sources[i].schema.name == name) return static_cast<int>(i);
    return -1;
  }
  std::vector<std::string> source_names() const {
    std::vector<std::string> names;
    for (const auto& s : m_.sources) names.push_back(s.schema.name);
    return names;
  }
  std::vector<std::string> field_names(int source) const {
    std::vector<std::string> names;
    for (const auto& f : m_.sources[source].schema.fields) names.push_back(f.name);
    return names;
  }
  int find_field(int source, const std::string& name) const {
    const auto& fields = m_.sources[source].schema.fields;
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (fields[i].name == name) return static_cast<int>(i);
    return -1;
  }

  // ------------------------------------------------------------ credit rules

  void check_rules() {
    std::unordered_map<std::string, Span> seen;
    for (const ast::CreditDecl& decl : m_.ast.credits) {
      if (auto [it, fresh] = seen.emplace(decl.name, decl.name_span); !fresh)
        error(decl.name_span, "credit rule `" + decl.name + "` is already declared at line " +
                                  std::to_string(locate(it->second).line));
      CreditRuleModel rule;
      rule.decl = &decl;
      rule.source = find_source(decl.source);
      if (rule.source < 0) {
        error(decl.source_span, "unknown source `" + decl.source + "`", did_you_mean(decl.source, source_names()));
        m_.rules.push_back(rule);
        continue;
      }
      if (rule.source == m_.roster)
        error(decl.source_span, "credit rules read transactions, not the roster `" + decl.source + "`");
      source_used_[rule.source] = true;
      rule.row_name = decl.row_name.empty() ? singular(decl.source) : decl.row_name;
      if (m_.roster < 0) error(decl.name_span, "credit rules need a roster of payees", "declare one, e.g. `roster payees { id: text key, name: text, role: text }`");

      Scope scope;
      scope.context = Context::row;
      scope.source = rule.source;
      scope.row_name = rule.row_name;
      if (decl.amount) {
        const Type t = check(*decl.amount, scope);
        if (t.kind != Kind::error && t.kind != Kind::money)
          error(decl.amount->span, "the credited amount must be money, found " + type_name(t));
      } else {
        rule.amount_field = find_field(rule.source, "amount");
        if (rule.amount_field < 0) {
          const auto& fields = m_.sources[rule.source].schema.fields;
          for (std::size_t i = 0; i < fields.size(); ++i)
            if (fields[i].type.kind == Kind::money) {
              if (rule.amount_field >= 0) {
                rule.amount_field = -2;  // ambiguous
                break;
              }
              rule.amount_field = static_cast<int>(i);
            }
        }
        if (rule.amount_field < 0)
          error(decl.source_span, "which field of `" + decl.source + "` is the amount to credit?",
                "name it with an `amount` clause, e.g. `credit " + decl.name + " from " + decl.source +
                    " amount " + rule.row_name + ".value ...`");
        else if (m_.sources[rule.source].schema.fields[rule.amount_field].type.kind != Kind::money)
          error(decl.source_span, "field `amount` of `" + decl.source + "` must be money to be credited");
        else if (m_.sources[rule.source].schema.fields[rule.amount_field].type.optional)
          error(decl.source_span, "the credited amount `" + m_.sources[rule.source].schema.fields[rule.amount_field].name + "` must not be optional");
      }
      if (decl.where) expect_kind(*decl.where, scope, Kind::boolean, "the `where` condition");
      if (!decl.on) error(decl.span, "the credit rule `" + decl.name + "` needs an `on` date, e.g. `on deal.close_date`");
      else expect_kind(*decl.on, scope, Kind::date, "the credit date after `on`");
      for (const ast::CreditLine& line : decl.lines) {
        const Type payee = check(*line.payee, scope);
        if (payee.kind != Kind::error && payee.kind != Kind::payee && payee.kind != Kind::text)
          error(line.payee->span, "who gets credit must be a payee, found " + type_name(payee));
        const Type share = check(*line.share, scope);
        if (share.kind != Kind::error && share.kind != Kind::percent && share.kind != Kind::decimal)
          error(line.share->span, "the share after `gets` must be a percent, found " + type_name(share),
                "write it like `100%` or `50%`");
        if (line.kind == ast::CreditKind::rollup)
          error(line.span, "`rollup` credit is not supported yet", "this version supports direct, split and overlay credit");
      }
      if (decl.lines.empty()) warning(decl.span, "credit rule `" + decl.name + "` credits nobody");
      m_.rules.push_back(std::move(rule));
    }
  }

  void expect_kind(const ast::Expr& e, Scope& scope, Kind kind, const std::string& what) {
    const Type t = check(e, scope);
    if (t.kind != Kind::error && t.kind != kind)
      error(e.span, what + " must be " + type_name(Type::of(kind)) + ", found " + type_name(t));
  }

  // ------------------------------------------------------------ values

  void declare_values() {
    for (const ast::CreditDecl& decl : m_.ast.credits) {
      const int source = find_source(decl.source);
      if (source >= 0 && source != m_.roster) {
        m_.credited_source = source;
        credited_row_name_ = decl.row_name.empty() ? singular(decl.source) : decl.row_name;
        break;
      }
    }
    for (const ast::ValueDecl& decl : m_.ast.values) {
      const int index = static_cast<int>(m_.values.size());
      if (value_index_.count(decl.name) || find_source(decl.name) >= 0) {
        error(decl.name_span, "`" + decl.name + "` is already declared");
      } else {
        value_index_[decl.name] = index;
      }
      ValueModel value;
      value.decl = &decl;
      m_.values.push_back(value);
    }
    value_state_.assign(m_.values.size(), 0);
    value_deps_.assign(m_.values.size(), {});
    value_used_.assign(m_.values.size(), false);
  }

  void check_values() {
    for (std::size_t i = 0; i < m_.values.size(); ++i) check_value(static_cast<int>(i));
  }

  void check_value(int index) {
    if (value_state_[index] == 2) return;
    ValueModel& value = m_.values[index];
    if (value_state_[index] == 1) {
      error(value.decl->name_span, "`" + value.decl->name + "` is defined in terms of itself");
      value.type = Type::of(Kind::error);
      return;
    }
    value_state_[index] = 1;
    const ast::ValueDecl& decl = *value.decl;
    Scope scope;
    scope.context = Context::payee_period;
    scope.in_measure = decl.is_measure;
    scope.dependencies = &value_deps_[index];
    Type type = decl.value ? check(*decl.value, scope) : Type::of(Kind::error);
    value.per_payee = scope.per_payee || decl.is_measure;
    if (decl.type) {
      if (auto declared = resolve_type(*decl.type)) {
        if (!assignable(type, *declared))
          error(decl.value->span, "`" + decl.name + "` is declared " + type_name(*declared) +
                                      " but its value is " + type_name(type));
        type = *declared;
      }
    }
    value.type = type;
    value_state_[index] = 2;
  }

  void order_values() {
    std::vector<int> state(m_.values.size(), 0);
    std::function<void(int)> visit = [&](int i) {
      if (state[i]) return;
      state[i] = 1;
      for (int dep : value_deps_[i]) visit(dep);
      m_.value_order.push_back(i);
    };
    for (std::size_t i = 0; i < m_.values.size(); ++i) visit(static_cast<int>(i));
  }

  // ------------------------------------------------------------ payouts

  void check_payouts() {
    std::unordered_map<std::string, Span> seen;
    for (const ast::PayoutDecl& decl : m_.ast.payouts) {
      if (auto [it, fresh] = seen.emplace(decl.name, decl.name_span); !fresh || value_index_.count(decl.name))
        error(decl.name_span, "`" + decl.name + "` is already declared");
      std::vector<int> dependencies;
      Scope scope;
      scope.context = Context::payee_period;
      scope.dependencies = &dependencies;
      if (decl.for_role) {
        if (m_.roster_role < 0 && m_.roster >= 0)
          error(decl.for_role->span, "`for role` needs a `role` field in the roster `" +
                                         m_.sources[m_.roster].schema.name + "`");
        else
          expect_kind(*decl.for_role, scope, Kind::boolean, "the `for role` guard");
      }
      if (decl.when) expect_kind(*decl.when, scope, Kind::boolean, "the `when` guard");
      const Type money = Type::money_in(m_.currency);
      auto expect_money = [&](const ast::Expr& e, const std::string& what) {
        const Type t = check(e, scope);
        if (t.kind == Kind::error) return;
        if (t.kind != Kind::money)
          error(e.span, what + " must be money, found " + type_name(t),
                t.is_numeric() ? "multiply by a money amount, or write the currency: `500 " + m_.currency + "`" : "");
        else if (t.currency != m_.currency)
          error(e.span, what + " is in " + t.currency + " but the plan pays in " + m_.currency);
      };
      if (decl.value) expect_money(*decl.value, "the payout `" + decl.name + "`");
      if (decl.cap) expect_money(*decl.cap, "the cap");
      if (decl.floor) expect_money(*decl.floor, "the floor");
      m_.payouts.push_back(PayoutModel{&decl});
    }
    if (m_.ast.payouts.empty() && m_.ast.header)
      warning(m_.ast.header->span, "the plan declares no payout, so it pays nothing");
  }

  void warn_unused() {
    for (std::size_t i = 0; i < m_.values.size(); ++i)
      if (!value_used_[i])
        warning(m_.values[i].decl->name_span,
                std::string(m_.values[i].decl->is_measure ? "measure" : "value") + " `" +
                    m_.values[i].decl->name + "` is never used");
    for (std::size_t i = 0; i < m_.sources.size(); ++i)
      if (!source_used_[i])
        warning(m_.sources[i].decl->name_span, "source `" + m_.sources[i].schema.name + "` is never used");
  }

  // ------------------------------------------------------------ expressions

  Type check_node(const ast::Expr& e, Scope& scope) {
    switch (e.kind) {
      case ast::ExprKind::number: {
        const auto value = Decimal::parse(e.text, true);
        if (!value) {
          error(e.span, "`" + e.text + "` is not a number");
          return Type::of(Kind::error);
        }
        const bool integral = e.text.find_first_of(".eE") == std::string::npos;
        if (integral && value->to_int64()) return Type::of(Kind::integer);
        return Type::of(Kind::decimal);
      }
      case ast::ExprKind::percent:
        if (!Decimal::parse(e.text, true)) error(e.span, "`" + e.text + "%` is not a percent");
        return Type::of(Kind::percent);
      case ast::ExprKind::money:
        if (!Decimal::parse(e.text, true)) error(e.span, "`" + e.text + "` is not an amount");
        return Type::money_in(e.unit);
      case ast::ExprKind::date:
        if (!parse_iso_date(e.text)) {
          error(e.span, "`" + e.text + "` is not a valid date");
          return Type::of(Kind::error);
        }
        return Type::of(Kind::date);
      case ast::ExprKind::period:
        return check_period_literal(e);
      case ast::ExprKind::string:
        return Type::of(Kind::text);
      case ast::ExprKind::boolean:
        return Type::of(Kind::boolean);
      case ast::ExprKind::name:
        return check_name(e, scope);
      case ast::ExprKind::member:
        return check_member(e, scope);
      case ast::ExprKind::call:
        return check_call(e, scope);
      case ast::ExprKind::unary: {
        const Type operand = check(*e.args[0], scope);
        const TypeVerdict verdict = unary_type(e.op, operand);
        if (!verdict.error.empty()) error(e.span, verdict.error, verdict.hint);
        return verdict.type;
      }
      case ast::ExprKind::binary:
        return check_binary(e, scope);
      case ast::ExprKind::set:
      case ast::ExprKind::range:
        error(e.span, std::string(e.kind == ast::ExprKind::set ? "a set" : "a range") +
                          " can only be used after `in`",
              "e.g. `deal.state in {\"CA\", \"OR\"}`");
        return Type::of(Kind::error);
      case ast::ExprKind::filter:
        error(e.span, "`where` filters only apply inside sum(...), count(...), avg(...), min(...) or max(...)");
        return Type::of(Kind::error);
      case ast::ExprKind::null:
      case ast::ExprKind::record:
      case ast::ExprKind::distinct:
      case ast::ExprKind::within:
      case ast::ExprKind::unless:
        error(e.span, "this expression is not supported yet");
        return Type::of(Kind::error);
    }
    return Type::of(Kind::error);
  }

  Type check_period_literal(const ast::Expr& e) {
    const bool bare = !e.text.empty() && (e.text[0] == 'Q' || e.text[0] == 'H' || e.text[0] == 'M');
    const auto period = parse_period(e.text, m_.calendar, bare ? std::optional<int>(2000) : std::nullopt);
    if (!period) {
      error(e.span, "`" + e.text + "` is not a " + std::string(grain_name(m_.calendar.grain)) +
                        " of this plan's " + (m_.calendar.fiscal ? "fiscal" : "calendar") + " year",
            m_.calendar.fiscal ? "fiscal plans write periods like FY2027-Q1" : "calendar plans write periods like 2026-Q1");
      return Type::of(Kind::error);
    }
    return Type::of(Kind::period);
  }

  void note_value_use(int index, Scope& scope) {
    value_used_[index] = true;
    check_value(index);
    if (scope.dependencies) scope.dependencies->push_back(index);
  }

  Type check_name(const ast::Expr& e, Scope& scope) {
    ExprInfo& info = m_.info[&e];
    const std::string& name = e.text;
    const bool in_rows = scope.context == Context::row || scope.context == Context::credit;
    if (in_rows && name == scope.row_name) {
      info.binding = Binding::row_variable;
      error(e.span, "`" + name + "` is a whole row; use one of its fields",
            "e.g. `" + name + "." + (field_names(scope.source).empty() ? "amount" : field_names(scope.source)[0]) + "`");
      return Type::of(Kind::error);
    }
    if (scope.context == Context::credit && name == "credit") {
      info.binding = Binding::credit_variable;
      return Type::of(Kind::record);
    }
    if (scope.context == Context::credit || scope.context == Context::payee_period) {
      static const std::vector<std::string> kinds{"direct", "split", "overlay", "rollup"};
      if (scope.context == Context::credit)
        if (auto it = std::find(kinds.begin(), kinds.end(), name); it != kinds.end()) {
          info.binding = Binding::credit_kind;
          info.index = static_cast<int>(it - kinds.begin());
          return Type::of(Kind::text);
        }
    }
    if (scope.context == Context::payee_period) {
      if (name == "payee") {
        info.binding = Binding::payee_variable;
        scope.per_payee = true;
        return Type::of(Kind::payee);
      }
      if (name == "period") {
        info.binding = Binding::period;
        scope.per_payee = true;
        return Type::of(Kind::period);
      }
      if (name == "role" && m_.roster_role >= 0) {
        info.binding = Binding::payee_field;
        info.index = m_.roster_role;
        scope.per_payee = true;
        return m_.sources[m_.roster].schema.fields[m_.roster_role].type;
      }
    }
    if (auto it = value_index_.find(name); it != value_index_.end()) {
      const int index = it->second;
      if (m_.values[index].decl->is_measure && scope.context != Context::payee_period) {
        value_used_[index] = true;
        error(e.span, "measure `" + name + "` is computed per payee and period, so it cannot be used here");
        return Type::of(Kind::error);
      }
      note_value_use(index, scope);
      const ValueModel& value = m_.values[index];
      if (value.per_payee && scope.context != Context::payee_period) {
        error(e.span, std::string(value.decl->is_measure ? "measure" : "value") + " `" + name +
                          "` is computed per payee and period, so it cannot be used here");
        return Type::of(Kind::error);
      }
      if (value.per_payee) scope.per_payee = true;
      info.binding = Binding::value;
      info.index = index;
      return value.type;
    }
    if (parse_rounding_mode(name)) {
      error(e.span, "`" + name + "` is a rounding mode; it can only be the last argument of round(...)");
      return Type::of(Kind::error);
    }
    std::vector<std::string> candidates;
    for (const auto& [n, i] : value_index_) candidates.push_back(n);
    std::sort(candidates.begin(), candidates.end());
    if (in_rows) candidates.push_back(scope.row_name);
    if (scope.context == Context::payee_period) {
      candidates.push_back("payee");
      candidates.push_back("period");
      if (m_.roster_role >= 0) candidates.push_back("role");
    }
    if (scope.context == Context::credit) candidates.push_back("credit");
    error(e.span, "unknown name `" + name + "`", did_you_mean(name, candidates));
    return Type::of(Kind::error);
  }

  Type check_member(const ast::Expr& e, Scope& scope) {
    const ast::Expr& object = *e.args[0];
    ExprInfo& info = m_.info[&e];
    const bool in_rows = scope.context == Context::row || scope.context == Context::credit;
    if (object.kind == ast::ExprKind::name && in_rows && object.text == scope.row_name) {
      m_.info[&object] = ExprInfo{Type::of(Kind::record), Binding::row_variable, -1};
      const int field = find_field(scope.source, e.text);
      if (field < 0) {
        error(e.span, "`" + m_.sources[scope.source].schema.name + "` has no field `" + e.text + "`",
              did_you_mean(e.text, field_names(scope.source)));
        return Type::of(Kind::error);
      }
      const Type& type = m_.sources[scope.source].schema.fields[field].type;
      if (type.optional) {
        error(e.span, "field `" + e.text + "` is optional (" + type_name(type) + ") and may be empty; "
                      "this version cannot use optional fields in expressions yet");
        return Type::of(Kind::error);
      }
      info.binding = scope.context == Context::row ? Binding::row_field : Binding::credit_row_field;
      info.index = field;
      return type;
    }
    if (object.kind == ast::ExprKind::name && scope.context == Context::credit && object.text == "credit") {
      m_.info[&object] = ExprInfo{Type::of(Kind::record), Binding::credit_variable, -1};
      static const std::vector<std::string> attributes{"amount", "share", "kind", "date", "period"};
      const auto it = std::find(attributes.begin(), attributes.end(), e.text);
      if (it == attributes.end()) {
        error(e.span, "a credit has no attribute `" + e.text + "`",
              "credits have amount, share, kind, date and period");
        return Type::of(Kind::error);
      }
      info.binding = Binding::credit_attribute;
      info.index = static_cast<int>(it - attributes.begin());
      switch (static_cast<CreditAttr>(info.index)) {
        case CreditAttr::amount: return Type::money_in(credited_currency());
        case CreditAttr::share: return Type::of(Kind::percent);
        case CreditAttr::kind: return Type::of(Kind::text);
        case CreditAttr::date: return Type::of(Kind::date);
        case CreditAttr::period: return Type::of(Kind::period);
      }
    }
    if (object.kind == ast::ExprKind::name && scope.context == Context::payee_period && object.text == "payee" &&
        m_.roster >= 0) {
      m_.info[&object] = ExprInfo{Type::of(Kind::payee), Binding::payee_variable, -1};
      scope.per_payee = true;
      const int field = find_field(m_.roster, e.text);
      if (field < 0) {
        error(e.span, "the roster has no field `" + e.text + "`", did_you_mean(e.text, field_names(m_.roster)));
        return Type::of(Kind::error);
      }
      const Type& type = m_.sources[m_.roster].schema.fields[field].type;
      if (type.optional) {
        error(e.span, "roster field `" + e.text + "` is optional and may be empty; "
                      "this version cannot use optional fields in expressions yet");
        return Type::of(Kind::error);
      }
      info.binding = Binding::payee_field;
      info.index = field;
      return type;
    }
    const Type object_type = check(object, scope);
    if (object_type.kind != Kind::error)
      error(object.span, "`" + text_of(object) + "` has no fields");
    return Type::of(Kind::error);
  }

  std::string credited_currency() const {
    for (const auto& rule : m_.rules) {
      if (rule.source < 0) continue;
      if (rule.decl->amount) {
        auto it = m_.info.find(rule.decl->amount.get());
        if (it != m_.info.end() && it->second.type.kind == Kind::money) return it->second.type.currency;
      } else if (rule.amount_field >= 0) {
        return m_.sources[rule.source].schema.fields[rule.amount_field].type.currency;
      }
    }
    return m_.currency;
  }

  Type check_binary(const ast::Expr& e, Scope& scope) {
    const ast::Expr& left = *e.args[0];
    const ast::Expr& right = *e.args[1];
    const Type left_type = check(left, scope);
    Type right_type;
    if (e.op == ast::Op::in || e.op == ast::Op::not_in) {
      right_type = check_collection(right, scope);
    } else {
      right_type = check(right, scope);
    }
    const TypeVerdict verdict = binary_type(e.op, left_type, right_type, text_of(left), text_of(right));
    if (!verdict.error.empty()) error(e.span, verdict.error, verdict.hint);
    return verdict.type;
  }

  /// The right side of `in`: a set of constants or a range; typed list<element>.
  Type check_collection(const ast::Expr& e, Scope& scope) {
    ExprInfo& info = m_.info[&e];
    if (e.kind != ast::ExprKind::set && e.kind != ast::ExprKind::range) {
      error(e.span, "`in` needs a set like {\"CA\", \"OR\"} or a range like 50% .. 100%");
      info.type = Type::of(Kind::error);
      return info.type;
    }
    Type element = Type::of(Kind::error);
    for (const auto& item : e.args) {
      const ast::Expr* literal = item.get();
      if (literal->kind == ast::ExprKind::unary && literal->op == ast::Op::neg) literal = literal->args[0].get();
      const bool constant = literal->kind == ast::ExprKind::string || literal->kind == ast::ExprKind::number ||
                            literal->kind == ast::ExprKind::percent || literal->kind == ast::ExprKind::money;
      const Type t = check(*item, scope);
      if (!constant) {
        error(item->span, "the members of a set or range must be written out (text, numbers, percents or money)");
        continue;
      }
      if (element.kind == Kind::error) {
        element = t;
      } else if (!(element.kind == t.kind && element.currency == t.currency) &&
                 !(element.is_numeric() && t.is_numeric() && element.kind != Kind::money && t.kind != Kind::money)) {
        error(item->span, "a set mixes " + type_name(element) + " and " + type_name(t));
      }
    }
    if (e.kind == ast::ExprKind::range && element.kind != Kind::error && !element.is_numeric())
      error(e.span, "a range needs numbers, percents or money");
    info.type = element.kind == Kind::error && e.args.empty() ? Type::list_of(Type::of(Kind::error))
                                                               : Type::list_of(element);
    return info.type;
  }

  Type check_call(const ast::Expr& e, Scope& scope) {
    const std::string& name = e.text;
    const std::size_t argc = e.args.size();
    for (const auto& n : e.arg_names)
      if (!n.empty()) {
        error(e.span, "`" + name + "` takes no named argument `" + n + "`");
        return Type::of(Kind::error);
      }
    if (const auto aggregate = aggregate_kind(name); aggregate && argc == 1)
      return check_aggregate(e, *aggregate, scope);
    const Builtin* builtin = find_builtin(name);
    if (!builtin) {
      std::vector<std::string> names = builtin_names();
      error(e.span, "unknown function `" + name + "`", did_you_mean(name, names));
      return Type::of(Kind::error);
    }
    if (static_cast<int>(argc) < builtin->min_args || static_cast<int>(argc) > builtin->max_args) {
      error(e.span, "`" + name + "` takes " + builtin->signature);
      return Type::of(Kind::error);
    }
    if (builtin->id == BuiltinId::round) {
      const Type x = check(*e.args[0], scope);
      const Type q = check(*e.args[1], scope);
      if (x.kind != Kind::error && !x.is_numeric()) error(e.args[0]->span, "round(...) needs a number, found " + type_name(x));
      if (q.kind != Kind::error && !q.is_numeric()) error(e.args[1]->span, "the rounding quantum must be a number, found " + type_name(q));
      if (q.kind == Kind::money && x.kind == Kind::money && q.currency != x.currency)
        error(e.args[1]->span, "the quantum is in " + q.currency + " but the value in " + x.currency);
      if (argc == 3) {
        const ast::Expr& mode = *e.args[2];
        ExprInfo& mode_info = m_.info[&mode];
        const auto parsed = mode.kind == ast::ExprKind::name ? parse_rounding_mode(mode.text) : std::nullopt;
        if (!parsed) {
          static const std::vector<std::string> modes{"half_even", "half_up", "half_down", "down", "up", "floor", "ceiling"};
          error(mode.span, "the rounding mode must be one of half_even, half_up, half_down, down, up, floor, ceiling",
                mode.kind == ast::ExprKind::name ? did_you_mean(mode.text, modes) : "");
        } else {
          mode_info.binding = Binding::rounding_mode;
          mode_info.index = static_cast<int>(*parsed);
        }
      }
      return x;
    }
    std::vector<Type> types;
    for (const auto& arg : e.args) types.push_back(check(*arg, scope));
    switch (builtin->id) {
      case BuiltinId::min:
      case BuiltinId::max: {
        const TypeVerdict verdict = binary_type(ast::Op::lt, types[0], types[1], text_of(*e.args[0]), text_of(*e.args[1]));
        if (!verdict.error.empty()) {
          error(e.span, name + "(...) " + verdict.error, verdict.hint);
          return Type::of(Kind::error);
        }
        if (!types[0].is_numeric()) {
          error(e.span, name + "(...) needs numbers or money, found " + type_name(types[0]));
          return Type::of(Kind::error);
        }
        if (types[0].kind == Kind::money) return types[0];
        return binary_type(ast::Op::add, types[0], types[1], "", "").type;
      }
      case BuiltinId::abs:
        if (types[0].kind != Kind::error && !types[0].is_numeric())
          error(e.span, "abs(...) needs a number, found " + type_name(types[0]));
        return types[0];
      case BuiltinId::period_of:
        if (types[0].kind != Kind::error && types[0].kind != Kind::date)
          error(e.span, "period_of(...) needs a date, found " + type_name(types[0]));
        if (scope.context == Context::constant && !m_.ast.header) {
          // tally eval: the default calendar (calendar year, quarters)
        }
        return Type::of(Kind::period);
      case BuiltinId::round:
        break;
    }
    return Type::of(Kind::error);
  }

  static std::optional<AggregateKind> aggregate_kind(const std::string& name) {
    if (name == "sum") return AggregateKind::sum;
    if (name == "count") return AggregateKind::count;
    if (name == "avg") return AggregateKind::avg;
    if (name == "min") return AggregateKind::min;
    if (name == "max") return AggregateKind::max;
    return std::nullopt;
  }

  Type check_aggregate(const ast::Expr& e, AggregateKind kind, Scope& scope) {
    if (!scope.in_measure || scope.context != Context::payee_period) {
      error(e.span, "`" + e.text + "(...)` over credits is only allowed in a measure",
            "declare it as `measure NAME = " + e.text + "(...)` and use NAME here");
      return Type::of(Kind::error);
    }
    if (m_.credited_source < 0) {
      error(e.span, "`" + e.text + "(...)` aggregates credits, but the plan has no credit rule");
      return Type::of(Kind::error);
    }
    scope.per_payee = true;
    const ast::Expr* argument = e.args[0].get();
    const ast::Expr* filter = nullptr;
    if (argument->kind == ast::ExprKind::filter) {
      filter = argument->args[1].get();
      argument = argument->args[0].get();
    }
    Scope inner;
    inner.context = Context::credit;
    inner.source = m_.credited_source;
    inner.row_name = credited_row_name_;
    inner.dependencies = scope.dependencies;
    for (const ast::CreditDecl& decl : m_.ast.credits) {
      const int source = find_source(decl.source);
      if (source >= 0 && source != m_.roster && source != m_.credited_source) {
        error(e.span, "credits come from several sources, which this version cannot aggregate together");
        return Type::of(Kind::error);
      }
    }
    AggregateModel aggregate;
    aggregate.kind = kind;
    aggregate.call = &e;
    aggregate.filter = filter;
    if (filter) expect_kind(*filter, inner, Kind::boolean, "the `where` condition");
    Type result;
    if (kind == AggregateKind::count) {
      if (!(argument->kind == ast::ExprKind::name && argument->text == "credit")) {
        error(argument->span, "count(...) counts credits: write `count(credit)` or `count(credit where ...)`");
        return Type::of(Kind::error);
      }
      m_.info[argument] = ExprInfo{Type::of(Kind::record), Binding::credit_variable, -1};
      result = Type::of(Kind::integer);
    } else {
      const Type t = check(*argument, inner);
      if (t.kind != Kind::error && !t.is_numeric()) {
        error(argument->span, e.text + "(...) needs numbers or money, found " + type_name(t));
        return Type::of(Kind::error);
      }
      aggregate.argument = argument;
      result = (kind == AggregateKind::avg && t.kind == Kind::integer) ? Type::of(Kind::decimal) : t;
    }
    aggregate.type = result;
    ExprInfo& info = m_.info[&e];
    info.binding = Binding::aggregate;
    info.index = static_cast<int>(m_.aggregates.size());
    m_.aggregates.push_back(aggregate);
    return result;
  }
};

}  // namespace

CheckOutput check_plan(ast::Plan plan) {
  CheckOutput out;
  out.model = std::make_unique<PlanModel>();
  out.model->ast = std::move(plan);
  Checker checker(*out.model);
  checker.check_whole_plan();
  out.diagnostics = std::move(checker.diagnostics);
  return out;
}

std::vector<Diagnostic> check_constant_expression(PlanModel& model, const ast::Expr& expr) {
  Checker checker(model);
  Scope scope;
  scope.context = Context::constant;
  checker.check(expr, scope);
  return std::move(checker.diagnostics);
}

}  // namespace tally
