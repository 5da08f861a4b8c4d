// Expressions typed into a session: checked in the scope of the session's
// plan, where `NAME(payee, period)` asks for a payout, measure or let and
// `TABLE(keys...)` looks a table up; those calls are answered by one run
// over the data (kept until the plan or the data changes), then the whole
// expression is evaluated as a constant with the calls' values fixed.
#include <algorithm>
#include <unordered_map>

#include "grammar/diagnostics.hpp"
#include "grammar/parser.hpp"
#include "interpreter/checker.hpp"
#include "interpreter/chunk_compiler.hpp"
#include "interpreter/compiler.hpp"
#include "interpreter/explain.hpp"
#include "interpreter/runtime/spelling.hpp"
#include "interpreter/session_state.hpp"
#include "interpreter/value_format.hpp"
#include "interpreter/vm.hpp"

namespace tally {

namespace {

Message::Severity severity_of(Severity s) {
  return s == Severity::error     ? Message::Severity::error
         : s == Severity::warning ? Message::Severity::warning
                                  : Message::Severity::note;
}

Message message_of(const Error& error, Severity severity, const SourceFile* file) {
  Message m;
  m.severity = severity_of(severity);
  m.file = error.where.file;
  m.line = error.where.line;
  m.column = error.where.column;
  m.text = error.message;
  m.hint = error.hint;
  m.rendered = render_error(error, file, severity);
  return m;
}

/// The first offset after the plan and its imports: where the expression's
/// spans go, so that one offset space covers the plan and the input.
std::uint32_t free_base(const ast::Plan& plan) {
  std::size_t end = plan.file ? plan.file->text().size() : 0;
  for (const ast::ImportedFile& imported : plan.imported)
    end = std::max(end, imported.base + imported.file->text().size());
  return static_cast<std::uint32_t>(end + 1);
}

void shift(ast::Expr& e, std::uint32_t base) {
  e.span.begin += base;
  e.span.end += base;
  for (auto& arg : e.args)
    if (arg) shift(*arg, base);
}

void nodes_of(const ast::Expr& e, std::vector<const ast::Expr*>& out) {
  out.push_back(&e);
  for (const auto& arg : e.args)
    if (arg) nodes_of(*arg, out);
}

/// Lends the input's expression to the plan's model for one evaluation: its
/// file joins the model's offset space (messages and explain labels quote
/// it), and what the checker recorded about it leaves the model afterwards,
/// as the expression is freed. The session is the plan's only owner.
class Lease {
 public:
  Lease(PlanModel& model, std::shared_ptr<const SourceFile> file, ast::Expr& expr)
      : model_(model), aggregates_(model.aggregates.size()) {
    const std::uint32_t base = free_base(model.ast);
    shift(expr, base);
    model.ast.imported.push_back(ast::ImportedFile{std::move(file), base});
    nodes_of(expr, nodes_);
  }
  ~Lease() {
    model_.ast.imported.pop_back();
    for (const ast::Expr* e : nodes_) {
      model_.info.erase(e);
      model_.record_shapes.erase(e);
    }
    if (model_.aggregates.size() > aggregates_)
      model_.aggregates.erase(model_.aggregates.begin() + static_cast<std::ptrdiff_t>(aggregates_),
                              model_.aggregates.end());
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

 private:
  PlanModel& model_;
  std::size_t aggregates_;
  std::vector<const ast::Expr*> nodes_;
};

bool is_session_call(const PlanModel& model, const ast::Expr& e) {
  auto it = model.info.find(&e);
  return it != model.info.end() &&
         (it->second.binding == Binding::payout_call || it->second.binding == Binding::value_call ||
          it->second.binding == Binding::table_call);
}

void collect_calls(const PlanModel& model, const ast::Expr& e, std::vector<const ast::Expr*>& out) {
  if (is_session_call(model, e)) {
    out.push_back(&e);
    return;
  }
  for (const auto& arg : e.args)
    if (arg) collect_calls(model, *arg, out);
}

/// A RunInspector that explains the session's requests and remembers what
/// the run says about the data (roster ids, periods paid).
class SessionInspector : public ExplainInspector {
 public:
  SessionInspector(const Plan& plan, DataFacts& facts) : ExplainInspector(plan), facts_(facts) {}
  void finished(RunState& state) override {
    ExplainInspector::finished(state);
    facts_ = DataFacts{};
    facts_.known = true;
    for (std::size_t p = 0; p < state.payee_count(); ++p)
      facts_.payees.emplace_back(state.payee_id(static_cast<std::int32_t>(p)));
    facts_.periods = state.periods;
    for (const Period& p : state.periods) facts_.years.insert(p.year);
  }

