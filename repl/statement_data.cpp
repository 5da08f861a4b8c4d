#include "repl/statement_data.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <unordered_map>

namespace tally::cli {

namespace {

Message error_message(std::string text) {
  Message m;
  m.text = std::move(text);
  m.rendered = "tally statements: error: " + m.text;
  return m;
}

int column_of(const ResultTable& table, const std::string& name) {
  const auto it = std::find(table.columns.begin(), table.columns.end(), name);
  return it == table.columns.end() ? -1 : static_cast<int>(it - table.columns.begin());
}

std::string cell(const std::vector<std::string>& row, int column) {
  return column >= 0 && static_cast<std::size_t>(column) < row.size()
             ? row[static_cast<std::size_t>(column)]
             : std::string();
}

std::string key_of(const std::string& payee, const std::string& period) {
  return payee + '\x1f' + period;
}

/// Row numbers of `table` by (payee, period), in table order.
std::unordered_map<std::string, std::vector<std::size_t>> rows_by_statement(
    const ResultTable& table) {
  std::unordered_map<std::string, std::vector<std::size_t>> index;
  const int payee = column_of(table, "payee");
  const int period = column_of(table, "period");
  if (payee < 0 || period < 0) return index;
  for (std::size_t r = 0; r < table.rows.size(); ++r)
    index[key_of(cell(table.rows[r], payee), cell(table.rows[r], period))].push_back(r);
  return index;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() > suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string joined(const std::vector<std::string>& items, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > limit) out += ", ...";
  return out;
}

/// The run's periods in calendar order: the summary lists those paid, the
/// payouts table may name others (a period with nothing paid).
std::vector<std::string> run_periods(const RunResult& run) {
  std::vector<std::string> periods;
  for (const auto& [label, amount] : run.summary.paid_by_period) periods.push_back(label);
  std::set<std::string> extra;
  const int period = column_of(run.payouts, "period");
  for (const auto& row : run.payouts.rows) {
    const std::string label = cell(row, period);
    if (std::find(periods.begin(), periods.end(), label) == periods.end()) extra.insert(label);
  }
  if (!extra.empty()) {
    periods.insert(periods.end(), extra.begin(), extra.end());
    std::sort(periods.begin(), periods.end());  // labels of one calendar sort in time order
  }
  return periods;
}

/// The chosen periods, or an error naming the run's periods.
std::optional<std::vector<std::string>> chosen_periods(const std::vector<std::string>& periods,
                                                       const std::vector<std::string>& asked,
                                                       std::vector<Message>& messages) {
  if (asked.empty()) return periods;
  std::vector<bool> chosen(periods.size(), false);
  auto position = [&](const std::string& label) -> std::optional<std::size_t> {
    const auto it = std::find(periods.begin(), periods.end(), label);
    if (it != periods.end()) return static_cast<std::size_t>(it - periods.begin());
    messages.push_back(error_message(
        "\"" + label + "\" is not a period of the run (its periods: " + joined(periods, 12) + ")"));
    return std::nullopt;
  };
  bool ok = true;
  for (const auto& item : asked) {
    const std::size_t dots = item.find("..");
    const auto first = position(dots == std::string::npos ? item : item.substr(0, dots));
    const auto last = dots == std::string::npos ? first : position(item.substr(dots + 2));
    if (!first || !last) {
      ok = false;
      continue;
    }
    for (std::size_t p = std::min(*first, *last); p <= std::max(*first, *last); ++p)
      chosen[p] = true;
  }
  if (!ok) return std::nullopt;
  std::vector<std::string> out;
  for (std::size_t p = 0; p < periods.size(); ++p)
    if (chosen[p]) out.push_back(periods[p]);
  return out;
}

struct PlanNames {
  std::set<std::string> payouts;
  std::set<std::string> draws;
  std::map<std::string, std::string> types;  // measures and lets
  std::string attainment_let;                // empty when none
};

PlanNames plan_names(const Engine& engine, const Plan& plan) {
  PlanNames names;
  using Kind = Declaration::Kind;
  for (const auto& d : engine.declarations(plan)) {
    if (d.kind == Kind::payout) names.payouts.insert(d.name);
    if (d.kind == Kind::draw) names.draws.insert(d.name);
    if (d.kind == Kind::measure || d.kind == Kind::let) names.types[d.name] = d.type;
    if (d.kind == Kind::let && d.per_payee && d.type == "percent" && names.attainment_let.empty() &&
        is_attainment_name(d.name))
      names.attainment_let = d.name;
  }
  return names;
}

std::string line_kind(const std::string& component, const PlanNames& names) {
  if (names.payouts.count(component)) return "payout";
  if (names.draws.count(component)) return "draw";
  const std::string clawback = "_clawback";
  const std::string recovery = "_recovery";
  if (ends_with(component, clawback) &&
      names.payouts.count(component.substr(0, component.size() - clawback.size())))
    return "clawback";
  if (ends_with(component, recovery) &&
      names.draws.count(component.substr(0, component.size() - recovery.size())))
    return "recovery";
  return "adjustment";
}

/// The measure's type; the values the run adds over periods are money.
std::string measure_type(const std::string& name, const PlanNames& names,
                         const std::string& currency) {
  if (const auto it = names.types.find(name); it != names.types.end()) return it->second;
  for (const char* suffix : {"_deferred", "_carried", "_balance"})
    if (ends_with(name, suffix)) return "money (" + currency + ")";
  return {};
}

/// The statement's credits from rows `rows` of the credits table, the
/// largest amount first (then by transaction id, so the order is stable).
void read_credits(const ResultTable& table, const std::vector<std::size_t>& rows, Statement& s) {
  const int transaction = column_of(table, "transaction"), rule = column_of(table, "rule"),
            kind = column_of(table, "kind"), share = column_of(table, "share"),
            amount = column_of(table, "amount");
  for (const std::size_t r : rows) {
    const auto& row = table.rows[r];
    s.credits.push_back({cell(row, transaction), cell(row, rule), cell(row, kind), cell(row, share),
                         Amount::parse(cell(row, amount)).value_or(Amount{})});
  }
  std::stable_sort(s.credits.begin(), s.credits.end(),
                   [](const CreditLine& a, const CreditLine& b) {
                     const int c = compare(a.amount, b.amount);
                     return c != 0 ? c > 0 : a.transaction < b.transaction;
                   });
}

/// The statement's measures from rows `rows` of the measures table.
void read_measures(const ResultTable& table, const std::vector<std::size_t>& rows,
                   const PlanNames& names, const std::string& currency, Statement& s) {
  const int measure = column_of(table, "measure");
  const int value = column_of(table, "value");
  for (const std::size_t r : rows) {
    const auto& row = table.rows[r];
    s.measures.push_back(
        {cell(row, measure), cell(row, value), measure_type(cell(row, measure), names, currency)});
  }
}

}  // namespace

std::string safe_file_name(const std::string& id, std::map<std::string, int>& taken) {
  static const char* kHex = "0123456789ABCDEF";
  std::string name;
  for (const char c : id) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
        (byte >= '0' && byte <= '9') || c == '-' || c == '_') {
      name += c;
    } else {
      name += '~';
      name += kHex[byte >> 4];
      name += kHex[byte & 15];
    }
  }
  if (name.empty()) name = "~";
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // `~~` never comes out of the escaping above, so the suffix cannot clash
  const int seen = ++taken[lower];
  if (seen > 1) {
    name += "~~" + std::to_string(seen);
    taken[lower + "~~" + std::to_string(seen)]++;
  }
  return name;
}

