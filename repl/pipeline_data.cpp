// Reads the pipeline source through the engine's own loader (io/loader.hpp
// for files, interpreter/inline_table.hpp for sources given in memory), so
// the plan's column options apply and bad cells get the same located errors
// as in `tally run`. The public API runs plans but does not hand out source
// rows, hence the internal headers.
#include "repl/pipeline_data.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "grammar/ast.hpp"
#include "grammar/diagnostics.hpp"
#include "interpreter/inline_table.hpp"
#include "interpreter/plan.hpp"
#include "interpreter/row_labels.hpp"
#include "interpreter/runtime/spelling.hpp"
#include "io/loader.hpp"

namespace tally::cli {
namespace {

bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool in_list(std::string_view word, const std::vector<std::string>& list) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& item) { return same_text(word, item); });
}

Message make_message(const Error& error, const Plan& plan, Message::Severity severity) {
  Message m;
  m.severity = severity;
  m.file = error.where.file;
  m.line = error.where.line;
  m.column = error.where.column;
  m.text = error.message;
  m.hint = error.hint;
  const SourceFile* file =
      plan.file && plan.file->name() == error.where.file ? plan.file.get() : nullptr;
  m.rendered = render_error(
      error, file,
      severity == Message::Severity::error ? tally::Severity::error : tally::Severity::warning);
  return m;
}

Location plan_location(const Plan& plan, const SourceModel* source) {
  if (source != nullptr && source->decl != nullptr)
    return ast::locate(plan.model->ast, source->decl->span);
  Location where;
  where.file = plan.file ? plan.file->name() : "";
  return where;
}

bool is_text_kind(Kind kind) {
  return kind == Kind::text || kind == Kind::payee || kind == Kind::territory;
}

const std::vector<std::string> kStageNames{"stage", "deal_stage", "status"};
const std::vector<std::string> kOpenedNames{"created", "engage_date",  "open_date",
                                            "opened",  "created_date", "create_date"};
const std::vector<std::string> kClosedNames{"close_date", "closed", "closed_date"};
const std::vector<std::string> kAccountNames{"account", "account_id", "customer"};
const std::vector<std::string> kProductNames{"product", "product_id"};

int field_named(const SourceSchema& schema, const std::vector<std::string>& names,
                bool (*fits)(Kind)) {
  for (const std::string& name : names)
    for (std::size_t f = 0; f < schema.fields.size(); ++f)
      if (schema.fields[f].name == name && fits(schema.fields[f].type.kind))
        return static_cast<int>(f);
  return -1;
}

int field_of_kind(const SourceSchema& schema, Kind kind) {
  for (std::size_t f = 0; f < schema.fields.size(); ++f)
    if (schema.fields[f].type.kind == kind) return static_cast<int>(f);
  return -1;
}

bool fits_text(Kind kind) {
  return is_text_kind(kind);
}
bool fits_date(Kind kind) {
  return kind == Kind::date;
}
bool fits_money(Kind kind) {
  return kind == Kind::money || kind == Kind::decimal || kind == Kind::integer;
}

const SourceModel* find_source(const PlanModel& model, const PipelineSpec& spec) {
  if (!spec.source.empty()) {
    for (const SourceModel& source : model.sources)
      if (source.schema.name == spec.source) return &source;
    return nullptr;
  }
  // A stage field named with --stage picks the source that has it; else (or
  // when none has it, which the field check then reports) the usual names.
  for (const auto* names : {&spec.stage, static_cast<const std::string*>(nullptr)}) {
    if (names != nullptr && names->empty()) continue;
    const std::vector<std::string> stage_names =
        names != nullptr ? std::vector<std::string>{*names} : kStageNames;
    for (const SourceModel& source : model.sources)
      if (!source.is_roster && field_named(source.schema, stage_names, fits_text) >= 0)
        return &source;
  }
  return nullptr;
}