 private:
  DataFacts& facts_;
};

/// One call of the input: what it asks for, resolved to constants.
struct Call {
  const ast::Expr* expr = nullptr;
  Binding binding = Binding::value_call;
  int index = -1;
  std::string payee;
  Period period;
  std::unordered_map<const ast::Expr*, Constant> given;  ///< a table call's arguments
  std::string key;
  std::size_t slot = 0;
};

class Evaluator {
 public:
  Evaluator(SessionState& state, const SourceFile& file, Evaluation& out)
      : state_(state),
        plan_(*state.plan),
        m_(*state.plan->model),
        file_(file),
        out_(out),
        known_(fold_constant_lets(m_)) {}

  void run(const ast::Expr& expr, EvalMode mode);

 private:
  void error(Span span, const std::string& text, const std::string& hint = {}) {
    Error e{ast::locate(m_.ast, span), text, hint};
    out_.messages.push_back(message_of(e, Severity::error, &file_));
  }
  std::optional<Constant> constant(const ast::Expr& e,
                                   const std::unordered_map<const ast::Expr*, Constant>* given,
                                   Frame& frame, SymbolTable& symbols, std::uint16_t& reg);
  std::optional<Constant> constant(const ast::Expr& e) {
    Frame frame;
    SymbolTable symbols;
    std::uint16_t reg = 0;
    return constant(e, nullptr, frame, symbols, reg);
  }
  bool resolve(Call& call);
  bool resolve_year(Period& period, const ast::Expr& at);
  bool validate(const Call& call);
  bool answer(std::vector<Call>& calls);
  /// One run of the plan over the data; false (with its messages) when it fails.
  bool run_over_data(SessionInspector& inspector);
  std::string call_name(const Call& call) const {
    return call.binding == Binding::payout_call
               ? m_.payouts[static_cast<std::size_t>(call.index)].decl->name
           : call.binding == Binding::value_call
               ? m_.values[static_cast<std::size_t>(call.index)].decl->name
               : m_.tables[static_cast<std::size_t>(call.index)].decl->name;
  }

