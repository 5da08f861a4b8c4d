// Typing of the library functions (stdlib/builtins.hpp, LibraryId): their
// arguments, named arguments and results, and where each may be called.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "interpreter/checker_internal.hpp"
#include "interpreter/type_rules.hpp"
#include "stdlib/builtins.hpp"

namespace tally::checking {

namespace {

bool is_bare_period_name(const std::string& name) {
  static const std::vector<std::string> names{"Q1",  "Q2",  "Q3",  "Q4",  "H1",  "H2",
                                              "M01", "M02", "M03", "M04", "M05", "M06",
                                              "M07", "M08", "M09", "M10", "M11", "M12"};
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

bool Checker::check_arguments(const ast::Expr& e, const std::string& signature, int min_args,
                              int max_args, const std::vector<const char*>& named) {
  bool ok = true;
  for (std::size_t i = 0; i < e.arg_names.size() && i < e.args.size(); ++i) {
    const std::string& n = e.arg_names[i];
    if (n.empty()) continue;
    if (std::none_of(named.begin(), named.end(), [&](const char* x) { return n == x; })) {
      std::vector<std::string> names(named.begin(), named.end());
      std::string hint = did_you_mean(n, names);
      error(e.args[i]->span, "`" + e.text + "` takes no argument named `" + n + "`",
            hint.empty() ? "it is called as " + signature : hint);
      ok = false;
    }
  }
  const int argc = static_cast<int>(e.args.size());
  if (argc < min_args || argc > max_args) {
    const std::string count = min_args == max_args
                                  ? std::to_string(min_args)
                                  : std::to_string(min_args) + " to " + std::to_string(max_args);
    error(e.span,
          "`" + e.text + "` takes " + count + " argument" + (max_args == 1 ? "" : "s") +
              ", found " + std::to_string(argc),
          "it is called as " + signature);
    ok = false;
  }
  return ok;
}

const ast::Expr* Checker::named_argument(const ast::Expr& e, const std::string& name) const {
  for (std::size_t i = 0; i < e.args.size() && i < e.arg_names.size(); ++i)
    if (e.arg_names[i] == name) return e.args[i].get();
  return nullptr;
}

std::vector<const ast::Expr*> Checker::positional_arguments(const ast::Expr& e) const {
  std::vector<const ast::Expr*> out;
  for (std::size_t i = 0; i < e.args.size(); ++i)
    if (i >= e.arg_names.size() || e.arg_names[i].empty()) out.push_back(e.args[i].get());
  return out;
}

int Checker::rates_argument(const ast::Expr& e, const char* function, bool tiers) {
  const auto positional = positional_arguments(e);
  if (positional.empty()) return -1;
  const ast::Expr& arg = *positional[0];
  std::vector<std::string> names;
  for (const auto& r : m_.rates) names.push_back(r.decl->name);
  const int rates = arg.kind == ast::ExprKind::name ? find_rates(arg.text) : -1;
  if (rates < 0) {
    m_.info[&arg] = ExprInfo{Type::of(Kind::error), Binding::none, -1};
    error(arg.span,
          std::string(function) + "(...) needs the name of a rates table first, found `" +
              text_of(arg) + "`",
          arg.kind == ast::ExprKind::name ? did_you_mean(arg.text, names) : "");
    return -1;
  }
  rates_used_[rates] = true;
  m_.info[&arg] = ExprInfo{Type::of(Kind::error), Binding::rates_table, rates};
  const bool is_lookup = m_.rates[rates].decl->mode == ast::RatesMode::lookup;
  if (tiers && is_lookup) {
    error(arg.span, "`" + arg.text + "` is a lookup by key, not tiers",
          "use `lookup(" + arg.text + ", key)`");
    return -1;
  }
  if (!tiers && !is_lookup) {
    error(arg.span, "`" + arg.text + "` has tiers, not keys", "use `apply(" + arg.text + ", x)`");
    return -1;
  }
  return rates;
}

Type Checker::check_library_call(const ast::Expr& e, Scope& scope) {
  const LibraryFunction& fn = *find_library_function(e.text);
  const std::string& name = e.text;
  ExprInfo& info = m_.info[&e];
  info.binding = Binding::library_call;
  info.index = static_cast<int>(fn.id);
  if (!check_arguments(e, fn.signature, fn.min_args, fn.max_args, fn.named)) {
    // Still check the arguments, except a rates table or table named as one
    // (`apply(kicker, ...)`): it is no value, and saying so would only add noise.
    for (const auto& arg : e.args) {
      const int rates = arg->kind == ast::ExprKind::name ? find_rates(arg->text) : -1;
      const int table = arg->kind == ast::ExprKind::name ? find_table(arg->text) : -1;
      if (rates >= 0) rates_used_[rates] = true;
      if (table >= 0) table_used_[table] = true;
      if (rates < 0 && table < 0) check(*arg, scope);
    }
    return Type::of(Kind::error);
  }
  const auto positional = positional_arguments(e);
  auto expect = [&](const ast::Expr& arg, Kind kind, const std::string& what) {
    const Type t = operand(arg, scope);
    const bool textual = kind == Kind::text && (t.kind == Kind::payee || t.kind == Kind::territory);
    const bool payee_text = kind == Kind::payee && t.kind == Kind::text;
    if (t.kind != Kind::error && t.kind != kind && !textual && !payee_text) {
      error(arg.span, name + "(...) needs " + what + ", found " + type_name(t));
      return Type::of(Kind::error);
    }
    return t;
  };
  auto numeric = [&](const ast::Expr& arg) {
    const Type t = operand(arg, scope);
    if (t.kind != Kind::error && !t.is_numeric()) {
      error(arg.span, name + "(...) needs a number or money, found " + type_name(t));
      return Type::of(Kind::error);
    }
    return t;
  };
  if (positional.size() < static_cast<std::size_t>(std::min(fn.min_args, 1))) {
    error(e.span, "`" + name + "` needs its first argument without a name",
          std::string("it is called as ") + fn.signature);
    for (const auto& arg : e.args) check(*arg, scope);
    return Type::of(Kind::error);
  }
  switch (fn.id) {
    case LibraryId::apply:
    case LibraryId::tier_of: {
      const int rates = rates_argument(e, fn.name, true);
      if (positional.size() < 2) {
        error(e.span, "`" + name + "` needs a value to look up in the tiers",
              std::string("it is called as ") + fn.signature);
        return Type::of(Kind::error);
      }
      const Type x = numeric(*positional[1]);
      const ast::Expr* base_expr = named_argument(e, "base");
      const Type base = base_expr ? numeric(*base_expr) : Type::of(Kind::error);
      Type over = x;  // what the tiers compare
      if (base_expr && x.kind != Kind::error && base.kind != Kind::error) {
        const TypeVerdict ratio =
            binary_type(ast::Op::div, x, base, text_of(*positional[1]), text_of(*base_expr));
        if (!ratio.error.empty()) {
          error(e.span, "the tiers compare " + text_of(*positional[1]) + " / " +
                            text_of(*base_expr) + ", but " + ratio.error);
          return Type::of(Kind::error);
        }
        over = ratio.type;
      }
      if (rates < 0)
        return fn.id == LibraryId::tier_of ? Type::of(Kind::integer) : Type::of(Kind::error);
      const RatesModel& model = m_.rates[rates];
      if (over.kind != Kind::error && model.bound_type.kind != Kind::error &&
          !same_value_type(over, model.bound_type)) {
        const bool hint_base =
            over.kind == Kind::money &&
            (model.bound_type.kind == Kind::percent || model.bound_type.kind == Kind::decimal);
        error(positional[1]->span,
              "the tiers of `" + model.decl->name + "` are over " + type_name(model.bound_type) +
                  ", but " +
                  (base_expr ? "`" + text_of(*positional[1]) + " / " + text_of(*base_expr) + "`"
                             : "`" + text_of(*positional[1]) + "`") +
                  " is " + type_name(over),
              hint_base ? "give a base to turn the amount into attainment: `" + name + "(" +
                              model.decl->name + ", " + text_of(*positional[1]) +
                              ", base: quota(payee, period))`"
                        : "");
        return fn.id == LibraryId::tier_of ? Type::of(Kind::integer) : Type::of(Kind::error);
      }
      if (fn.id == LibraryId::tier_of) return Type::of(Kind::integer);
      if (model.value_type.kind == Kind::money || model.value_type.kind == Kind::error)
        return model.value_type;
      // A rate or a multiplier of the base (marginal) or of x (retroactive).
      const Type scaled = base_expr ? base : x;
      const TypeVerdict paid = binary_type(ast::Op::mul, scaled, model.value_type, "", "");
      return paid.error.empty() ? paid.type : Type::of(Kind::error);
    }
    case LibraryId::lookup: {
      const int rates = rates_argument(e, fn.name, false);
      const Type key = operand(*positional[1], scope);
      if (rates < 0) return Type::of(Kind::error);
      const RatesModel& model = m_.rates[rates];
      if (key.kind != Kind::error && model.bound_type.kind != Kind::error &&
          !same_value_type(key, model.bound_type) &&
          !(key.kind == Kind::payee && model.bound_type.kind == Kind::text))
        error(positional[1]->span, "the keys of `" + model.decl->name + "` are " +
                                       type_name(model.bound_type) + ", but `" +
                                       text_of(*positional[1]) + "` is " + type_name(key));
      return model.value_type;
    }
    case LibraryId::allocate: {
      const Type x = numeric(*positional[0]);
      const ast::Expr* weights = named_argument(e, "weights");
      if (!scope.in_table || !scope.period_bound)
        error(e.span,
              "allocate(...) spreads an annual amount over periods; use it as the value of a goal "
              "with "
              "a `period` key",
              "e.g. `goal quota(payee, period): money = allocate(annual_quota(payee), even)`");
      if (weights) {
        if (weights->kind != ast::ExprKind::record) {
          check(*weights, scope);
          error(weights->span,
                "the weights must be written out per period, e.g. `weights: {Q1: 20%, Q2: 25%, "
                "Q3: 25%, Q4: 30%}`");
          return x;
        }
        check(*weights, scope);
        Decimal total;
        bool literal = true;
        for (std::size_t i = 0; i < weights->args.size(); ++i) {
          const std::string& period =
              i < weights->arg_names.size() ? weights->arg_names[i] : std::string();
          if (!is_bare_period_name(period))
            error(weights->args[i]->span, "`" + period + "` is not a period of the year",
                  "name the weights Q1..Q4, H1, H2 or M01..M12");
          const Type w = m_.info_of(*weights->args[i]).type;
          if (w.kind != Kind::error && w.kind != Kind::percent)
            error(weights->args[i]->span, "a weight must be a percent, found " + type_name(w));
          if (auto v = literal_value(*weights->args[i]);
              v && weights->args[i]->kind == ast::ExprKind::percent)
            total = total + *v;
          else
            literal = false;
        }
        // The message points at `weights:`, where the reader looks for them.
        Span where = weights->span;
        if (m_.ast.file) {
          const ast::SpanOrigin origin = ast::origin_of(m_.ast, weights->span);
          const std::uint32_t base = weights->span.begin - origin.offset;
          const auto at = origin.file->text().rfind("weights", origin.offset);
          if (at != std::string::npos && base + at >= e.span.begin)
            where.begin = static_cast<std::uint32_t>(base + at);
        }
        if (literal && !weights->args.empty() && total != Decimal::from_int(1))
          error(where, "the weights add up to " +
                           (total * Decimal::from_int(100)).trimmed().to_string() + "%, not 100%");
        return x;
      }
      if (positional.size() < 2) {
        error(e.span, "allocate(...) needs `even` or `weights: {...}`",
              std::string("it is called as ") + fn.signature);
        return x;
      }
      const ast::Expr& mode = *positional[1];
      if (mode.kind == ast::ExprKind::name && mode.text == "even") {
        m_.info[&mode] = ExprInfo{Type::of(Kind::error), Binding::allocation_mode, 0};
      } else {
        // A misspelt mode is reported once, here, not also as an unknown name.
        if (mode.kind != ast::ExprKind::name) check(mode, scope);
        error(mode.span,
              "allocate(...) spreads evenly (`even`) or by `weights: {...}`, found `" +
                  text_of(mode) + "`",
              mode.kind == ast::ExprKind::name ? did_you_mean(mode.text, {"even"}) : "");
      }
      return x;
    }
    case LibraryId::rollup: {
      const ast::Expr& arg = *positional[0];
      const int table = arg.kind == ast::ExprKind::name ? find_table(arg.text) : -1;
      if (table < 0) {
        check(arg, scope);
        std::vector<std::string> names;
        for (const auto& t : m_.tables) names.push_back(t.decl->name);
        error(arg.span,
              "rollup(...) sums a table over a payee's reports; `" + text_of(arg) +
                  "` is not a table",
              arg.kind == ast::ExprKind::name ? did_you_mean(arg.text, names) : "");
        return Type::of(Kind::error);
      }
      table_used_[table] = true;
      check_table(table);
      m_.info[&arg] = ExprInfo{m_.tables[table].type, Binding::table_name, table};
      if (!scope.in_table || !scope.payee_bound)
        error(e.span,
              "rollup(...) needs a payee: use it as the value of a goal with a `payee` key");
      if (m_.tables[table].decl->keys.empty() || m_.tables[table].decl->keys[0] != "payee")
        error(arg.span,
              "rollup(...) sums a table keyed by payee; `" + arg.text + "` has no `payee` key");
      scope.per_payee = true;
      return m_.tables[table].type;
    }
    case LibraryId::months_employed:
      scope.per_payee = true;
      expect(*positional[0], Kind::payee, "a payee");
      return Type::of(Kind::integer);
    case LibraryId::days_between:
      expect(*positional[0], Kind::date, "dates");
      expect(*positional[1], Kind::date, "dates");
      return Type::of(Kind::integer);
    case LibraryId::add_months:
      expect(*positional[0], Kind::date, "a date first");
      expect(*positional[1], Kind::integer, "a whole number of months second");
      return Type::of(Kind::date);
    case LibraryId::year:
    case LibraryId::quarter:
    case LibraryId::month:
      expect(*positional[0], Kind::date, "a date");
      return Type::of(Kind::integer);
    case LibraryId::days_in:
      expect(*positional[0], Kind::period, "a period");
      return Type::of(Kind::integer);
    case LibraryId::prorate: {
      const Type x = numeric(*positional[0]);
      if (const ast::Expr* from = named_argument(e, "from"))
        expect(*from, Kind::date, "a date after `from:`");
      if (const ast::Expr* to = named_argument(e, "to"))
        expect(*to, Kind::date, "a date after `to:`");
      if (!named_argument(e, "from") && !named_argument(e, "to") &&
          scope.context != Context::payee_period)
        error(e.span, "prorate(x) prorates by days employed, so it needs a payee and a period",
              "give the dates: `prorate(x, from: d1, to: d2)`");
      else if (!named_argument(e, "from") && !named_argument(e, "to"))
        scope.per_payee = true;
      return x;
    }
    case LibraryId::upper:
    case LibraryId::lower:
      expect(*positional[0], Kind::text, "text");
      return Type::of(Kind::text);
    case LibraryId::starts_with:
    case LibraryId::contains:
      expect(*positional[0], Kind::text, "text");
      expect(*positional[1], Kind::text, "text");
      return Type::of(Kind::boolean);
    case LibraryId::list: {
      const ast::Expr& arg = *positional[0];
      check(arg, scope);
      if (arg.kind != ast::ExprKind::string)
        error(arg.span,
              "list(...) takes the name of a list in quotes, e.g. `list(\"named_accounts\")`");
      else if (const int source = find_source(arg.text); source >= 0)
        source_used_[source] = true;  // the list is that source's key column
      return Type::list_of(Type::of(Kind::text));
    }
    case LibraryId::territory: {
      territory_called_ = true;
      const ast::Expr& arg = *positional[0];
      const bool in_rows = scope.context == Context::row || scope.context == Context::credit;
      if (arg.kind == ast::ExprKind::name && in_rows && arg.text == scope.row_name) {
        m_.info[&arg] = ExprInfo{Type::of(Kind::record), Binding::row_variable, -1};
        // Territories are resolved over the rows of one source, the one
        // their conditions read (docs/semantics/territories.md).
        if (scope.source >= 0 && m_.credited_source >= 0 && scope.source != m_.credited_source)
          error(arg.span,
                "territory(" + arg.text + ") asks for the territory of a row of `" +
                    m_.sources[scope.source].schema.name +
                    "`, but the territories are resolved over the rows of `" +
                    m_.sources[m_.credited_source].schema.name + "` (their conditions read `" +
                    credited_row_name_ + ".`)",
                "territories apply to the one source their conditions name; credit the "
                "rows of `" +
                    m_.sources[scope.source].schema.name +
                    "` without territory(...), or give them a rule of their own plan");
      } else {
        if (arg.kind != ast::ExprKind::name || !in_rows) check(arg, scope);
        error(arg.span,
              "territory(...) takes the transaction row, e.g. `territory(" +
                  (in_rows ? scope.row_name : std::string("deal")) + ")`",
              in_rows ? ""
                      : "territories are only known where there is a row: in a credit rule or an "
                        "aggregate");
      }
      if (m_.territories.empty() && m_.territory_sets.empty() && m_.ast.territories.empty() &&
          m_.ast.territory_sets.empty())
        error(e.span, "territory(...) needs territories, but the plan declares none",
              "declare one, e.g. `territory West = deal.state in {\"CA\"} owner \"se-001\"`");
      return Type::of(Kind::territory);
    }
    case LibraryId::owner:
      expect(*positional[0], Kind::territory, "a territory");
      return Type::of(Kind::payee);
    case LibraryId::managers: {
      expect(*positional[0], Kind::payee, "a payee");
      if (const ast::Expr* levels = named_argument(e, "levels")) {
        expect(*levels, Kind::integer, "a whole number of levels");
        if (auto n = literal_value(*levels); n && n->sign() <= 0)
          error(levels->span, "managers(...) needs at least 1 level, found " + text_of(*levels));
      }
      // `to: "DIR"` (the managers up to the first with that role); with
      // `levels:` too it is one argument too many.
      if (const ast::Expr* to = named_argument(e, "to"))
        expect(*to, Kind::text, "a role, e.g. to: \"DIR\"");
      if (m_.roster >= 0 && find_field(m_.roster, "manager") < 0)
        error(e.span,
              "managers(...) needs a `manager` field in the roster `" +
                  m_.sources[m_.roster].schema.name + "`",
              "add `manager: payee?` to the roster");
      return Type::list_of(Type::of(Kind::payee));
    }
    case LibraryId::convert: {
      convert_called_ = true;
      const Type x = expect(*positional[0], Kind::money, "money");
      const ast::Expr* to = named_argument(e, "to");
      const ast::Expr* on = named_argument(e, "on");
      if (!to || !on) {
        error(e.span, "convert(...) needs the target currency and a date",
              std::string("it is called as ") + fn.signature);
        return Type::of(Kind::error);
      }
      if (on) expect(*on, Kind::date, "a date after `on:`");
      const bool code = to->kind == ast::ExprKind::name && to->text.size() == 3 &&
                        std::all_of(to->text.begin(), to->text.end(),
                                    [](char c) { return c >= 'A' && c <= 'Z'; });
      if (!code) {
        error(to->span,
              "the currency after `to:` must be a three-letter code such as EUR, found `" +
                  text_of(*to) + "`");
        return Type::of(Kind::error);
      }
      m_.info[to] = ExprInfo{Type::of(Kind::text), Binding::none, -1};
      const bool fx = std::any_of(m_.sources.begin(), m_.sources.end(), [](const SourceModel& s) {
        return s.schema.name.rfind("fx", 0) == 0;
      });
      if (!fx)
        error(e.span, "convert(...) needs exchange rates, but the plan has no FX source",
              "declare one, e.g. `source fx_rates { date: date, currency: text, rate: decimal }`");
      (void)x;
      return Type::money_in(to->text);
    }
    case LibraryId::ytd:
    case LibraryId::qtd:
    case LibraryId::to_date: {
      const ast::Expr& arg = *positional[0];
      const auto it =
          arg.kind == ast::ExprKind::name ? value_index_.find(arg.text) : value_index_.end();
      if (it == value_index_.end() && arg.kind == ast::ExprKind::name) {
        // `ytd(commission)` over a payout: what it paid in the earlier periods
        // of the window (docs/semantics/periods.md); index -1 - payout.
        for (std::size_t p = 0; p < m_.ast.payouts.size(); ++p) {
          if (m_.ast.payouts[p].name != arg.text) continue;
          const Type paid = Type::money_in(m_.currency);
          m_.info[&arg] = ExprInfo{paid, Binding::none, -1};
          info.binding = Binding::cumulative;
          info.index = -1 - static_cast<int>(p);
          return paid;
        }
      }
      if (it == value_index_.end() || !m_.values[it->second].decl->is_measure) {
        check(arg, scope);
        error(arg.span, name + "(...) accumulates a measure; `" + text_of(arg) + "` is not one",
              arg.kind == ast::ExprKind::name ? "declare it with `measure`" : "");
        return Type::of(Kind::error);
      }
      const Type t = check(arg, scope);
      info.binding = Binding::cumulative;
      info.index = it->second;
      if (t.kind != Kind::error && !t.is_numeric())
        error(arg.span, name + "(...) accumulates numbers or money, found " + type_name(t));
      return t;
    }
    case LibraryId::forecast: {
      // The method and bound are words, not names to look up.
      for (const auto& [argument, words] :
           {std::pair{"method", std::vector<std::string>{"linear", "holt"}},
            std::pair{"bound", std::vector<std::string>{"low", "high"}}}) {
        const ast::Expr* word = named_argument(e, argument);
        if (!word) continue;
        m_.info[word] = ExprInfo{Type::of(Kind::text), Binding::none, -1};
        if (word->kind != ast::ExprKind::name ||
            std::find(words.begin(), words.end(), word->text) == words.end())
          error(word->span,
                "forecast(...) needs `" + words[0] + "` or `" + words[1] + "` after `" + argument +
                    ":`, found `" + text_of(*word) + "`",
                word->kind == ast::ExprKind::name ? did_you_mean(word->text, words) : "");
      }
      const ast::Expr& arg = *positional[0];
      const auto it =
          arg.kind == ast::ExprKind::name ? value_index_.find(arg.text) : value_index_.end();
      if (it == value_index_.end() || !m_.values[it->second].decl->is_measure) {
        check(arg, scope);
        error(arg.span,
              "forecast(...) extends a measure's trend; `" + text_of(arg) + "` is not one",
              arg.kind == ast::ExprKind::name ? "declare it with `measure`" : "");
        return Type::of(Kind::error);
      }
      const Type t = check(arg, scope);
      if (t.kind != Kind::error && !t.is_numeric()) {
        error(arg.span, "forecast(...) extends numbers or money, found " + type_name(t));
        return Type::of(Kind::error);
      }
      // Like ytd(m), it reads the measure's earlier periods: the engine keeps
      // their history, and the compiler sees it as a cumulative read.
      info.binding = Binding::cumulative;
      info.index = it->second;
      return t;
    }
    case LibraryId::clamp: {
      const Type x = numeric(*positional[0]);
      const Type low = numeric(*positional[1]);
      const Type high = numeric(*positional[2]);
      for (const auto& [bound, expr] :
           {std::pair{low, positional[1]}, std::pair{high, positional[2]}}) {
        const TypeVerdict v =
            binary_type(ast::Op::lt, x, bound, text_of(*positional[0]), text_of(*expr));
        if (!v.error.empty()) error(expr->span, "clamp(...) " + v.error, v.hint);
      }
      return x;
    }
  }
  return Type::of(Kind::error);
}

}  // namespace tally::checking