// One role of a field (owner, stage, ...): the named field, checked, or the
// one found by `guess`; -1 with a note when there is none.
struct FieldRole {
  const char* role;
  std::string* name;  // the spec's entry, filled in when found
  bool (*fits)(Kind);
  const char* expected;  // for the type error
  int guess;
  const char* without;  // what happens without it, for the note
};

std::string source_file(const std::string& name, const RunOptions& options, std::string& problem) {
  if (auto it = options.bindings.find(name); it != options.bindings.end()) return it->second;
  namespace fs = std::filesystem;
  const fs::path csv = fs::path(options.data_dir) / (name + ".csv");
  const fs::path json = fs::path(options.data_dir) / (name + ".json");
  std::error_code ec;
  const bool has_csv = fs::exists(csv, ec);
  const bool has_json = fs::exists(json, ec);
  if (has_csv && has_json) {
    problem = "source `" + name + "` matches both " + csv.string() + " and " + json.string();
    return "";
  }
  if (has_csv) return csv.string();
  if (has_json) return json.string();
  problem =
      "no data for source `" + name + "`: found neither " + csv.string() + " nor " + json.string();
  return "";
}

std::optional<double> number_at(const Column& column, std::size_t row) {
  if (column.is_null(row)) return std::nullopt;
  if (column.type.kind == Kind::integer) return static_cast<double>(column.ints[row]);
  return std::strtod(column.decimals.at(row).to_string().c_str(), nullptr);
}

std::optional<int> day_at(const Column& column, std::size_t row) {
  if (column.is_null(row)) return std::nullopt;
  return column.dates[row].days;
}

std::string text_at(const Column& column, std::size_t row, const SymbolTable& symbols) {
  if (column.is_null(row)) return "";
  return std::string(symbols.text(column.symbols[row]));
}

}  // namespace