  SessionState& state_;
  const Plan& plan_;
  const PlanModel& m_;
  const SourceFile& file_;
  Evaluation& out_;
  std::unordered_map<int, Constant> known_;
};

std::optional<Constant> Evaluator::constant(
    const ast::Expr& e, const std::unordered_map<const ast::Expr*, Constant>* given, Frame& frame,
    SymbolTable& symbols, std::uint16_t& reg) {
  Chunk chunk;
  chunk.name = "repl";
  std::vector<Unsupported> unsupported;
  ChunkCompiler compiler(m_, chunk, &unsupported, &known_);
  compiler.given = given;
  reg = compiler.expr(e);
  if (!unsupported.empty()) {
    error(unsupported[0].span, "cannot evaluate " + unsupported[0].what + " here yet");
    return std::nullopt;
  }
  if (chunk.too_large) {
    error(e.span, "this expression is too large to evaluate");
    return std::nullopt;
  }
  if (auto fault = run_constant(chunk, frame, m_.calendar, symbols)) {
    error(chunk.spans[fault->instruction], fault->message);
    return std::nullopt;
  }
  return register_constant(frame.reg(reg), symbols);
}

/// A bare `Q1`: that quarter of the data's plan year, when there is one.
bool Evaluator::resolve_year(Period& period, const ast::Expr& at) {
  if (period.year != 0) return true;
  if (!state_.facts.known) {
    // the plan years are the data's: a run tells which
    SessionInspector inspector(plan_, state_.facts);
    if (!run_over_data(inspector)) return false;
  }
  Period example = period;
  example.year = state_.facts.years.empty() ? 2026 : *state_.facts.years.rbegin();
  const std::string label(ast::span_text(m_.ast, at.span));
  if (state_.facts.years.size() == 1) {
    period.year = *state_.facts.years.begin();
    return true;
  }
  if (state_.facts.years.empty()) {
    error(at.span, "`" + label + "` names no year, and the run pays no period to take it from",
          "write the year, e.g. " + period_label(example, m_.calendar));
    return false;
  }
  std::string years;
  for (int y : state_.facts.years) years += (years.empty() ? "" : ", ") + std::to_string(y);
  error(at.span,
        "`" + label + "` names no year, and the data spans several plan years (" + years + ")",
        "write the year, e.g. " + period_label(example, m_.calendar));
  return false;
}

bool Evaluator::resolve(Call& call) {
  const ast::Expr& e = *call.expr;
  const ExprInfo& info = m_.info_of(e);
  call.binding = info.binding;
  call.index = info.index;
  for (const auto& arg : e.args) {
    if (!arg) continue;
    std::vector<const ast::Expr*> inner;
    collect_calls(m_, *arg, inner);
    if (!inner.empty()) {
      error(arg->span, "the arguments of `" + e.text + "(...)` must be constants",
            "compute this one on its own line, e.g. `let x = ...`, then use x");
      return false;
    }
  }
  if (call.binding == Binding::table_call) {
    call.key = "t:" + std::to_string(call.index);
    for (const auto& arg : e.args) {
      if (!arg) continue;
      auto value = constant(*arg);
      if (!value) return false;
      if (value->type == RegType::period && !resolve_year(value->period, *arg)) return false;
      call.key += ":" + constant_text(*value, m_.info_of(*arg).type, m_.calendar);
      call.given[arg.get()] = *value;
    }
    return true;
  }
  // `NAME(payee, period)`; the checker saw to the count and the types
  const auto payee = constant(*e.args[0]);
  if (!payee) return false;
  const auto period = constant(*e.args[1]);
  if (!period) return false;
  call.payee = payee->text;
  call.period = period->period;
  if (!resolve_year(call.period, *e.args[1])) return false;
  call.key = std::string(call.binding == Binding::payout_call ? "p:" : "v:") +
             std::to_string(call.index) + ":" + call.payee + ":" +
             period_label(call.period, m_.calendar);
  return true;
}

/// Against what a run told of the data: a known payee and a paid period.
bool Evaluator::validate(const Call& call) {
  if (!state_.facts.known || call.binding == Binding::table_call) return true;
  const DataFacts& facts = state_.facts;
  const ast::Expr& e = *call.expr;
  if (std::find(facts.payees.begin(), facts.payees.end(), call.payee) == facts.payees.end()) {
    const auto near = closest_match(call.payee, facts.payees);
    std::string hint;
    if (near) {
      hint = "did you mean \"" + *near + "\"?";
    } else {
      hint = "payees are";
      for (std::size_t i = 0; i < facts.payees.size() && i < 5; ++i)
        hint += std::string(i ? ", " : " ") + "\"" + facts.payees[i] + "\"";
      if (facts.payees.size() > 5) hint += ", ...";
      if (facts.payees.empty()) hint = "the roster is empty";
    }
    error(e.args[0]->span, "no payee \"" + call.payee + "\" in the roster", hint);
    return false;
  }
  if (std::find(facts.periods.begin(), facts.periods.end(), call.period) == facts.periods.end()) {
    std::string hint = "the run pays no period";
    if (!facts.periods.empty())
      hint = "the run pays " + period_label(facts.periods.front(), m_.calendar) + " to " +
             period_label(facts.periods.back(), m_.calendar);
    error(e.args[1]->span, period_label(call.period, m_.calendar) + " is not a period of the run",
          hint);
    return false;
  }
  return true;
}

/// The answers of the calls not answered yet, from one run over the data.
bool Evaluator::answer(std::vector<Call>& calls) {
  std::vector<Call*> missing;
  for (Call& call : calls)
    if (!state_.answers.count(call.key) &&
        std::none_of(missing.begin(), missing.end(),
                     [&](const Call* c) { return c->key == call.key; }))
      missing.push_back(&call);
  if (missing.empty()) return true;
  SessionInspector inspector(plan_, state_.facts);
  for (Call* call : missing)
    call->slot = call->binding == Binding::table_call
                     ? inspector.request_expression({}, std::nullopt, call->expr, call->given)
                     : inspector.request(call->payee, call->period,
                                         call->binding == Binding::payout_call, call->index);
  if (!run_over_data(inspector)) return false;
  const RunResult& run = *state_.last_run;
  for (Call* call : missing) {
    CallAnswer a;
    a.value = inspector.value(call->slot);
    if (const ExplainNode* tree = inspector.tree(call->slot)) a.tree = *tree;
    a.why_not = inspector.why_not(call->slot);
    // A payout's amount is the run's, after what carries over periods.
    if (a.value && call->binding == Binding::payout_call) {
      const std::string label = period_label(call->period, m_.calendar);
      const std::string& name = call_name(*call);
      Decimal amount;
      for (const auto& row : run.payouts.rows)
        if (row.size() >= 4 && row[0] == call->payee && row[1] == label && row[2] == name)
          amount = amount + Decimal::parse(row[3]).value_or(Decimal{});
      a.value->type = RegType::decimal;
      a.value->decimal = amount;
    }
    state_.answers[call->key] = std::move(a);
  }
  return true;
}

bool Evaluator::run_over_data(SessionInspector& inspector) {
  RunOptions options;
  options.data_dir = *state_.data_dir;
  options.credits_table = false;
  options.measures_table = false;
  options.inspector = &inspector;
  RunResult run = state_.engine->run(plan_, options);
  if (!run.ok) {
    for (Message& m : run.messages)
      if (m.severity == Message::Severity::error) out_.messages.push_back(std::move(m));
    return false;
  }
  state_.last_run = std::move(run);
  return true;
}

void Evaluator::run(const ast::Expr& expr, EvalMode mode) {
  std::vector<const ast::Expr*> found;
  collect_calls(m_, expr, found);
  out_.has_calls = !found.empty();
  if (mode == EvalMode::type_only) {
    out_.ok = true;
    return;
  }
  std::vector<Call> calls;
  if (!found.empty()) {
    if (!state_.data_dir) {
      error(found[0]->span, "`" + found[0]->text + "(...)` needs the data, and none is loaded",
            "load it with `:data DIR` (or start with `tally repl PLAN --data DIR`)");
      return;
    }
    for (const ast::Expr* e : found) {
      Call call;
      call.expr = e;
      if (!resolve(call) || !validate(call)) return;
      calls.push_back(std::move(call));
    }
    if (!answer(calls)) return;
  }
  std::unordered_map<const ast::Expr*, Constant> given;
  for (const Call& call : calls) {
    const CallAnswer& a = state_.answers.at(call.key);
    if (!a.value) {
      // the run could not answer (e.g. a period it did not pay): say which call
      if (!validate(call)) return;
      error(call.expr->span, a.why_not.empty() ? "no value" : a.why_not);
      return;
    }
    given[call.expr] = *a.value;
  }
  Frame frame;
  SymbolTable symbols;
  std::uint16_t reg = 0;
  const auto value = constant(expr, &given, frame, symbols, reg);
  if (!value) return;
  out_.ok = true;
  out_.value = value;
  out_.value_text =
      register_text(frame.reg(reg), 0, out_.type, symbols, m_.calendar, TextStyle::plain);
  if (mode != EvalMode::explain) return;
  if (calls.size() == 1 && calls[0].expr == &expr) {
    const CallAnswer& a = state_.answers.at(calls[0].key);
    if (a.tree) {
      out_.tree = *a.tree;
      return;
    }
  }
  ExplainNode& root = out_.tree;
  std::string written;
  bool space = false;
  for (char c : std::string(ast::span_text(m_.ast, expr.span))) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !written.empty();
      continue;
    }
    if (space) written += ' ';
    space = false;
    written += c;
  }
  root.label = written;
  root.value = register_text(frame.reg(reg), 0, out_.type, symbols, m_.calendar, TextStyle::quoted);
  if (calls.empty()) root.note = "constant";
  std::vector<std::string> shown;
  for (const Call& call : calls) {
    if (std::find(shown.begin(), shown.end(), call.key) != shown.end()) continue;
    shown.push_back(call.key);
    const CallAnswer& a = state_.answers.at(call.key);
    if (a.tree) {
      root.children.push_back(*a.tree);
    } else {
      ExplainNode leaf;
      leaf.label = std::string(ast::span_text(m_.ast, call.expr->span));
      leaf.value = constant_text(*a.value, m_.info_of(*call.expr).type, m_.calendar);
      root.children.push_back(std::move(leaf));
    }
  }
}

/// `"ann", 2026-Q1`: the call form messages show, from the data when known.
std::string example_arguments(const SessionState& state, const PlanModel& model) {
  const std::string payee = state.facts.payees.empty() ? "ann" : state.facts.payees.front();
  const Period period = state.facts.periods.empty()
                            ? Period{model.calendar.fiscal ? 2027 : 2026, 1, model.calendar.grain}
                            : state.facts.periods.front();
  return "\"" + payee + "\", " + period_label(period, model.calendar);
}

}  // namespace

