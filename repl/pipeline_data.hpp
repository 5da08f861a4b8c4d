// The opportunities of a plan's pipeline source, as the analytics commands
// (`tally report`, `tally forecast`) read them: each with its owner, stage,
// value and dates, and whether it is won, lost or still open. The fields are
// found from the plan's source declaration (a `payee` field is the owner, a
// `money` field the value) or named with flags; see docs/analytics.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tally/tally.hpp"

namespace tally::cli {

/// Which source and fields are the pipeline; empty strings: found from the
/// plan (the source with a text field `stage`/`deal_stage`/`status`, its
/// first `payee` field, first `money` field, fields named like `created`/
/// `engage_date`/`open_date` and `close_date`/`closed`, `account`, `product`).
struct PipelineSpec {
  std::string source;
  std::string owner;
  std::string stage;
  std::string value;
  std::string opened;
  std::string closed;
  std::string account;
  std::string product;
  std::vector<std::string> won_stages{"Won", "Closed Won"};  ///< compared case-insensitively
  std::vector<std::string> lost_stages{"Lost", "Closed Lost"};
};

enum class Outcome { open, won, lost };

struct Opportunity {
  std::string id;     ///< the source's key, or its row number
  std::string owner;  ///< the payee id
  std::string stage;  ///< as written
  Outcome outcome = Outcome::open;
  std::optional<double> value;  ///< the money field (the won amount for won deals)
  std::optional<int> opened;    ///< days since 1970-01-01
  std::optional<int> closed;
  std::string account;  ///< empty when the source has none or the cell is empty
  std::string product;
};

struct PipelineData {
  PipelineSpec spec;  ///< with every field that was found filled in
  std::vector<Opportunity> opportunities;
  std::vector<std::string> notes;  ///< what could not be found or read, for the report
};

/// Reads the pipeline source of `plan` from the run's data (`options`:
/// data_dir/bindings as for Engine::run). Errors (no such source, a field
/// that is not there, a file that cannot be read) are messages, located.
struct PipelineResult {
  std::optional<PipelineData> data;
  std::vector<Message> messages;
  /// Set with the error when no source is the pipeline (none named, none
  /// found): a command may then go on without the pipeline, with a note.
  bool no_source = false;
};
PipelineResult read_pipeline(const Engine& engine, const Plan& plan, const RunOptions& options,
                             const PipelineSpec& spec);

}  // namespace tally::cli
