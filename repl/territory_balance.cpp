// Territory balance from a territory report: the winner of each row decides
// whose figures it adds to, as it decides whose credits it makes in a run.
#include "repl/territory_balance.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "stdlib/distribution.hpp"

namespace tally::cli {

namespace {

int field_index(const TerritoryReport& report, const std::string& name) {
  for (std::size_t i = 0; i < report.fields.size(); ++i)
    if (report.fields[i] == name) return static_cast<int>(i);
  return -1;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The default account field: `account`, else the one text field whose
/// name holds "account" but not "state" (`account_state` is a place), else
/// `customer`.
int default_account(const TerritoryReport& report) {
  if (const int exact = field_index(report, "account"); exact >= 0) return exact;
  int found = -1;
  for (std::size_t i = 0; i < report.fields.size(); ++i) {
    const std::string& f = report.fields[i];
    if (!contains(f, "account") || contains(f, "state") || report.field_types[i] != "text")
      continue;
    if (found >= 0) return -1;  // two candidates: the user chooses
    found = static_cast<int>(i);
  }
  if (found < 0) found = field_index(report, "customer");
  return found;
}

std::vector<double> to_doubles(const std::vector<Amount>& amounts) {
  std::vector<double> out;
  for (const Amount& a : amounts) out.push_back(a.to_double());
  return out;
}

}  // namespace

ChosenFields choose_fields(const TerritoryReport& report, const BalanceFields& asked) {
  ChosenFields out;
  auto pick = [&](const std::string& name, const char* flag, int fallback, int& target) {
    if (name.empty()) {
      target = fallback;
      return true;
    }
    target = field_index(report, name);
    if (target >= 0) return true;
    std::string list;
    for (const std::string& f : report.fields) list += (list.empty() ? "" : ", ") + f;
    out.error = std::string(flag) + " " + name + ": `" + report.source + "` has no field `" + name +
                "` (its fields: " + list + ")";
    return false;
  };
  if (!pick(asked.account, "--account", default_account(report), out.account)) return out;
  if (!pick(asked.amount, "--amount", report.amount_field, out.amount)) return out;
  if (!pick(asked.potential, "--potential", field_index(report, "potential"), out.potential))
    return out;
  if (out.account < 0)
    out.notes.push_back("accounts are not counted: `" + report.source +
                        "` has no account field (name one with --account FIELD)");
  if (out.amount < 0)
    out.notes.push_back("bookings are not summed: no credit rule credits a field of `" +
                        report.source + "` (name one with --amount FIELD)");
  if (out.potential < 0)
    out.notes.push_back("potential is not shown: `" + report.source +
                        "` has no field `potential` (name one with --potential FIELD)");
  return out;
}

Spread spread_of(const std::vector<double>& values) {
  Spread s;
  s.gini = analytics::gini(values);
  s.max_min = analytics::max_min_ratio(values);
  return s;
}

Balance balance_of(const TerritoryReport& report, const ChosenFields& fields) {
  Balance out;
  out.fields = fields;
  std::unordered_map<std::string, std::size_t> index_of;
  for (const TerritoryInfo& t : report.territories) {
    index_of[t.name] = out.territories.size();
    TerritoryBalance b;
    b.name = t.name;
    b.owner = t.owner;
    out.territories.push_back(std::move(b));
  }
  std::vector<std::set<std::string>> accounts(out.territories.size());
  std::map<std::vector<std::string>, std::size_t> overlap_of;
  auto is_ancestor = [&](const std::string& a, const std::string& b) {
    return b.size() > a.size() && b.compare(0, a.size() + 1, a + ".") == 0;
  };
  for (std::size_t r = 0; r < report.rows.size(); ++r) {
    const TerritoryRow& row = report.rows[r];
    if (row.matched.size() > 1) {
      auto [it, fresh] = overlap_of.try_emplace(row.matched, out.overlaps.size());
      if (fresh) {
        Overlap o;
        o.matched = row.matched;
        o.winner = row.winner;
        o.nested = std::all_of(row.matched.begin(), row.matched.end(), [&](const std::string& m) {
          return m == row.winner || is_ancestor(m, row.winner);
        });
        out.overlaps.push_back(std::move(o));
      }
      Overlap& o = out.overlaps[it->second];
      ++o.count;
      if (o.examples.size() < kExamples) o.examples.push_back(r);
    }
    if (row.tie) ++out.ties;
    if (row.winner.empty()) {
      if (!row.tie) {
        ++out.none;
        if (out.none_examples.size() < kExamples) out.none_examples.push_back(r);
      }
      continue;
    }
    const auto at = index_of.find(row.winner);
    if (at == index_of.end()) continue;  // the report lists every winner; kept safe
    TerritoryBalance& b = out.territories[at->second];
    ++b.opportunities;
    const std::string account =
        fields.account >= 0 ? row.cells[static_cast<std::size_t>(fields.account)] : "";
    const bool new_account = !account.empty() && accounts[at->second].insert(account).second;
    if (row.credited && fields.amount >= 0)
      if (auto a = Amount::parse(row.cells[static_cast<std::size_t>(fields.amount)]))
        b.bookings += *a;
    // Potential belongs to an account: counted at its first row.
    if (fields.potential >= 0 && (fields.account < 0 || new_account))
      if (auto p = Amount::parse(row.cells[static_cast<std::size_t>(fields.potential)]))
        b.potential += *p;
  }
  for (std::size_t t = 0; t < out.territories.size(); ++t)
    out.territories[t].accounts = accounts[t].size();
  std::stable_sort(out.overlaps.begin(), out.overlaps.end(),
                   [](const Overlap& a, const Overlap& b) { return a.count > b.count; });

  std::vector<double> opportunities, counts;
  std::vector<Amount> bookings, potential;
  for (const TerritoryBalance& b : out.territories) {
    opportunities.push_back(static_cast<double>(b.opportunities));
    counts.push_back(static_cast<double>(b.accounts));
    bookings.push_back(b.bookings);
    potential.push_back(b.potential);
  }
  out.opportunities = spread_of(opportunities);
  if (fields.account >= 0) out.accounts = spread_of(counts);
  if (fields.amount >= 0) out.bookings = spread_of(to_doubles(bookings));
  if (fields.potential >= 0) out.potential = spread_of(to_doubles(potential));
  return out;
}

}  // namespace tally::cli