const RunResult* run_plan(SessionState& state, std::vector<Message>& messages) {
  if (state.last_run) return &*state.last_run;
  SessionInspector inspector(*state.plan, state.facts);
  RunOptions options;
  options.data_dir = state.data_dir.value_or(".");
  options.credits_table = false;
  options.measures_table = false;
  options.inspector = &inspector;
  RunResult run = state.engine->run(*state.plan, options);
  if (!run.ok) {
    for (Message& m : run.messages)
      if (m.severity == Message::Severity::error) messages.push_back(std::move(m));
    return nullptr;
  }
  state.last_run = std::move(run);
  return &*state.last_run;
}

Evaluation evaluate_input(SessionState& state, const std::string& input, EvalMode mode) {
  Evaluation out;
  auto file = std::make_shared<const SourceFile>("<repl>", input);
  auto parsed = parse_expression(*file);
  if (!parsed) {
    for (const Error& e : parsed.errors())
      out.messages.push_back(message_of(e, Severity::error, file.get()));
    return out;
  }
  ast::Expr& expr = *parsed.value();
  PlanModel& model = *state.plan->model;
  Lease lease(model, file, expr);
  for (const Diagnostic& d : check_session_expression(model, expr, example_arguments(state, model)))
    if (d.severity == Severity::error)
      out.messages.push_back(message_of(d.error, d.severity, file.get()));
  if (has_errors(out.messages)) return out;
  out.checked = true;
  out.type = model.info_of(expr).type;
  out.type_text = type_name(out.type);
  Evaluator(state, *file, out).run(expr, mode);
  return out;
}

}  // namespace tally
