// Running a plan and reading its result.
#include <ctime>
#include <memory>
#include <string>

#include "capi/call_guard.hpp"
#include "capi/handles.hpp"
#include "tally/json.hpp"

using tally::capi::fail;
using tally::capi::guarded;
using tally::capi::null_argument;

namespace {

tally_status to_status(tally::RunStatus status) {
  switch (status) {
    case tally::RunStatus::ok:
      return TALLY_OK;
    case tally::RunStatus::failed:
      return TALLY_DATA_ERROR;
    case tally::RunStatus::instruction_limit:
      return TALLY_INSTRUCTION_LIMIT;
    case tally::RunStatus::memory_limit:
      return TALLY_MEMORY_LIMIT;
    case tally::RunStatus::timeout:
      return TALLY_TIMEOUT;
    case tally::RunStatus::cancelled:
      return TALLY_CANCELLED;
    case tally::RunStatus::internal_error:
      return TALLY_INTERNAL_ERROR;
  }
  return TALLY_INTERNAL_ERROR;
}

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

/// The first error's rendering, for tally_last_error().
std::string first_error(const std::vector<tally::Message>& messages, const std::string& fallback) {
  for (const auto& m : messages)
    if (m.severity == tally::Message::Severity::error)
      return m.rendered.empty() ? m.text : m.rendered;
  return fallback;
}

const tally::ResultTable* table_of(const tally_result* result, tally_table table) {
  if (!result) return nullptr;
  switch (table) {
    case TALLY_TABLE_PAYOUTS:
      return &result->run.payouts;
    case TALLY_TABLE_CREDITS:
      return &result->run.credits;
    case TALLY_TABLE_MEASURES:
      return &result->run.measures;
    case TALLY_TABLE_REJECTS:
      return &result->run.rejects;
    case TALLY_TABLE_PAYEES:
      return &result->run.payees;
    case TALLY_TABLE_MAX_ENUM:
      break;
  }
  return nullptr;
}

tally_status unknown_table(const char* function, tally_table table) {
  return fail(TALLY_INVALID_ARGUMENT,
              std::string(function) + ": unknown table " + std::to_string(static_cast<int>(table)));
}

}  // namespace

