#include "ledger/plan_versions.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <memory>

#include "grammar/parser.hpp"

namespace tally::ledger {

Result<PlanVersion> read_plan_version(const std::string& text, const std::string& path) {
  auto parsed = parse_plan(std::make_shared<const SourceFile>(path, text));
  if (!parsed) return parsed.take_errors();
  if (!parsed->header) return Error{{path, 1, 1, 0}, "the plan has no header", ""};
  const ast::PlanHeader& h = *parsed->header;
  PlanVersion v;
  v.path = path;
  v.text = text;
  v.name = h.name;
  v.version = h.version.value_or("");
  v.effective = h.effective;
  if (!v.effective.empty() && !parse_iso_date(v.effective))
    return Error{{path, 1, 1, 0}, "`" + v.effective + "` is not a valid date", ""};
  if (!h.grain.empty())
    if (auto grain = parse_grain(h.grain)) v.calendar.grain = *grain;
  if (h.fiscal) {
    v.calendar.fiscal = true;
    if (auto start = parse_iso_date(h.year_start)) v.calendar.start_month = civil_of(*start).month;
  }
  return v;
}

Result<std::string> period_start(const PlanVersion& version, const std::string& period) {
  const auto parsed = parse_period(period, version.calendar);
  if (!parsed)
    return Error{{version.path, 0, 0, 0},
                 "`" + period + "` is not a period of the plan's calendar (periods of a " +
                     std::string(grain_name(version.calendar.grain)) + ")",
                 ""};
  return format_date(tally::period_start(*parsed, version.calendar));
}

std::vector<PlanVersion> distinct_versions(const std::vector<PlanVersion>& oldest_first) {
  std::vector<PlanVersion> out;
  for (const PlanVersion& v : oldest_first) {
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const PlanVersion& o) { return o.effective == v.effective; });
    if (same != out.end())
      *same = v;
    else
      out.push_back(v);
  }
  // ISO dates sort as text; the empty (undated) one sorts first.
  std::stable_sort(out.begin(), out.end(), [](const PlanVersion& a, const PlanVersion& b) {
    return a.effective < b.effective;
  });
  return out;
}

Result<std::size_t> version_in_force(const std::vector<PlanVersion>& versions,
                                     const std::string& period) {
  if (versions.empty()) return Error{{}, "no plan version is known", ""};
  // Every version shares the calendar of the plan; periods are its labels.
  auto first_day = period_start(versions.back(), period);
  if (!first_day) return first_day.take_errors();
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < versions.size(); ++i)
    if (versions[i].effective <= *first_day) found = i;
  if (!found) {
    const PlanVersion& first = versions.front();
    return Error{{first.path, 1, 1, 0},
                 "no version of plan \"" + first.name + "\" is in force in period " + period +
                     " (starting " + *first_day + "): the earliest is effective " + first.effective,
                 "give the first version no effective date, or an earlier one"};
  }
  return *found;
}

Result<std::vector<PlanVersion>> known_versions(const Ledger& ledger, const PlanVersion& current) {
  // Ledger has no query for this yet (asked for in the report): read the
  // documented schema directly, oldest run first.
  sqlite3* db = ledger.handle();
  sqlite3_stmt* raw = nullptr;
  const char* sql =
      "SELECT r.plan_path, t.text FROM runs r JOIN plan_texts t ON t.sha256 = r.plan_sha256 "
      "GROUP BY r.plan_sha256 ORDER BY MAX(r.id)";
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK)
    return Error{{ledger.path(), 0, 0, 0},
                 std::string("cannot read the plan versions of the ledger: ") + sqlite3_errmsg(db),
                 ""};
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  std::vector<PlanVersion> all;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    auto text_of = [&](int column) {
      const auto* p = sqlite3_column_text(stmt.get(), column);
      return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
    };
    auto version = read_plan_version(text_of(1), text_of(0));
    if (version) all.push_back(std::move(*version));
  }
  if (rc != SQLITE_DONE)
    return Error{{ledger.path(), 0, 0, 0},
                 std::string("cannot read the plan versions of the ledger: ") + sqlite3_errmsg(db),
                 ""};
  all.push_back(current);
  return distinct_versions(all);
}

Result<PlanVersion> version_for_period(const Ledger& ledger, const PlanVersion& current,
                                       const std::string& period) {
  auto versions = known_versions(ledger, current);
  if (!versions) return versions.take_errors();
  auto index = version_in_force(*versions, period);
  if (!index) return index.take_errors();
  return (*versions)[*index];
}

}  // namespace tally::ledger
