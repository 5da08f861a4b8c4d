// Stage 1: finding and loading the data of every source.
#include <filesystem>

#include "interpreter/run_stages.hpp"
#include "io/loader.hpp"

namespace tally {

namespace {

/// The file bound to `name`: an explicit binding, else DIR/NAME.csv or
/// DIR/NAME.json. Errors when none or both exist.
Result<std::string> bound_path(const std::string& name, const RunOptions& options, Span span,
                               const RunState& state) {
  if (auto it = options.bindings.find(name); it != options.bindings.end()) return it->second;
  namespace fs = std::filesystem;
  const fs::path dir(options.data_dir);
  const fs::path csv = dir / (name + ".csv");
  const fs::path json = dir / (name + ".json");
  std::error_code ec;
  const bool has_csv = fs::exists(csv, ec);
  const bool has_json = fs::exists(json, ec);
  if (has_csv && has_json)
    return Error{state.plan_location(span),
                 "source `" + name + "` matches both " + csv.string() + " and " + json.string(),
                 "choose one with --bind " + name + "=PATH"};
  if (has_csv) return csv.string();
  if (has_json) return json.string();
  return Error{
      state.plan_location(span),
      "no data for source `" + name + "`: found neither " + csv.string() + " nor " + json.string(),
      "put the file there, or bind it with --bind " + name + "=PATH"};
}

}  // namespace

void load_sources(RunState& state, const RunOptions& options) {
  for (const auto& [name, path] : options.bindings) {
    bool known = false;
    for (const auto& source : state.model.sources) known = known || source.schema.name == name;
    if (!known)
      state.errors.push_back(
          Error{{}, "--bind names `" + name + "`, but the plan has no source of that name", ""});
  }
  state.tables.resize(state.model.sources.size());
  for (std::size_t i = 0; i < state.model.sources.size(); ++i) {
    const SourceModel& source = state.model.sources[i];
    auto path = bound_path(source.schema.name, options, source.decl->name_span, state);
    if (!path) {
      for (auto& e : path.take_errors()) state.errors.push_back(std::move(e));
      continue;
    }
    LoadOptions load_options;
    load_options.calendar = state.model.calendar;  // for `period` fields
    auto table = load_table(source.schema, *path, state.symbols, load_options);
    if (!table) {
      for (auto& e : table.take_errors()) state.errors.push_back(std::move(e));
      continue;
    }
    state.tables[i] = std::move(table.value());
  }
  if (!state.errors.empty() || state.model.roster < 0) return;

  // The roster's ids, as symbols, index the payees.
  const Column& ids = state.roster().columns[state.model.roster_key];
  state.payee_of_symbol.assign(state.symbols.size(), -1);
  for (std::size_t row = 0; row < ids.symbols.size(); ++row)
    state.payee_of_symbol[ids.symbols[row]] = static_cast<std::int32_t>(row);
}

}  // namespace tally
