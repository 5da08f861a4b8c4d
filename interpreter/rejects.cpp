// The rejects of a lenient run: the rows and credits left out, with why, as
// a table (rejects.csv) and as counts per kind of data error (the summary).
#include <filesystem>

#include "interpreter/run_stages.hpp"

namespace tally {

void report_rejects(const RunState& state, RunResult& result) {
  if (!state.lenient) return;
  result.rejects.columns = {"kind", "file", "row", "transaction", "message"};
  constexpr DataErrorKind kinds[] = {DataErrorKind::bad_row,
                                     DataErrorKind::unknown_payee,
                                     DataErrorKind::duplicate_key,
                                     DataErrorKind::missing_table_value,
                                     DataErrorKind::split_shares,
                                     DataErrorKind::missing_fx_rate,
                                     DataErrorKind::ambiguous_territory};
  std::size_t counts[std::size(kinds)] = {};
  for (const RunState::RejectedRow& reject : state.rejects) {
    // The file's name only: the rows of rejects.csv read the same wherever
    // the data folder is (the warnings give the whole path).
    result.rejects.rows.push_back({RunState::kind_name(reject.kind),
                                   std::filesystem::path(reject.file).filename().string(),
                                   reject.row > 0 ? std::to_string(reject.row) : std::string(),
                                   reject.transaction, reject.message});
    for (std::size_t k = 0; k < std::size(kinds); ++k)
      if (kinds[k] == reject.kind) ++counts[k];
  }
  for (std::size_t k = 0; k < std::size(kinds); ++k)
    if (counts[k] > 0)
      result.summary.rejected.emplace_back(RunState::kind_name(kinds[k]), counts[k]);
  if (state.errors_hidden > 0) {
    Message more;
    more.severity = Message::Severity::warning;
    more.text = std::to_string(state.errors_hidden) +
                " more rejected rows or credits are listed in the rejects file";
    more.rendered = "warning: " + more.text;
    result.messages.push_back(std::move(more));
  }
}

}  // namespace tally
