// Text and JSON of `tally territories`.
#include "repl/territory_output.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

namespace tally::cli {

namespace {

/// Columns aligned: the first `left` columns to the left, the rest to the right.
std::string aligned(const std::vector<std::vector<std::string>>& rows, std::size_t left,
                    const std::string& indent = "  ", bool last_left = false) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], row[c].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line = indent;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - row[c].size(), ' ');
      const bool to_left = c < left || (last_left && c + 1 == row.size());
      line += (c ? "  " : "") + (to_left ? row[c] + pad : pad + row[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string example(const TerritoryRow& row) {
  const std::string where = row.file + ":" + std::to_string(row.line);
  return row.id.empty() ? where : row.id + " (" + where + ")";
}

std::string examples(const TerritoryReport& report, const std::vector<std::size_t>& rows) {
  std::string out;
  for (std::size_t r : rows) out += (out.empty() ? "" : ", ") + example(report.rows[r]);
  return out;
}

std::string joined(const std::vector<std::string>& items, const std::string& sep = ", ") {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

std::string signed_change(const Amount& before, const Amount& after) {
  const Amount change = after + (-before);
  return (change.negative() || change.zero() ? "" : "+") + change.grouped(2);
}

const TerritoryBalance* find(const Balance& balance, const std::string& name) {
  for (const TerritoryBalance& t : balance.territories)
    if (t.name == name) return &t;
  return nullptr;
}

std::string spread_line(const char* label, const Balance& b, bool gini) {
  auto value = [&](const Spread& s) {
    if (gini) return s.gini ? fixed(s.gini, 4) : "n/a (all 0)";
    return s.max_min ? fixed(s.max_min, 2) : "n/a (smallest is 0)";
  };
  std::string out = std::string(label) + ": opportunities " + value(b.opportunities);
  if (b.fields.account >= 0) out += ", accounts " + value(b.accounts);
  if (b.fields.amount >= 0) out += ", bookings " + value(b.bookings);
  if (b.fields.potential >= 0) out += ", potential " + value(b.potential);
  return out;
}

/// `unit` names a group ("territory", "payee", or "`segment`"); owners are
/// shown for territories only.
void balance_text(std::ostringstream& out, const TerritoryReport& report, const Balance& b,
                  const std::string& unit = "territory", bool owners = true) {
  std::vector<std::vector<std::string>> rows;
  std::string column = unit;
  column.erase(std::remove(column.begin(), column.end(), '`'), column.end());
  std::vector<std::string> head{column, "owner", "opportunities"};
  if (!owners) head.erase(head.begin() + 1);
  if (b.fields.account >= 0) head.push_back("accounts");
  if (b.fields.amount >= 0) head.push_back("bookings");
  if (b.fields.potential >= 0) head.push_back("potential");
  head.push_back("");
  rows.push_back(head);
  for (const TerritoryBalance& t : b.territories) {
    std::vector<std::string> row{t.name, t.owner.empty() ? "-" : t.owner,
                                 std::to_string(t.opportunities)};
    if (!owners) row.erase(row.begin() + 1);
    if (b.fields.account >= 0) row.push_back(std::to_string(t.accounts));
    if (b.fields.amount >= 0) row.push_back(t.bookings.grouped(2));
    if (b.fields.potential >= 0) row.push_back(t.potential.grouped(2));
    row.push_back(t.opportunities == 0 ? "(no transactions: nothing to balance)" : "");
    rows.push_back(std::move(row));
  }
  out << "\nBalance per " << unit << " (each transaction counts for the " << unit
      << (unit == "territory" ? " it falls in" : " it belongs to");
  if (b.fields.amount >= 0)
    out << "; bookings: `" << report.fields[static_cast<std::size_t>(b.fields.amount)]
        << "` of the credited transactions";
  if (b.fields.account >= 0)
    out << "; accounts: distinct `" << report.fields[static_cast<std::size_t>(b.fields.account)]
        << "`";
  out << "):\n" << aligned(rows, owners ? 2 : 1);
  out << "  " << spread_line("Gini", b, true) << "\n";
  out << "  " << spread_line("max/min", b, false) << "\n";
}

std::string overlap_reason(const Overlap& o) {
  if (o.winner.empty()) return "a tie: no winner (a run stops with an error for them)";
  if (o.nested) return o.winner + " (a child wins over its ancestors)";
  return o.winner + " (highest priority)";
}

void what_if_text(std::ostringstream& out, const Balance& before, const WhatIf& w,
                  const std::string& unit = "territory") {
  out << "\nWhat-if (" << w.file << "): " << w.moves.size() << " move"
      << (w.moves.size() == 1 ? "" : "s") << ", " << w.moved << " transaction"
      << (w.moved == 1 ? "" : "s")
      << (unit == "territory" ? " change territory\n" : " change book\n");
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head{unit, "opportunities", "->"};
  if (before.fields.account >= 0) head.insert(head.end(), {"accounts", "->"});
  if (before.fields.amount >= 0) head.insert(head.end(), {"bookings", "->"});
  rows.push_back(head);
  std::vector<std::string> names;
  for (const TerritoryBalance& t : before.territories) names.push_back(t.name);
  for (const TerritoryBalance& t : w.after.territories)
    if (!find(before, t.name)) names.push_back(t.name);
  for (const std::string& name : names) {
    const TerritoryBalance none;
    const TerritoryBalance* a = find(before, name);
    const TerritoryBalance* b = find(w.after, name);
    if (!a) a = &none;
    if (!b) b = &none;
    std::vector<std::string> row{name, std::to_string(a->opportunities),
                                 std::to_string(b->opportunities)};
    if (before.fields.account >= 0)
      row.insert(row.end(), {std::to_string(a->accounts), std::to_string(b->accounts)});
    if (before.fields.amount >= 0)
      row.insert(row.end(), {a->bookings.grouped(2), b->bookings.grouped(2)});
    rows.push_back(std::move(row));
  }
  out << aligned(rows, 1);
  out << "  before: " << spread_line("Gini", before, true) << "\n";
  out << "  after:  " << spread_line("Gini", w.after, true) << "\n";
  out << "  before: " << spread_line("max/min", before, false) << "\n";
  out << "  after:  " << spread_line("max/min", w.after, false) << "\n";
  out << "Incentive cost (" << w.currency << "): " << w.total.before.grouped(2)
      << " without the moves, " << w.total.after.grouped(2)
      << " with them: " << signed_change(w.total.before, w.total.after) << "\n";
  auto lines = [&](const char* what, const std::vector<CostLine>& changed) {
    if (changed.empty()) return;
    out << "  by " << what << ":\n";
    std::vector<std::vector<std::string>> rows;
    for (const CostLine& c : changed)
      rows.push_back({c.label, c.before.grouped(2), "->", c.after.grouped(2),
                      signed_change(c.before, c.after)});
    out << aligned(rows, 1, "    ");
  };
  lines("component", w.components);
  lines("payee", w.payees);
}

void cross_sell_text(std::ostringstream& out, const CrossSellResult& c, const std::string& basis) {
  out << "\nCross-sell: " << c.gaps.size() << " of " << c.accounts
      << " accounts buy fewer product lines than the median of their peers (same " << basis << "; "
      << c.groups << " groups)\n";
  std::vector<std::vector<std::string>> rows{
      {"account", "sector", "size", "lines", "peer median", "peers", "most common lines it lacks"}};
  for (const CrossSellGap& g : c.gaps) {
    std::string missing;
    for (const auto& [line, n] : g.missing)
      missing += (missing.empty() ? "" : ", ") + line + " (" + std::to_string(n) + " of " +
                 std::to_string(g.peers) + ")";
    rows.push_back({g.account, g.sector, g.band, std::to_string(g.lines), fixed(g.peer_median, 1),
                    std::to_string(g.peers), missing});
  }
  if (!c.gaps.empty()) out << aligned(rows, 3, "  ", true);
  for (const std::string& note : c.notes) out << "  note: " << note << "\n";
}

nlohmann::json spread_json(const Spread& s) {
  nlohmann::json j;
  j["gini"] = s.gini ? nlohmann::json(*s.gini) : nlohmann::json(nullptr);
  j["max_min"] = s.max_min ? nlohmann::json(*s.max_min) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json balance_json(const TerritoryReport& report, const Balance& b) {
  nlohmann::json j;
  auto field = [&](int f) {
    return f >= 0 ? nlohmann::json(report.fields[static_cast<std::size_t>(f)])
                  : nlohmann::json(nullptr);
  };
  j["fields"] = {{"account", field(b.fields.account)},
                 {"amount", field(b.fields.amount)},
                 {"potential", field(b.fields.potential)}};
  j["territories"] = nlohmann::json::array();
  for (const TerritoryBalance& t : b.territories) {
    nlohmann::json row{{"name", t.name}, {"owner", t.owner}, {"opportunities", t.opportunities}};
    row["accounts"] = b.fields.account >= 0 ? nlohmann::json(t.accounts) : nlohmann::json(nullptr);
    row["bookings"] =
        b.fields.amount >= 0 ? nlohmann::json(t.bookings.plain(2)) : nlohmann::json(nullptr);
    row["potential"] =
        b.fields.potential >= 0 ? nlohmann::json(t.potential.plain(2)) : nlohmann::json(nullptr);
    row["note"] = t.opportunities == 0 ? "no transactions" : "";
    j["territories"].push_back(std::move(row));
  }
  j["spread"] = {{"opportunities", spread_json(b.opportunities)},
                 {"accounts", spread_json(b.accounts)},
                 {"bookings", spread_json(b.bookings)},
                 {"potential", spread_json(b.potential)}};
  j["notes"] = b.fields.notes;
  return j;
}

nlohmann::json row_json(const TerritoryRow& row) {
  return {{"id", row.id}, {"file", row.file}, {"row", row.line}};
}

nlohmann::json cost_json(const CostLine& c) {
  return {{"label", c.label},
          {"before", c.before.plain(2)},
          {"after", c.after.plain(2)},
          {"change", (c.after + (-c.before)).plain(2)}};
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

void grouped_text(std::ostringstream& out, const TerritoryFindings& f) {
  const TerritoryReport& report = *f.report;
  const Balance& b = *f.balance;
  const Grouping& g = *f.grouping;
  const bool books = g.by.empty();
  const std::string unit = books ? "payee" : "`" + g.by + "`";
  if (books)
    out << "Books of business of \"" << f.plan_name << "\": " << report.rows.size()
        << " transactions of `" << report.source << "`, "
        << plural(report.territories.size(), "payee", "payees") << "\n";
  else
    out << "Transactions of \"" << f.plan_name << "\" by `" << g.by << "`: " << report.rows.size()
        << " transactions of `" << report.source << "`, "
        << plural(report.territories.size(), "value", "values") << "\n";
  if (!g.declares_territories)
    out << "Note: the plan declares no territories; "
        << (books ? "each payee's book is the transactions a credit rule credits to them directly "
                    "(`gets`, not overlay or rollup)"
                  : "the groups are the values of `" + g.by + "`, not territories")
        << "\n";
  else
    out << "Note: grouped by `" << g.by << "` (--by) instead of the plan's territories\n";
  balance_text(out, report, b, unit, false);
  if (books) {
    std::size_t several = 0;
    for (const Overlap& o : b.overlaps) several += o.count;
    out << "\nSplits: ";
    if (b.overlaps.empty()) {
      out << "no transaction is credited directly to several payees\n";
    } else {
      out << several << (several == 1 ? " transaction is" : " transactions are")
          << " credited directly to several payees (in no single book)\n";
      for (const Overlap& o : b.overlaps)
        out << "  " << o.count << " credited to " << joined(o.matched) << "; e.g. "
            << examples(report, o.examples) << "\n";
    }
    out << "\nIn no book:";
    if (g.not_credited == 0 && g.no_payee == 0)
      out << " every transaction is credited to a payee\n";
    else
      out << "\n";
    if (g.not_credited > 0)
      out << "  " << g.not_credited
          << (g.not_credited == 1 ? " transaction is" : " transactions are")
          << " not credited by any rule (a `where` excludes them; not an error); e.g. "
          << examples(report, g.not_credited_examples) << "\n";
    if (g.no_payee > 0)
      out << "  " << g.no_payee << (g.no_payee == 1 ? " transaction is" : " transactions are")
          << " credited to no payee directly (overlay or rollup only); e.g. "
          << examples(report, g.no_payee_examples) << "\n";
  } else {
    out << "\nNo value: ";
    if (g.no_value == 0)
      out << "every transaction has a `" << g.by << "`\n";
    else
      out << g.no_value << (g.no_value == 1 ? " transaction has" : " transactions have")
          << " an empty `" << g.by << "`; e.g. " << examples(report, g.no_value_examples) << "\n";
    out << "\nNot credited by any rule: " << g.not_credited
        << " (counted in their group's opportunities, not in its bookings)\n";
    out << "Splits: " << g.splits << " credited directly to several payees\n";
  }
  if (!b.fields.notes.empty()) {
    out << "\nNotes:\n";
    for (const std::string& note : b.fields.notes) out << "  - " << note << "\n";
  }
  if (f.what_if) what_if_text(out, b, *f.what_if, "payee");
}

}  // namespace

std::string fixed(std::optional<double> value, int decimals) {
  if (!value) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, *value);
  return text;
}

std::string territories_text(const TerritoryFindings& f) {
  std::ostringstream out;
  const TerritoryReport* report = f.report;
  if (report && f.balance && f.grouping) {
    grouped_text(out, f);
  } else if (report && f.balance) {
    const Balance& b = *f.balance;
    out << "Territories of \"" << f.plan_name << "\": " << report->rows.size()
        << " transactions of `" << report->source << "`, " << report->territories.size()
        << " territories\n";
    balance_text(out, *report, b);
    std::size_t several = 0;
    for (const Overlap& o : b.overlaps) several += o.count;
    out << "\nSeveral territories: ";
    if (b.overlaps.empty()) {
      out << "no transaction matches more than one territory\n";
    } else {
      out << several << " transaction" << (several == 1 ? "" : "s") << " in " << b.overlaps.size()
          << " combination" << (b.overlaps.size() == 1 ? "" : "s") << "\n";
      for (const Overlap& o : b.overlaps)
        out << "  " << o.count << " match " << joined(o.matched) << " -> " << overlap_reason(o)
            << "; e.g. " << examples(*report, o.examples) << "\n";
    }
    out << "\nNo territory: ";
    if (b.none == 0)
      out << "every transaction matches a territory\n";
    else
      out << b.none << (b.none == 1 ? " transaction matches" : " transactions match")
          << " none; e.g. " << examples(*report, b.none_examples) << "\n";
    if (!b.fields.notes.empty()) {
      out << "\nNotes:\n";
      for (const std::string& note : b.fields.notes) out << "  - " << note << "\n";
    }
    if (f.what_if) what_if_text(out, b, *f.what_if);
  }
  if (f.cross_sell) cross_sell_text(out, *f.cross_sell, f.cross_sell_basis);
  return out.str();
}

nlohmann::json territories_json(const TerritoryFindings& f) {
  nlohmann::json j;
  j["plan"] = f.plan_name;
  const TerritoryReport* report = f.report;
  if (report && f.balance) {
    const Balance& b = *f.balance;
    j["source"] = report->source;
    j["transactions"] = report->rows.size();
    j["balance"] = balance_json(*report, b);
    nlohmann::json overlaps = nlohmann::json::array();
    for (const Overlap& o : b.overlaps) {
      nlohmann::json ex = nlohmann::json::array();
      for (std::size_t r : o.examples) ex.push_back(row_json(report->rows[r]));
      overlaps.push_back(
          {{"matched", o.matched},
           {"winner", o.winner.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.winner)},
           {"nested", o.nested},
           {"count", o.count},
           {"examples", ex}});
    }
    j["several"] = overlaps;
    nlohmann::json none = nlohmann::json::array();
    for (std::size_t r : b.none_examples) none.push_back(row_json(report->rows[r]));
    j["none"] = {{"count", b.none}, {"examples", none}};
    j["ties"] = b.ties;
    if (f.grouping) {
      const Grouping& g = *f.grouping;
      auto listed = [&](const std::vector<std::size_t>& rows) {
        nlohmann::json ex = nlohmann::json::array();
        for (std::size_t r : rows) ex.push_back(row_json(report->rows[r]));
        return ex;
      };
      j["grouping"] = {
          {"by", g.by.empty() ? "payee" : g.by},
          {"declares_territories", g.declares_territories},
          {"not_credited",
           {{"count", g.not_credited}, {"examples", listed(g.not_credited_examples)}}},
          {"no_payee", {{"count", g.no_payee}, {"examples", listed(g.no_payee_examples)}}},
          {"no_value", {{"count", g.no_value}, {"examples", listed(g.no_value_examples)}}},
          {"splits", g.splits}};
    }
    if (f.what_if) {
      const WhatIf& w = *f.what_if;
      nlohmann::json moves = nlohmann::json::array();
      for (const TerritoryMove& m : w.moves)
        moves.push_back(
            {{"field", m.field}, {"value", m.value}, {"territory", m.territory}, {"line", m.line}});
      nlohmann::json components = nlohmann::json::array();
      for (const CostLine& c : w.components) components.push_back(cost_json(c));
      nlohmann::json payees = nlohmann::json::array();
      for (const CostLine& c : w.payees) payees.push_back(cost_json(c));
      j["what_if"] = {{"file", w.file},
                      {"moves", moves},
                      {"moved_transactions", w.moved},
                      {"balance", balance_json(*report, w.after)},
                      {"currency", w.currency},
                      {"cost", cost_json(w.total)},
                      {"components", components},
                      {"payees", payees}};
    }
  }
  if (f.cross_sell) {
    const CrossSellResult& c = *f.cross_sell;
    nlohmann::json gaps = nlohmann::json::array();
    for (const CrossSellGap& g : c.gaps) {
      nlohmann::json missing = nlohmann::json::array();
      for (const auto& [line, n] : g.missing) missing.push_back({{"line", line}, {"peers", n}});
      gaps.push_back({{"account", g.account},
                      {"sector", g.sector},
                      {"band", g.band},
                      {"lines", g.lines},
                      {"peers", g.peers},
                      {"peer_median", g.peer_median},
                      {"missing", missing}});
    }
    j["cross_sell"] = {{"basis", f.cross_sell_basis},
                       {"accounts", c.accounts},
                       {"groups", c.groups},
                       {"gaps", gaps},
                       {"notes", c.notes}};
  }
  return j;
}

}  // namespace tally::cli
