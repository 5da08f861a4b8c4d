// The writers behind write_outputs (tally.hpp) for the json and sqlite
// formats, and the provenance both record. Each writes into a staging place
// that write_outputs (output_files.cpp) moves into the output folder only
// when everything was written, so a failure leaves nothing behind.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "interpreter/runtime/result.hpp"
#include "tally/tally.hpp"

namespace tally {

/// Where a run's results came from: the plan and every input file by path
/// and SHA-256, with the parameters and times of the RunRecord.
struct RunProvenance {
  RunRecord record;
  std::string format;  ///< "csv", "json" or "sqlite"
  std::string tally_version;
  std::string plan_sha256;
  struct Input {
    std::string source;
    std::string path;    ///< empty for a source given in memory
    std::string sha256;  ///< empty when the path is
  };
  std::vector<Input> inputs;
  std::vector<std::string> periods_paid;  ///< labels, in order
  std::vector<std::string> tables;        ///< the tables written: payouts, credits, ...
};

/// Hashes the plan and the run's input files; an error names a file that
/// cannot be read.
Result<RunProvenance> run_provenance(const RunResult& result, const RunRecord& record,
                                     const std::string& format);

/// The provenance as one JSON object (run.json; the `runs` table keeps its
/// inputs as this object's `inputs` array).
std::string provenance_json(const RunProvenance& provenance, const RunSummary& summary);
/// The `inputs` array alone, as JSON text.
std::string inputs_json(const RunProvenance& provenance);

/// Writes `table` to `path` as a JSON array of objects keyed by column, every
/// cell a string (amounts stay exact decimals). Errors name the path.
Status write_json_table(const std::string& path, const ResultTable& table);

/// Writes the whole result and its `runs` row to a new SQLite database at
/// `path` (which must not exist), in one transaction.
Status write_sqlite_database(const std::string& path, const RunResult& result,
                             const RunProvenance& provenance);

/// `amount` ("-1234.50") in whole cents when that is exact and fits 64 bits.
std::optional<long long> exact_cents(const std::string& amount);

}  // namespace tally
