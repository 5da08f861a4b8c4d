#include "interpreter/run_state.hpp"

#include <algorithm>

namespace tally {

namespace {

/// Data errors shown (as errors, or as warnings under --lenient); the rest
/// are counted, and under --lenient all are in rejects.csv.
constexpr std::size_t kShownDataErrors = 20;

}  // namespace

Location RunState::plan_location(Span span) const {
  return ast::locate(model.ast, span);
}

void RunState::data_error(DataErrorKind kind, Error error) {
  data_error(kind, std::move(error), "");
}

void RunState::data_error(DataErrorKind kind, Error error, std::string transaction) {
  if (!lenient) {
    if (errors.size() < kShownDataErrors) {
      errors.push_back(std::move(error));
    } else if (errors_hidden++ == 0) {
      errors.push_back(Error{{},
                             "more data errors follow; only the first " +
                                 std::to_string(kShownDataErrors) + " are shown",
                             ""});
    }
    return;
  }
  rejects.push_back(
      RejectedRow{kind, error.where.file, error.where.line, std::move(transaction), error.message});
  if (warnings.size() < kShownDataErrors)
    warnings.push_back(std::move(error));
  else
    ++errors_hidden;
}

const char* RunState::kind_name(DataErrorKind kind) {
  switch (kind) {
    case DataErrorKind::bad_row:
      return "bad_row";
    case DataErrorKind::unknown_payee:
      return "unknown_payee";
    case DataErrorKind::duplicate_key:
      return "duplicate_key";
    case DataErrorKind::missing_table_value:
      return "missing_table_value";
    case DataErrorKind::split_shares:
      return "split_shares";
    case DataErrorKind::missing_fx_rate:
      return "missing_fx_rate";
    case DataErrorKind::ambiguous_territory:
      return "ambiguous_territory";
  }
  return "data_error";
}

std::string_view RunState::payee_id(std::int32_t payee) const {
  return symbols.text(roster().columns[model.roster_key].symbols[payee]);
}

}  // namespace tally