PipelineResult read_pipeline(const Engine& /*engine*/, const Plan& plan, const RunOptions& options,
                             const PipelineSpec& spec) {
  PipelineResult result;
  const PlanModel& model = *plan.model;
  const SourceModel* source = find_source(model, spec);
  if (source == nullptr) {
    std::vector<std::string> names;
    for (const SourceModel& s : model.sources) names.push_back(s.schema.name);
    Error error{plan_location(plan, nullptr), "", ""};
    if (spec.source.empty()) {
      error.message =
          "the plan has no pipeline source: no source has a text field `stage`, `deal_stage` "
          "or `status`";
      error.hint = "name the source with --source NAME and its stage field with --stage NAME";
    } else {
      error.message = "the plan has no source `" + spec.source + "`";
      if (auto near = closest_match(spec.source, names))
        error.hint = "did you mean `" + *near + "`?";
    }
    result.messages.push_back(make_message(error, plan, Message::Severity::error));
    result.no_source = true;
    return result;
  }
  const SourceSchema& schema = source->schema;
  PipelineData data;
  data.spec = spec;
  data.spec.source = schema.name;

  std::vector<std::string> field_names;
  for (const FieldSpec& f : schema.fields) field_names.push_back(f.name);
  FieldRole roles[] = {
      {"owner", &data.spec.owner, fits_text, "a payee or text field",
       field_of_kind(schema, Kind::payee), "no opportunity has an owner"},
      {"stage", &data.spec.stage, fits_text, "a text field",
       field_named(schema, kStageNames, fits_text), "every opportunity counts as open"},
      {"value", &data.spec.value, fits_money, "a money, decimal or int field",
       field_of_kind(schema, Kind::money), "no opportunity has a value"},
      {"opened", &data.spec.opened, fits_date, "a date field",
       field_named(schema, kOpenedNames, fits_date), "open dates are unknown"},
      {"closed", &data.spec.closed, fits_date, "a date field",
       field_named(schema, kClosedNames, fits_date), "close dates are unknown"},
      {"account", &data.spec.account, fits_text, "a text field",
       field_named(schema, kAccountNames, fits_text), "accounts are unknown"},
      {"product", &data.spec.product, fits_text, "a text field",
       field_named(schema, kProductNames, fits_text), "products are unknown"},
  };
  int index[7];
  const Location where = plan_location(plan, source);
  for (std::size_t r = 0; r < 7; ++r) {
    FieldRole& role = roles[r];
    index[r] = -1;
    if (!role.name->empty()) {
      const auto it = std::find(field_names.begin(), field_names.end(), *role.name);
      Error error{where, "", ""};
      if (it == field_names.end()) {
        error.message = "source `" + schema.name + "` has no field `" + *role.name +
                        "` (asked for as the " + role.role + ")";
        if (auto near = closest_match(*role.name, field_names))
          error.hint = "did you mean `" + *near + "`?";
      } else if (!role.fits(schema.fields[it - field_names.begin()].type.kind)) {
        error.message = "field `" + *role.name + "` of source `" + schema.name + "` is " +
                        type_name(schema.fields[it - field_names.begin()].type) + ", but the " +
                        role.role + " must be " + role.expected;
      } else {
        index[r] = static_cast<int>(it - field_names.begin());
        continue;
      }
      result.messages.push_back(make_message(error, plan, Message::Severity::error));
      continue;
    }
    index[r] = role.guess;
    if (role.guess >= 0) {
      *role.name = schema.fields[static_cast<std::size_t>(role.guess)].name;
    } else {
      data.notes.push_back("source `" + schema.name + "` has no " + role.role +
                           " field: " + role.without);
    }
  }
  if (has_errors(result.messages)) return result;

  SymbolTable symbols;
  Result<Table> loaded = [&]() -> Result<Table> {
    if (auto it = options.tables.find(schema.name); it != options.tables.end())
      return load_inline_table(schema, it->second, symbols, model.calendar);
    std::string problem;
    const std::string path = source_file(schema.name, options, problem);
    if (path.empty())
      return Error{where, problem,
                   "put the file there, or bind it with --bind " + schema.name + "=PATH"};
    LoadOptions load;
    load.calendar = model.calendar;
    load.threads = options.threads;
    std::vector<BadRow> bad_rows;
    if (options.lenient) load.bad_rows = &bad_rows;
    Result<Table> table = load_table(schema, path, symbols, load);
    if (!bad_rows.empty())
      data.notes.push_back(std::to_string(bad_rows.size()) + " bad value(s) in " + path +
                           " left out (--lenient); the first: " + bad_rows.front().message);
    return table;
  }();
  if (!loaded.ok()) {
    for (const Error& e : loaded.errors())
      result.messages.push_back(make_message(e, plan, Message::Severity::error));
    return result;
  }
  const Table& table = loaded.value();
  auto column = [&](std::size_t r) -> const Column* {
    return index[r] < 0 ? nullptr : &table.columns[static_cast<std::size_t>(index[r])];
  };
  const int key = key_field(schema);
  data.opportunities.reserve(table.rows);
  for (std::size_t row = 0; row < table.rows; ++row) {
    Opportunity o;
    o.id = key >= 0 ? transaction_id(schema, table, row, symbols, model.calendar)
                    : std::to_string(table.file_row(row));
    if (const Column* c = column(0)) o.owner = text_at(*c, row, symbols);
    if (const Column* c = column(1)) {
      o.stage = text_at(*c, row, symbols);
      o.outcome = in_list(o.stage, spec.won_stages)    ? Outcome::won
                  : in_list(o.stage, spec.lost_stages) ? Outcome::lost
                                                       : Outcome::open;
    }
    if (const Column* c = column(2)) o.value = number_at(*c, row);
    if (const Column* c = column(3)) o.opened = day_at(*c, row);
    if (const Column* c = column(4)) o.closed = day_at(*c, row);
    if (const Column* c = column(5)) o.account = text_at(*c, row, symbols);
    if (const Column* c = column(6)) o.product = text_at(*c, row, symbols);
    data.opportunities.push_back(std::move(o));
  }
  result.data = std::move(data);
  return result;
}

}  // namespace tally::cli
