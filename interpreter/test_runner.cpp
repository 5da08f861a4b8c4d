#include "interpreter/test_runner.hpp"

#include "interpreter/api_guard.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "grammar/diagnostics.hpp"
#include "interpreter/chunk_compiler.hpp"
#include "interpreter/compiler.hpp"
#include "interpreter/explain.hpp"
#include "interpreter/value_format.hpp"

namespace tally {

namespace {

using Cell = std::optional<std::string>;

/// A `payout(payee, period)` or `value(payee, period)` inside an expect.
struct Call {
  const ast::Expr* expr = nullptr;
  bool payout = false;
  bool table = false;  ///< a table lookup such as `quota(ann, Q1)`
  int index = -1;
  std::string payee;
  std::optional<Period> period;
  std::size_t slot = 0;
};

void collect_calls(const PlanModel& model, const ast::Expr& e, std::vector<const ast::Expr*>& out) {
  if (auto it = model.info.find(&e);
      it != model.info.end() &&
      (it->second.binding == Binding::payout_call || it->second.binding == Binding::value_call ||
       it->second.binding == Binding::table_call)) {
    out.push_back(&e);
    return;
  }
  for (const auto& arg : e.args)
    if (arg) collect_calls(model, *arg, out);
}

std::string indent(const std::string& text, int spaces) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out +=
        std::string(static_cast<std::size_t>(spaces), ' ') + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

/// One test block, run.
class TestCase {
 public:
  TestCase(const Engine& engine, const Plan& plan, const ast::TestDecl& decl,
           const std::unordered_map<int, Constant>& known)
      : engine_(engine), plan_(plan), m_(*plan.model), decl_(decl), known_(known) {}

  TestResult run();

 private:
  std::string where(Span span) const {
    const Location at = ast::locate(m_.ast, span);
    return at.file + ":" + std::to_string(at.line);
  }
  int line_of(Span span) const { return ast::locate(m_.ast, span).line; }
  std::string call_label(const Call& call) const {
    if (call.table) return written(*call.expr);
    return call.expr->text + "(" + call.payee + ", " + period_label(*call.period, m_.calendar) +
           ")";
  }
  std::string written(const ast::Expr& e) const {
    return std::string(ast::span_text(m_.ast, e.span));
  }
  void problem(Span span, const std::string& text) {
    problems_ += where(span) + ": " + text + "\n";
  }
  /// The value of a statement's field as a cell (nullopt: null; an error leaves the problem).
  Cell cell(const ast::Expr& e);
  std::optional<Constant> evaluate(const ast::Expr& e,
                                   const std::unordered_map<const ast::Expr*, Constant>* given,
                                   std::unordered_map<const ast::Expr*, std::uint16_t>* trace,
                                   SymbolTable& symbols, Frame& frame, Chunk& chunk);
  bool is_credited_row(const ast::TestStatement& s) const {
    return m_.credited_source >= 0 && s.head != "payee" && s.head != "expect";
  }
  // the source a row statement fills: that of the credit rule
  // whose row (`opp ...`) or source (`opportunities ...`) it names, else the
  // credited source.
  int row_source(const ast::TestStatement& s) const {
    for (const CreditRuleModel& rule : m_.rules)
      if (rule.source >= 0 && rule.source != m_.roster &&
          (s.head == rule.row_name ||
           s.head == m_.sources[static_cast<std::size_t>(rule.source)].schema.name))
        return rule.source;
    return m_.credited_source;
  }
  void find_data_year();
  bool resolve_calls();
  bool resolve_table_call(Call& call);
  /// The period written as `when`, a bare one in the test's data year.
  std::optional<Period> period_arg(const ast::Expr& when, const std::string& what);
  std::unordered_map<const ast::Expr*, std::unordered_map<const ast::Expr*, Constant>> table_given_;
  void build_tables(RunOptions& options);
  std::string check_expect(const ast::TestStatement& s, const RunResult& run,
                           const ExplainInspector& inspector, bool& passed);

