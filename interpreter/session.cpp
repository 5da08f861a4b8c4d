// tally::Session (include/tally/session.hpp): the plan, the data folder and
// the declarations typed in; what each input does. Expressions are evaluated
// in session_eval.cpp, input is read in session_input.cpp.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "grammar/keywords.hpp"
#include "grammar/parser.hpp"
#include "interpreter/explain.hpp"
#include "interpreter/session_state.hpp"

namespace tally {

namespace {

int lines_in(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

std::string trimmed(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end + 1 - begin);
}

/// The first word of the input (letters, digits, `_`) and what follows it.
std::pair<std::string, std::string> first_word(const std::string& text) {
  std::size_t i = text.find_first_not_of(" \t\r\n");
  if (i == std::string::npos) return {};
  std::size_t j = i;
  while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_'))
    ++j;
  return {text.substr(i, j - i), text.substr(j)};
}

/// Whether the input declares something (`let x = ...`, `table t(...)`)
/// rather than being an expression. The contextual keywords (`table`, `fn`,
/// `draw`, ...) may also be names, so they declare only when a name or a
/// string follows them.
bool is_declaration(const std::string& input) {
  const auto [word, rest] = first_word(input);
  if (word.empty() || !grammar::is_declaration_keyword(word)) return false;
  if (grammar::is_reserved_word(word)) return true;
  const auto next = rest.find_first_not_of(" \t\r\n");
  if (next == std::string::npos || next == 0) return false;
  const char c = rest[next];
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '"';
}

/// The names a parsed declaration introduces.
std::vector<std::string> declared_names(const ast::Plan& p) {
  std::vector<std::string> names;
  for (const auto& d : p.sources) names.push_back(d.name);
  for (const auto& d : p.credits) names.push_back(d.name);
  for (const auto& d : p.values) names.push_back(d.name);
  for (const auto& d : p.payouts) names.push_back(d.name);
  for (const auto& d : p.tables) names.push_back(d.name);
  for (const auto& d : p.territories) names.push_back(d.name);
  for (const auto& d : p.rates) names.push_back(d.name);
  for (const auto& d : p.draws) names.push_back(d.name);
  for (const auto& d : p.functions) names.push_back(d.name);
  for (const auto& d : p.tests) names.push_back(d.name);
  return names;
}

/// Whether a declaration changes what the data means (sources, crediting,
/// territories): then what runs learned of the data no longer holds.
bool changes_data(const ast::Plan& p) {
  return !p.sources.empty() || !p.credits.empty() || !p.territories.empty() ||
         !p.territory_sets.empty() || !p.clawbacks.empty() || !p.imports.empty();
}

const char* kind_name(Declaration::Kind kind) {
  switch (kind) {
    case Declaration::Kind::source:
      return "source";
    case Declaration::Kind::table:
      return "table";
    case Declaration::Kind::rates:
      return "rates";
    case Declaration::Kind::measure:
      return "measure";
    case Declaration::Kind::let:
      return "let";
    case Declaration::Kind::payout:
      return "payout";
    case Declaration::Kind::draw:
      return "draw";
    case Declaration::Kind::territory:
      return "territory";
    case Declaration::Kind::function:
      return "fn";
  }
  return "declaration";
}

SessionReply failed(std::vector<Message> messages) {
  SessionReply reply;
  reply.messages = std::move(messages);
  return reply;
}

SessionReply failed(const std::string& text, const std::string& hint = {}) {
  return failed(std::vector<Message>{session_message(text, hint)});
}

std::vector<Message> errors_only(std::vector<Message> messages) {
  messages.erase(
      std::remove_if(messages.begin(), messages.end(),
                     [](const Message& m) { return m.severity != Message::Severity::error; }),
      messages.end());
  return messages;
}

}  // namespace

std::string SessionState::combined_text(const std::vector<TypedDeclaration>& declarations,
                                        std::vector<int>* starts) const {
  std::string text = plan_text;
  if (!text.empty() && text.back() != '\n') text += '\n';
  for (const TypedDeclaration& d : declarations) {
    if (starts) starts->push_back(lines_in(text) + 1);
    text += d.text;
    if (text.back() != '\n') text += '\n';
  }
  return text;
}

CompileResult SessionState::compile(const std::vector<TypedDeclaration>& declarations) const {
  std::vector<int> starts;
  const std::string name = plan_path.empty() ? "<repl>" : plan_path;
  CompileResult result = engine->compile(combined_text(declarations, &starts), name);
  for (Message& m : result.messages) {
    if (m.file != name || starts.empty() || m.line < starts.front()) continue;
    std::size_t k = 0;
    while (k + 1 < starts.size() && starts[k + 1] <= m.line) ++k;
    m = repl_message(declarations[k].text, m.line - starts[k] + 1, m.column,
                     caret_length(m.rendered), m.text, m.hint, m.severity);
  }
  return result;
}

void SessionState::forget(bool data_changed) {
  answers.clear();
  last_run.reset();
  if (data_changed) facts = DataFacts{};
}

Session::Session(const Engine& engine) : state_(std::make_unique<State>()) {
  state_->engine = &engine;
  state_->plan = state_->compile({}).plan;
}

Session::~Session() = default;

SessionReply Session::load(const std::string& plan_path) {
  State& s = *state_;
  // the plan alone first: its own errors refuse it, and the previous plan stays
  CompileResult alone = s.engine->compile_file(plan_path);
  if (!alone.plan) return failed(std::move(alone.messages));
  std::ifstream in(plan_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  SessionState next;
  next.engine = s.engine;
  next.plan_path = plan_path;
  next.plan_text = text.str();
  SessionReply reply;
  reply.messages = std::move(alone.messages);  // the plan's warnings
  // the declarations typed in so far, each kept while it still checks
  std::vector<TypedDeclaration> kept;
  CompileResult all = next.compile(s.typed);
  if (all.plan) {
    kept = s.typed;
  } else {
    for (const TypedDeclaration& d : s.typed) {
      std::vector<TypedDeclaration> trial = kept;
      trial.push_back(d);
      CompileResult r = next.compile(trial);
      if (r.plan) {
        kept = std::move(trial);
        continue;
      }
      const auto errors = errors_only(r.messages);
      reply.messages.push_back(session_message(
          "`" + trimmed(d.text) + "` (typed earlier) no longer checks against this plan; dropped",
          errors.empty() ? std::string() : errors.front().text, Message::Severity::warning));
    }
    all = next.compile(kept);
    if (!all.plan) return failed(std::move(all.messages));
  }
  s.plan_path = plan_path;
  s.plan_text = std::move(next.plan_text);
  s.typed = std::move(kept);
  s.plan = std::move(all.plan);
  s.forget(true);
  reply.ok = true;
  const auto declarations = s.engine->declarations(*s.plan);
  std::size_t payouts = 0;
  std::size_t values = 0;
  for (const Declaration& d : declarations) {
    if (d.kind == Declaration::Kind::payout) ++payouts;
    if (d.kind == Declaration::Kind::measure || d.kind == Declaration::Kind::let) ++values;
  }
  reply.output = "loaded " + plan_path + ": " + std::to_string(payouts) +
                 (payouts == 1 ? " payout, " : " payouts, ") + std::to_string(values) +
                 (values == 1 ? " measure or let" : " measures and lets");
  return reply;
}

SessionReply Session::reload() {
  if (state_->plan_path.empty())
    return failed("no plan is loaded, so there is nothing to reload", "load one with `:load PLAN`");
  return load(state_->plan_path);
}

SessionReply Session::set_data(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return failed("no folder " + dir, "give the folder that holds the plan's source files");
  state_->data_dir = dir;
  state_->forget(true);
  SessionReply reply;
  reply.ok = true;
  reply.output = "data: " + dir;
  return reply;
}

namespace {

/// `bonus: let, money (USD) per payee and period`, `x: let = 250001.00 USD`.
std::string declared_text(const Engine& engine, const Plan& plan,
                          const std::vector<std::string>& names) {
  const auto declarations = engine.declarations(plan);
  const auto constants = engine.constant_values(plan);
  std::string out;
  for (const std::string& name : names) {
    const auto d = std::find_if(declarations.begin(), declarations.end(),
                                [&](const Declaration& x) { return x.name == name; });
    if (!out.empty()) out += "\n";
    if (d == declarations.end()) {
      out += name + ": declared";
      continue;
    }
    out += name + ": " + kind_name(d->kind);
    const auto c = std::find_if(constants.begin(), constants.end(),
                                [&](const auto& x) { return x.first == name; });
    if (d->kind == Declaration::Kind::let && !d->per_payee && c != constants.end())
      out += " = " + c->second;
    else if (!d->type.empty())
      out += ", " + d->type + (d->per_payee ? " per payee and period" : "");
    else if (d->per_payee)
      out += ", per payee and period";
  }
  return out;
}

}  // namespace

SessionReply Session::submit(const std::string& input) {
  State& s = *state_;
  if (trimmed(input).empty()) return {true, "", {}};
  if (!is_declaration(input)) {
    Evaluation e = evaluate_input(s, input, EvalMode::value);
    return {e.ok, e.value_text, std::move(e.messages)};
  }
  auto file = std::make_shared<const SourceFile>("<repl>", input);
  auto parsed = parse_plan(file);
  if (!parsed) {
    std::vector<Message> messages;
    for (const Error& e : parsed.errors())
      messages.push_back(
          repl_message(input, e.where.line, e.where.column, e.where.length, e.message, e.hint));
    return failed(std::move(messages));
  }
  const ast::Plan& typed = parsed.value();
  if (typed.header)
    return failed(std::vector<Message>{repl_message(
        input, 1, 1, 4, "a plan header cannot be typed in", "load a plan file with `:load PLAN`")});
  if (!typed.tests.empty())
    return failed(
        std::vector<Message>{repl_message(input, 1, 1, 4, "a test block cannot be typed in",
                                          "write it in the plan file and run `tally test PLAN`")});
  TypedDeclaration declaration{input, declared_names(typed)};
  std::string shown_value;
  // `let x = bookings("ann", 2026-Q1) * 2`: a value of the data, computed now
  // and kept as the constant it is now.
  if (typed.values.size() == 1 && typed.order.size() == 1 && !typed.values[0].is_measure &&
      typed.values[0].value) {
    const ast::ValueDecl& let = typed.values[0];
    const Span at = let.value->span;
    // blank all but the expression, so its messages point into the input
    std::string only(input.size(), ' ');
    for (std::size_t i = 0; i < input.size(); ++i)
      if (input[i] == '\n' || (i >= at.begin && i < at.end)) only[i] = input[i];
    const Evaluation typed_only = evaluate_input(s, only, EvalMode::type_only);
    if (typed_only.checked && typed_only.has_calls) {
      Evaluation e = evaluate_input(s, only, EvalMode::value);
      for (Message& m : e.messages)
        if (m.file == "<repl>")
          m = repl_message(input, m.line, m.column, caret_length(m.rendered), m.text, m.hint,
                           m.severity);
      if (!e.ok) return failed(std::move(e.messages));
      const auto literal = literal_text(*e.value, e.type, s.plan->model->calendar);
      if (!literal)
        return failed(std::vector<Message>{
            repl_message(input, 1, 1, 3,
                         "`" + let.name + "` is " + e.value_text + ", which a plan cannot write")});
      declaration.text = input.substr(0, at.begin) + *literal + "\n";
      shown_value = e.value_text;
    }
  }
  std::vector<TypedDeclaration> next;
  for (const TypedDeclaration& d : s.typed) {
    const bool replaced = std::any_of(d.names.begin(), d.names.end(), [&](const std::string& n) {
      return std::find(declaration.names.begin(), declaration.names.end(), n) !=
             declaration.names.end();
    });
    if (!replaced) next.push_back(d);
  }
  next.push_back(declaration);
  CompileResult compiled = s.compile(next);
  if (!compiled.plan) return failed(errors_only(std::move(compiled.messages)));
  s.typed = std::move(next);
  s.plan = std::move(compiled.plan);
  s.forget(changes_data(typed));
  SessionReply reply;
  reply.ok = true;
  reply.output = shown_value.empty() ? declared_text(*s.engine, *s.plan, declaration.names)
                                     : declaration.names.front() + ": let = " + shown_value;
  return reply;
}

SessionReply Session::type_of(const std::string& expression) {
  if (is_declaration(expression))
    return failed("`:type` takes an expression, found a declaration",
                  "type the declaration on its own line, then `:type` its name");
  Evaluation e = evaluate_input(*state_, expression, EvalMode::type_only);
  return {e.ok, e.type_text, std::move(e.messages)};
}

SessionReply Session::explain(const std::string& expression) {
  if (is_declaration(expression))
    return failed("`:explain` takes an expression, found a declaration",
                  "e.g. `:explain commission(\"ann\", 2026-Q1)`");
  Evaluation e = evaluate_input(*state_, expression, EvalMode::explain);
  if (!e.ok) return failed(std::move(e.messages));
  return {true, render_explain(e.tree), std::move(e.messages)};
}

SessionReply Session::run() {
  State& s = *state_;
  if (!s.data_dir)
    return failed("no data is loaded, so there is nothing to run",
                  "load it with `:data DIR` (or start with `tally repl PLAN --data DIR`)");
  std::vector<Message> messages;
  const RunResult* run = run_plan(s, messages);
  if (!run) return failed(std::move(messages));
  const RunSummary& sum = run->summary;
  std::ostringstream out;
  const std::string currency = sum.currency.empty() ? "" : " " + sum.currency;
  out << "payees   " << sum.payees << "\n";
  out << "periods  " << sum.periods;
  if (!s.facts.periods.empty())
    out << " (" << period_label(s.facts.periods.front(), s.plan->model->calendar) << " to "
        << period_label(s.facts.periods.back(), s.plan->model->calendar) << ")";
  out << "\n";
  out << "credits  " << sum.credits << "\n";
  out << "total    " << sum.total_paid << currency << "\n";
  std::size_t width = 0;
  for (const auto& [label, amount] : sum.paid_by_period) width = std::max(width, label.size());
  for (const auto& [label, amount] : sum.paid_by_period)
    out << "  " << label << std::string(width - label.size() + 2, ' ') << amount << currency
        << "\n";
  SessionReply reply;
  reply.ok = true;
  reply.output = out.str();
  for (const Message& m : run->messages)
    if (m.severity == Message::Severity::warning) reply.messages.push_back(m);
  return reply;
}

const std::string& Session::plan_path() const {
  return state_->plan_path;
}

}  // namespace tally