extern "C" {

tally_status tally_run(const tally_engine* engine, const tally_plan* plan,
                       const tally_options* options, tally_result** out) {
  return guarded("tally_run", [&] {
    if (!out) return null_argument("tally_run", "out");
    *out = nullptr;
    if (!engine) return null_argument("tally_run", "engine");
    if (!plan) return null_argument("tally_run", "plan");
    auto result = std::make_unique<tally_result>();
    if (!plan->plan) {
      result->status = TALLY_PLAN_ERROR;
      result->run.messages = plan->messages.list;
      result->messages.list = plan->messages.list;
      *out = result.release();
      return fail(TALLY_PLAN_ERROR,
                  "tally_run: the plan did not compile: " +
                      first_error(plan->messages.list, "see the plan's messages"));
    }
    static const tally_options defaults;
    const tally::RunOptions& run_options = options ? options->run : defaults.run;
    result->record.plan_path = plan->path;
    result->record.started_utc = utc_now();
    result->record.first_period = run_options.first_period;
    result->record.last_period = run_options.last_period;
    result->record.payees = run_options.payees;
    result->record.lenient = run_options.lenient;
    result->run = engine->engine.run(*plan->plan, run_options);
    result->record.seconds = result->run.summary.seconds;
    result->messages.list = result->run.messages;
    result->status = to_status(result->run.status);
    tally_status status = result->status;
    *out = result.release();
    if (status != TALLY_OK)
      return fail(status,
                  first_error((*out)->run.messages, std::string("the run ended with status ") +
                                                        tally::status_name((*out)->run.status)));
    return TALLY_OK;
  });
}

void tally_result_free(tally_result* result) {
  delete result;
}

tally_status tally_result_status(const tally_result* result) {
  return result ? result->status : TALLY_INVALID_ARGUMENT;
}

const tally_messages* tally_result_messages(const tally_result* result) {
  return result ? &result->messages : nullptr;
}

const char* tally_result_total(const tally_result* result) {
  return result ? result->run.summary.total_paid.c_str() : "";
}

const char* tally_result_currency(const tally_result* result) {
  return result ? result->run.summary.currency.c_str() : "";
}

size_t tally_result_row_count(const tally_result* result, tally_table table) {
  const tally::ResultTable* t = table_of(result, table);
  return t ? t->rows.size() : 0;
}

size_t tally_result_column_count(const tally_result* result, tally_table table) {
  const tally::ResultTable* t = table_of(result, table);
  return t ? t->columns.size() : 0;
}

tally_status tally_result_column_name(const tally_result* result, tally_table table, size_t column,
                                      const char** out) {
  const char* f = "tally_result_column_name";
  return guarded(f, [&] {
    if (!out) return null_argument(f, "out");
    *out = nullptr;
    if (!result) return null_argument(f, "result");
    const tally::ResultTable* t = table_of(result, table);
    if (!t) return unknown_table(f, table);
    if (column >= t->columns.size())
      return fail(TALLY_INVALID_ARGUMENT, std::string(f) + ": column " + std::to_string(column) +
                                              " does not exist (the table has " +
                                              std::to_string(t->columns.size()) + ")");
    *out = t->columns[column].c_str();
    return TALLY_OK;
  });
}

tally_status tally_result_cell(const tally_result* result, tally_table table, size_t row,
                               size_t column, const char** out) {
  const char* f = "tally_result_cell";
  return guarded(f, [&] {
    if (!out) return null_argument(f, "out");
    *out = nullptr;
    if (!result) return null_argument(f, "result");
    const tally::ResultTable* t = table_of(result, table);
    if (!t) return unknown_table(f, table);
    if (row >= t->rows.size())
      return fail(TALLY_INVALID_ARGUMENT, std::string(f) + ": row " + std::to_string(row) +
                                              " does not exist (the table has " +
                                              std::to_string(t->rows.size()) + ")");
    const auto& cells = t->rows[row];
    if (column >= cells.size())
      return fail(TALLY_INVALID_ARGUMENT, std::string(f) + ": column " + std::to_string(column) +
                                              " does not exist (the row has " +
                                              std::to_string(cells.size()) + ")");
    *out = cells[column].c_str();
    return TALLY_OK;
  });
}

tally_status tally_result_json(const tally_result* result, char** out) {
  const char* f = "tally_result_json";
  return guarded(f, [&] {
    if (!out) return null_argument(f, "out");
    *out = nullptr;
    if (!result) return null_argument(f, "result");
    *out = tally::capi::owned_copy(tally::to_json(result->run).dump());
    return TALLY_OK;
  });
}

tally_status tally_result_write(const tally_result* result, const char* directory,
                                tally_output_format format) {
  const char* f = "tally_result_write";
  return guarded(f, [&] {
    if (!result) return null_argument(f, "result");
    if (!directory) return null_argument(f, "directory");
    tally::OutputFormat output;
    switch (format) {
      case TALLY_FORMAT_CSV:
        output = tally::OutputFormat::csv;
        break;
      case TALLY_FORMAT_JSON:
        output = tally::OutputFormat::json;
        break;
      case TALLY_FORMAT_SQLITE:
        output = tally::OutputFormat::sqlite;
        break;
      default:
        return fail(TALLY_INVALID_ARGUMENT, std::string(f) + ": unknown format " +
                                                std::to_string(static_cast<int>(format)));
    }
    auto messages = tally::write_outputs(result->run, directory, output, result->record);
    if (tally::has_errors(messages))
      return fail(TALLY_IO_ERROR, first_error(messages, "writing the results failed"));
    return TALLY_OK;
  });
}

}  // extern "C"