  const Engine& engine_;
  const Plan& plan_;
  const PlanModel& m_;
  const ast::TestDecl& decl_;
  const std::unordered_map<int, Constant>& known_;
  std::string problems_;
  std::optional<int> data_year_;
  std::set<int> years_;
  std::vector<Call> calls_;
};

std::optional<Constant> TestCase::evaluate(
    const ast::Expr& e, const std::unordered_map<const ast::Expr*, Constant>* given,
    std::unordered_map<const ast::Expr*, std::uint16_t>* trace, SymbolTable& symbols, Frame& frame,
    Chunk& chunk) {
  std::vector<Unsupported> unsupported;
  ChunkCompiler compiler(m_, chunk, &unsupported, &known_);
  compiler.given = given;
  compiler.trace = trace;
  const auto reg = compiler.expr(e);
  if (!unsupported.empty()) {
    problem(unsupported[0].span, "cannot evaluate " + unsupported[0].what + " in a test yet");
    return std::nullopt;
  }
  if (auto fault = run_constant(chunk, frame, m_.calendar, symbols)) {
    problem(chunk.spans[fault->instruction], fault->message);
    return std::nullopt;
  }
  return register_constant(frame.reg(reg), symbols);
}

Cell TestCase::cell(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::null) return std::nullopt;
  if (e.kind == ast::ExprKind::string) return e.text;
  const ExprInfo& info = m_.info_of(e);
  if (info.binding == Binding::test_payee)
    return decl_.statements[static_cast<std::size_t>(info.index)].id;
  SymbolTable symbols;
  Frame frame;
  Chunk chunk;
  const auto value = evaluate(e, nullptr, nullptr, symbols, frame, chunk);
  if (!value) return std::string();
  switch (value->type) {
    case RegType::boolean:
      return std::string(value->boolean ? "true" : "false");
    case RegType::integer:
      return std::to_string(value->integer);
    case RegType::decimal:
      return value->decimal.to_string();
    case RegType::date:
      return format_date(value->date);
    case RegType::period: {
      Period p = value->period;
      if (p.year == 0) {
        if (!data_year_) {
          problem(e.span, "`" + e.text + "` names no year, and the test's rows have no date" +
                              " to take it from; write the year, e.g. 2026-Q1");
          return std::string();
        }
        p.year = *data_year_;
      }
      return period_label(p, m_.calendar);
    }
    case RegType::symbol:
      return value->text;
  }
  return std::string();
}

/// The plan year of the test's data: that of the earliest date its rows of
/// the credited source state.
void TestCase::find_data_year() {
  std::optional<Date> earliest;
  for (const ast::TestStatement& s : decl_.statements) {
    if (!is_credited_row(s)) continue;
    const auto& fields = m_.sources[static_cast<std::size_t>(row_source(s))].schema.fields;
    for (const auto& name_value : s.fields) {  // not a structured binding: lambdas use name
      const auto& name = name_value.first;
      const auto& value = name_value.second;
      if (!value) continue;
      const auto field = std::find_if(fields.begin(), fields.end(),
                                      [&](const FieldSpec& f) { return f.name == name; });
      if (field == fields.end() || field->type.kind != Kind::date) continue;
      const Cell text = cell(*value);
      if (!text) continue;
      const auto date = parse_iso_date(*text);
      if (!date) continue;
      years_.insert(m_.calendar.year_of(*date));
      if (!earliest || *date < *earliest) earliest = *date;
    }
  }
  if (earliest) data_year_ = m_.calendar.year_of(*earliest);
}

std::optional<Period> TestCase::period_arg(const ast::Expr& when, const std::string& what) {
  if (when.kind != ast::ExprKind::period) {
    problem(when.span, "write the period of `" + what + "` as a label, e.g. Q1 or 2026-Q1");
    return std::nullopt;
  }
  const bool bare = when.text[0] == 'Q' || when.text[0] == 'H' || when.text[0] == 'M';
  if (bare && !data_year_) {
    problem(when.span, "`" + when.text +
                           "` names no year, and the test's rows have no date to take it "
                           "from; write the year, e.g. 2026-Q1");
    return std::nullopt;
  }
  const auto period =
      parse_period(when.text, m_.calendar, bare ? data_year_ : std::optional<int>());
  if (!period) problem(when.span, "`" + when.text + "` is not a period of this plan");
  return period;
}

/// `quota(ann, Q1)`: the payee and period arguments become constants.
bool TestCase::resolve_table_call(Call& call) {
  auto& given = table_given_[call.expr];
  for (const auto& arg : call.expr->args) {
    if (!arg) continue;
    const ExprInfo& info = m_.info_of(*arg);
    if (info.binding == Binding::test_payee || arg->kind == ast::ExprKind::string) {
      call.payee = info.binding == Binding::test_payee
                       ? decl_.statements[static_cast<std::size_t>(info.index)].id
                       : arg->text;
      Constant c;
      c.type = RegType::symbol;
      c.text = call.payee;
      given[arg.get()] = c;
    } else if (arg->kind == ast::ExprKind::period) {
      const auto period = period_arg(*arg, call.expr->text);
      if (!period) return false;
      call.period = *period;
      years_.insert(period->year);
      Constant c;
      c.type = RegType::period;
      c.period = *period;
      given[arg.get()] = c;
    }
  }
  return true;
}

/// The payee and period of every call in the expects.
bool TestCase::resolve_calls() {
  bool ok = true;
  for (const ast::TestStatement& s : decl_.statements) {
    if (s.head != "expect" || !s.expect) continue;
    std::vector<const ast::Expr*> found;
    collect_calls(m_, *s.expect, found);
    for (const ast::Expr* e : found) {
      const ExprInfo& info = m_.info_of(*e);
      Call call;
      call.expr = e;
      call.payout = info.binding == Binding::payout_call;
      call.table = info.binding == Binding::table_call;
      call.index = info.index;
      if (call.table) {
        if (!resolve_table_call(call)) {
          ok = false;
          continue;
        }
        calls_.push_back(call);
        continue;
      }
      if (e->args.size() != 2) return false;  // the checker reported it
      const ast::Expr& who = *e->args[0];
      const ast::Expr& when = *e->args[1];
      const ExprInfo& who_info = m_.info_of(who);
      if (who_info.binding == Binding::test_payee) {
        call.payee = decl_.statements[static_cast<std::size_t>(who_info.index)].id;
      } else if (who.kind == ast::ExprKind::string) {
        call.payee = who.text;
      } else {
        problem(who.span, "name the payee of `" + e->text + "` as declared in the test, e.g. ann");
        ok = false;
        continue;
      }
      if (when.kind != ast::ExprKind::period) {
        problem(when.span, "write the period of `" + e->text + "` as a label, e.g. Q1 or 2026-Q1");
        ok = false;
        continue;
      }
      const bool bare = when.text[0] == 'Q' || when.text[0] == 'H' || when.text[0] == 'M';
      if (bare && !data_year_) {
        problem(when.span, "`" + when.text +
                               "` names no year, and the test's rows have no date to take it "
                               "from; write the year, e.g. 2026-Q1");
        ok = false;
        continue;
      }
      const auto period =
          parse_period(when.text, m_.calendar, bare ? data_year_ : std::optional<int>());
      if (!period) {
        problem(when.span, "`" + when.text + "` is not a period of this plan");
        ok = false;
        continue;
      }
      call.period = *period;
      years_.insert(period->year);
      calls_.push_back(call);
    }
  }
  return ok;
}

void TestCase::build_tables(RunOptions& options) {
  const std::string origin = m_.ast.file ? m_.ast.file->name() : std::string("plan");
  for (const SourceModel& source : m_.sources) {
    InlineTable empty;
    empty.origin = origin;
    options.tables[source.schema.name] = empty;
  }
  std::vector<Period> periods;
  if (!years_.empty()) {
    const int per_year = periods_per_year(m_.calendar.grain);
    for (int year = *years_.begin(); year <= *years_.rbegin(); ++year)
      for (int i = 1; i <= per_year; ++i) periods.push_back(Period{year, i, m_.calendar.grain});
  }
  // Rows of the (payee, period) tables, merged per source: (payee, period) -> row.
  std::map<int, std::map<std::pair<std::string, std::string>, std::pair<int, std::map<int, Cell>>>>
      table_rows;
  int rows_of_credited = 0;
  for (const ast::TestStatement& s : decl_.statements) {
    if (s.head == "expect") continue;
    const bool payee = s.head == "payee";
    const int source = payee ? m_.roster : row_source(s);
    if (source < 0) continue;
    const SourceModel& model = m_.sources[static_cast<std::size_t>(source)];
    const auto& fields = model.schema.fields;
    auto field_index = [&](const std::string& name) {
      for (std::size_t f = 0; f < fields.size(); ++f)
        if (fields[f].name == name) return static_cast<int>(f);
      return -1;
    };
    std::map<int, Cell> row;
    for (const auto& name_value : s.fields) {  // not a structured binding: lambdas use name
      const auto& name = name_value.first;
      const auto& value = name_value.second;
      if (!value) continue;
      const int f = field_index(name);
      if (f >= 0) {
        row[f] = cell(*value);
        continue;
      }
      // A payee's table value, in every period of the test's years.
      const auto table = std::find_if(m_.tables.begin(), m_.tables.end(),
                                      [&](const TableModel& t) { return t.decl->name == name; });
      if (!payee || table == m_.tables.end()) continue;  // the checker reported it
      if (table->source < 0 || table->columns.size() != table->decl->keys.size() + 1 ||
          std::any_of(table->columns.begin(), table->columns.end(), [](int c) { return c < 0; })) {
        problem(value->span, "a test can set `" + name +
                                 "` only when the plan reads it from a source; the plan "
                                 "computes it");
        continue;
      }
      const Cell v = cell(*value);
      const auto& keys = table->decl->keys;
      const bool by_period = std::find(keys.begin(), keys.end(), "period") != keys.end();
      if (by_period && periods.empty()) {
        problem(value->span, "`" + name +
                                 "` is set per period, but the test has no date or period to "
                                 "tell which year");
        continue;
      }
      bool keyed = true;
      for (const std::string& key : keys)
        if (key != "payee" && key != "period") keyed = false;
      if (!keyed) {
        problem(value->span,
                "a test can set `" + name + "` only when its keys are (payee) or (payee, period)");
        continue;
      }
      const std::vector<Period> slots = by_period ? periods : std::vector<Period>{Period{}};
      for (const Period& p : slots) {
        const std::string label = by_period ? period_label(p, m_.calendar) : std::string();
        auto& [line, cells] = table_rows[table->source][{s.id, label}];
        line = line_of(s.span);
        for (std::size_t k = 0; k < keys.size(); ++k)
          cells[table->columns[k]] = keys[k] == "payee" ? Cell(s.id) : Cell(label);
        cells[table->columns.back()] = v;
      }
    }
    if (payee) {
      row[m_.roster_key] = s.id;
    } else {
      ++rows_of_credited;
      for (std::size_t f = 0; f < fields.size(); ++f)
        if (fields[f].key && !row.count(static_cast<int>(f)))
          row[static_cast<int>(f)] = fields[f].type.kind == Kind::integer
                                         ? std::to_string(rows_of_credited)
                                         : s.head + "-" + std::to_string(rows_of_credited);
    }
    // Required numbers and booleans a row does not state are zero and false.
    for (std::size_t f = 0; f < fields.size(); ++f) {
      if (row.count(static_cast<int>(f)) || fields[f].type.optional) continue;
      const Kind kind = fields[f].type.kind;
      if (kind == Kind::integer || kind == Kind::decimal || kind == Kind::money ||
          kind == Kind::percent)
        row[static_cast<int>(f)] = std::string("0");
      else if (kind == Kind::boolean)
        row[static_cast<int>(f)] = std::string("false");
      else if (kind == Kind::text)
        row[static_cast<int>(f)] = std::string();
    }
    InlineTable& table = options.tables[model.schema.name];
    if (table.columns.empty())
      for (const FieldSpec& field : fields) table.columns.push_back(field.name);
    std::vector<Cell> cells(fields.size());
    for (auto& [f, value] : row) cells[static_cast<std::size_t>(f)] = value;
    table.rows.push_back(std::move(cells));
    table.row_lines.push_back(line_of(s.span));
  }
  for (auto& [source, rows] : table_rows) {
    const auto& fields = m_.sources[static_cast<std::size_t>(source)].schema.fields;
    InlineTable& table = options.tables[m_.sources[static_cast<std::size_t>(source)].schema.name];
    if (table.columns.empty())
      for (const FieldSpec& field : fields) table.columns.push_back(field.name);
    for (auto& [key, entry] : rows) {
      std::vector<Cell> cells(fields.size());
      for (auto& [f, value] : entry.second) cells[static_cast<std::size_t>(f)] = value;
      table.rows.push_back(std::move(cells));
      table.row_lines.push_back(entry.first);
    }
  }
  if (!periods.empty()) {
    options.first_period = period_label(periods.front(), m_.calendar);
    options.last_period = period_label(periods.back(), m_.calendar);
  }
}

std::string TestCase::check_expect(const ast::TestStatement& s, const RunResult& run,
                                   const ExplainInspector& inspector, bool& passed) {
  std::unordered_map<const ast::Expr*, Constant> given;
  std::vector<const Call*> used;
  for (const Call& call : calls_) {
    std::vector<const ast::Expr*> mine;
    collect_calls(m_, *s.expect, mine);
    if (std::find(mine.begin(), mine.end(), call.expr) == mine.end()) continue;
    used.push_back(&call);
    if (call.payout) {
      const std::string label = period_label(*call.period, m_.calendar);
      const std::string& name = m_.payouts[static_cast<std::size_t>(call.index)].decl->name;
      Constant amount;
      amount.type = RegType::decimal;
      for (const auto& row : run.payouts.rows)
        if (row.size() >= 4 && row[0] == call.payee && row[1] == label && row[2] == name)
          amount.decimal = amount.decimal + Decimal::parse(row[3]).value_or(Decimal{});
      given[call.expr] = amount;
    } else if (const auto& value = inspector.value(call.slot)) {
      given[call.expr] = *value;
    } else {
      passed = false;
      return where(s.span) + ": " + call_label(call) + ": " + inspector.why_not(call.slot) + "\n";
    }
  }
  SymbolTable symbols;
  Frame frame;
  Chunk chunk;
  std::unordered_map<const ast::Expr*, std::uint16_t> trace;
  const std::string before = problems_;
  const auto result = evaluate(*s.expect, &given, &trace, symbols, frame, chunk);
  if (!result || result->type != RegType::boolean) {
    passed = false;
    const std::string text = problems_.substr(before.size());
    problems_ = before;
    return text.empty() ? where(s.span) + ": cannot evaluate this expect\n" : text;
  }
  if (result->boolean) return {};
  passed = false;
  std::string out =
      where(s.span) + ": expect " + std::string(ast::span_text(m_.ast, s.expect->span)) + "\n";
  auto text_of = [&](const ast::Expr& e) {
    auto it = trace.find(&e);
    if (it == trace.end()) return std::string("?");
    const Register& r = frame.reg(it->second);
    const Type& type = m_.info_of(e).type;
    switch (r.type) {
      case RegType::boolean:
        return std::string(r.bools[0] ? "true" : "false");
      case RegType::integer:
        return std::to_string(r.ints[0]);
      case RegType::decimal:
        return format_with_unit(r.decimals[0], type);
      case RegType::date:
        return format_date(r.dates[0]);
      case RegType::period:
        return period_label(r.periods[0], m_.calendar);
      case RegType::symbol:
        return "\"" + std::string(symbols.text(r.symbols[0])) + "\"";
    }
    return std::string("?");
  };
  const ast::Expr& e = *s.expect;
  const bool comparison = e.kind == ast::ExprKind::binary &&
                          (e.op == ast::Op::eq || e.op == ast::Op::ne || e.op == ast::Op::lt ||
                           e.op == ast::Op::le || e.op == ast::Op::gt || e.op == ast::Op::ge);
  if (comparison) {
    const std::string op = e.op == ast::Op::eq ? "" : std::string(ast::op_spelling(e.op)) + " ";
    out += "  expected: " + op + text_of(*e.args[1]) + "\n";
    out += "  actual:   " + text_of(*e.args[0]) + "\n";
  } else {
    out += "  expected: true\n  actual:   false\n";
  }
  for (const Call* call : used) {
    const Type& type = m_.info_of(*call->expr).type;
    out += "  " + call_label(*call) + " = " + constant_text(given[call->expr], type, m_.calendar) +
           "\n";
    if (const ExplainNode* tree = inspector.tree(call->slot)) {
      out += "    how it was computed:\n" + indent(render_explain(*tree), 6);
    } else {
      out += "    (no explanation: " + inspector.why_not(call->slot) + ")\n";
    }
  }
  return out;
}

TestResult TestCase::run() {
  TestResult result;
  result.name = decl_.name;
  if (m_.credited_source >= 0) find_data_year();
  RunOptions options;
  const bool calls_ok = resolve_calls();
  build_tables(options);
  if (!calls_ok || !problems_.empty()) {
    result.details = problems_;
    return result;
  }
  ExplainInspector inspector(plan_);
  for (Call& call : calls_)
    call.slot = call.table ? inspector.request_expression(call.payee, call.period, call.expr,
                                                          table_given_[call.expr])
                           : inspector.request(call.payee, *call.period, call.payout, call.index);
  options.inspector = &inspector;
  const RunResult run = engine_.run(plan_, options);
  if (!run.ok) {
    for (const Message& m : run.messages)
      if (m.severity == Message::Severity::error)
        result.details += m.rendered + (m.rendered.ends_with('\n') ? "" : "\n");
    return result;
  }
  bool passed = true;
  for (const ast::TestStatement& s : decl_.statements) {
    if (s.head != "expect" || !s.expect) continue;
    result.details += check_expect(s, run, inspector, passed);
  }
  result.passed = passed;
  if (passed) result.details.clear();
  return result;
}

}  // namespace

TestReport run_plan_tests(const Engine& engine, const Plan& plan) {
  TestReport report;
  const auto known = fold_constant_lets(*plan.model);
  for (const ast::TestDecl& decl : plan.model->ast.tests) {
    TestCase test(engine, plan, decl, known);
    report.tests.push_back(test.run());
    if (report.tests.back().passed)
      ++report.passed;
    else
      ++report.failed;
  }
  return report;
}

TestReport Engine::test(const Plan& plan) const {
  try {
    return run_plan_tests(*this, plan);
  } catch (...) {  // no exception reaches the host (api_guard.hpp)
    TestReport failed;
    failed.tests.push_back(
        TestResult{"(all tests)", false, internal_error_message("testing").text});
    failed.failed = 1;
    return failed;
  }
}

}  // namespace tally