GatherResult gather_statements(const Engine& engine, const Plan& plan, const RunOptions& options,
                               const StatementFilter& filter, const std::string& plan_name,
                               const std::string& generated) {
  GatherResult out;
  auto started = std::chrono::steady_clock::now();
  auto lap = [&](const char* step) {
    const auto now = std::chrono::steady_clock::now();
    out.timings.emplace_back(step, std::chrono::duration<double>(now - started).count());
    started = now;
  };
  RunOptions run_options = options;
  run_options.credits_table = true;
  run_options.measures_table = true;
  run_options.payees = filter.payees;
  const RunResult run = engine.run(plan, run_options);
  lap("run");
  out.messages = run.messages;
  if (!run.ok) return out;

  StatementBook& book = out.book;
  book.plan_name = plan_name;
  book.currency = run.summary.currency;
  book.generated = generated;
  const auto periods = chosen_periods(run_periods(run), filter.periods, out.messages);
  if (!periods) return out;
  book.periods = *periods;

  // the roster, in its order (restricted to the payees asked for)
  const int id_column = column_of(run.payees, "payee");
  const int name_column = column_of(run.payees, "name");
  const int role_column = column_of(run.payees, "role");
  std::vector<std::string> roster;
  for (const auto& row : run.payees.rows) roster.push_back(cell(row, id_column));
  for (const auto& asked : filter.payees)
    if (std::find(roster.begin(), roster.end(), asked) == roster.end())
      out.messages.push_back(error_message("\"" + asked + "\" is not a payee of the run"));
  if (has_errors(out.messages)) return out;
  std::map<std::string, int> taken;
  for (const auto& row : run.payees.rows) {
    const std::string id = cell(row, id_column);
    if (!filter.payees.empty() &&
        std::find(filter.payees.begin(), filter.payees.end(), id) == filter.payees.end())
      continue;
    book.payees.push_back(
        {id, cell(row, name_column), cell(row, role_column), safe_file_name(id, taken)});
  }

  const PlanNames names = plan_names(engine, plan);
  const auto payout_rows = rows_by_statement(run.payouts);
  const auto credit_rows = rows_by_statement(run.credits);
  const auto measure_rows = rows_by_statement(run.measures);
  const int component = column_of(run.payouts, "component");
  const int amount = column_of(run.payouts, "amount");

  std::map<std::string, int> period_files;
  std::vector<std::string> period_names;
  for (const auto& period : book.periods)
    period_names.push_back(safe_file_name(period, period_files));

  // the pay lines of every statement, and what to explain
  std::vector<ExplainRequest> requests;
  struct Asked {
    std::size_t statement;
    std::size_t line;
  };
  std::vector<Asked> asked;
  for (const auto& payee : book.payees) {
    for (std::size_t q = 0; q < book.periods.size(); ++q) {
      Statement s;
      s.payee = payee.id;
      s.period = book.periods[q];
      s.file = payee.folder + "/" + period_names[q] + ".html";
      const std::string key = key_of(s.payee, s.period);
      if (const auto it = payout_rows.find(key); it != payout_rows.end()) {
        for (const std::size_t r : it->second) {
          const auto& row = run.payouts.rows[r];
          PayLine line;
          line.component = cell(row, component);
          line.kind = line_kind(line.component, names);
          line.amount = Amount::parse(cell(row, amount)).value_or(Amount{});
          s.total += line.amount;
          if (line.kind == "payout") {
            requests.push_back({s.payee, s.period, line.component});
            asked.push_back({book.statements.size(), s.lines.size()});
          }
          s.lines.push_back(std::move(line));
        }
      }
      if (const auto it = credit_rows.find(key); it != credit_rows.end())
        read_credits(run.credits, it->second, s);
      if (const auto it = measure_rows.find(key); it != measure_rows.end())
        read_measures(run.measures, it->second, names, book.currency, s);
      book.statements.push_back(std::move(s));
    }
  }

  lap("gather");
  // one more run, explaining every payout of every statement
  const auto answers = requests.empty() ? std::vector<Explanation>{}
                                        : engine.explain_many(plan, run_options, requests);
  lap("explain");
  std::vector<std::vector<const ExplainNode*>> payout_trees(book.statements.size());
  for (std::size_t a = 0; a < answers.size() && a < asked.size(); ++a) {
    Statement& s = book.statements[asked[a].statement];
    PayLine& line = s.lines[asked[a].line];
    const Explanation& answer = answers[a];
    if (!answer.ok) {
      const std::string why = answer.messages.empty() ? "no explanation" : answer.messages[0].text;
      s.notes.push_back("The details of " + line.component + " are not available: " + why);
      continue;
    }
    line.limits = payout_limits(answer.root);
    line.not_applicable = payout_does_not_apply(answer.root);
    payout_trees[asked[a].statement].push_back(&answer.root);
    for (auto& ladder : tier_ladders(answer.root, line.component))
      s.ladders.push_back(std::move(ladder));
  }
  std::vector<std::size_t> without_percent;
  for (std::size_t i = 0; i < book.statements.size(); ++i) {
    book.statements[i].attainment = find_attainment(payout_trees[i], nullptr);
    if (!book.statements[i].attainment || !book.statements[i].attainment->percent)
      without_percent.push_back(i);
  }
  // A let like `attainment` that no payout reads is explained on its own,
  // only for the statements the payouts gave no attainment: on most plans
  // the payouts show it (the base of an apply), and each request costs.
  if (!names.attainment_let.empty() && !without_percent.empty()) {
    std::vector<ExplainRequest> lets;
    for (const std::size_t i : without_percent)
      lets.push_back({book.statements[i].payee, book.statements[i].period, names.attainment_let});
    const auto let_answers = engine.explain_many(plan, run_options, lets);
    for (std::size_t k = 0; k < let_answers.size() && k < without_percent.size(); ++k) {
      if (!let_answers[k].ok) continue;
      const std::size_t i = without_percent[k];
      book.statements[i].attainment = find_attainment(payout_trees[i], &let_answers[k].root);
    }
    lap("explain attainment");
  }
  lap("read trees");
  out.ok = true;
  return out;
}

}  // namespace tally::cli
