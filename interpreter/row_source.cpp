// A source whose rows come from a host callback: see host_sources.hpp.
#include <string>

#include "interpreter/host_sources.hpp"
#include "interpreter/runtime/spelling.hpp"
#include "io/load_errors.hpp"
#include "io/table_builder.hpp"

namespace tally {

namespace {

constexpr int kMaxErrors = 20;  // as for files (LoadOptions::max_errors)

}  // namespace

Result<std::vector<int>> match_host_columns(const SourceSchema& schema,
                                            const std::vector<std::string>& names,
                                            const std::string& origin) {
  std::vector<int> column_of(schema.fields.size(), -1);
  std::vector<std::string> field_names;
  for (const FieldSpec& field : schema.fields) field_names.push_back(field.name);
  Errors errors;
  for (std::size_t c = 0; c < names.size(); ++c) {
    bool found = false;
    for (std::size_t f = 0; f < schema.fields.size(); ++f) {
      if (schema.fields[f].name != names[c]) continue;
      found = true;
      if (column_of[f] >= 0)
        errors.push_back(Error{{origin, 0, 0, 0},
                               "two columns give `" + names[c] + "` of `" + schema.name + "`",
                               "give each field once"});
      column_of[f] = static_cast<int>(c);
    }
    if (!found) {
      const auto near = closest_match(names[c], field_names);
      errors.push_back(Error{{origin, 0, 0, 0},
                             "`" + schema.name + "` has no field `" + names[c] + "`",
                             near ? "did you mean `" + *near + "`?" : ""});
    }
  }
  if (!errors.empty()) return errors;
  return column_of;
}

Result<Table> load_row_source(const SourceSchema& schema, const RowSource& given,
                              SymbolTable& symbols, const Calendar& calendar,
                              std::vector<BadRow>* bad_rows,
                              const std::function<bool(std::uint64_t)>& keep_going) {
  const std::string origin = given.origin.empty() ? schema.name + " (rows)" : given.origin;
  if (!given.next)
    return Error{{origin, 0, 0, 0},
                 "`" + schema.name + "` is given as rows, but without a function to read them",
                 "set RowSource::next"};
  auto column_of = match_host_columns(schema, given.columns, origin);
  if (!column_of) return column_of.take_errors();
  auto made = TableBuilder::make(schema, origin, symbols, calendar, true);
  if (!made) return made.take_errors();
  TableBuilder& builder = made.value();
  if (keep_going) builder.set_guard(&keep_going);  // asked as rows are added
  for (std::size_t f = 0; f < schema.fields.size(); ++f)
    if (const int c = column_of.value()[f]; c >= 0)
      builder.set_label(f, given.columns[static_cast<std::size_t>(c)]);
  LoadErrors errors(origin, kMaxErrors);
  ValueProblem problem;
  std::vector<std::optional<std::string>> cells(given.columns.size());
  try {
    for (std::uint32_t row = 1;; ++row) {
      for (auto& cell : cells) cell.reset();
      cells.resize(given.columns.size());
      if (!given.next(cells)) break;
      if (cells.size() != given.columns.size()) {
        errors.add(static_cast<int>(row), 0,
                   "the row has " + std::to_string(cells.size()) + " cells for " +
                       std::to_string(given.columns.size()) + " columns");
        continue;
      }
      builder.begin_row(row);
      bool bad = false;
      for (std::size_t f = 0; f < schema.fields.size(); ++f) {
        const int c = column_of.value()[f];
        bool ok = true;
        if (c < 0)
          ok = builder.append_absent(f, problem, "no column gives `" + schema.fields[f].name + "`");
        else if (const auto& cell = cells[static_cast<std::size_t>(c)]; !cell)
          ok = builder.append_null(f, problem, "null");
        else
          ok = builder.append(f, *cell, problem);
        if (ok) continue;
        if (bad_rows) {
          bad = true;
          bad_rows->push_back(BadRow{static_cast<int>(row), c + 1, builder.label(f),
                                     std::move(problem.found), std::move(problem.expected),
                                     std::move(problem.message), std::move(problem.hint)});
        } else {
          errors.add(static_cast<int>(row), c + 1, std::move(problem.message),
                     std::move(problem.hint));
        }
      }
      builder.end_row();
      if (bad) builder.drop_last_row();
    }
  } catch (const LoadStopped&) {  // the run's limits said stop (the run reports which)
    return Error{
        {origin, 0, 0, 0}, "the rows of `" + schema.name + "` were stopped before their end", ""};
  }
  if (!errors.empty()) return errors.take();
  return builder.finish();
}

}  // namespace tally
