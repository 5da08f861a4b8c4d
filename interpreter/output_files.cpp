// write_outputs (tally.hpp): the run's tables as files, in csv, json or
// sqlite, moved into the output folder only once all of them are written.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "grammar/diagnostics.hpp"
#include "interpreter/output_formats.hpp"
#include "interpreter/runtime/sha256.hpp"
#include "io/csv_writer.hpp"

namespace tally {

namespace {

namespace fs = std::filesystem;

/// The result tables in file order, by their base name.
std::vector<std::pair<std::string, const ResultTable*>> result_tables(const RunResult& result) {
  return {{"payouts", &result.payouts},
          {"credits", &result.credits},
          {"measures", &result.measures},
          {"rejects", &result.rejects}};
}

const char* format_name(OutputFormat format) {
  switch (format) {
    case OutputFormat::json:
      return "json";
    case OutputFormat::sqlite:
      return "sqlite";
    case OutputFormat::csv:
      break;
  }
  return "csv";
}

/// Writes the files of `format` into `staging`; returns the names written
/// and, in `stale`, the names of this format's files that this run did not
/// build (an older one in the output folder would describe another run).
Result<std::vector<std::string>> write_staged(const RunResult& result, const fs::path& staging,
                                              OutputFormat format, const RunRecord* record,
                                              std::vector<std::string>& stale) {
  std::vector<std::string> written;
  if (format == OutputFormat::sqlite) {
    auto provenance = run_provenance(result, *record, format_name(format));
    if (!provenance) return provenance.take_errors();
    const std::string name = "tally.sqlite";
    if (auto done = write_sqlite_database((staging / name).string(), result, *provenance); !done)
      return done.take_errors();
    return std::vector<std::string>{name};
  }
  const std::string extension = format == OutputFormat::json ? ".json" : ".csv";
  for (const auto& [base, table] : result_tables(result)) {
    const std::string name = base + extension;
    // A table without columns was not built by this run (rejects: not lenient).
    if (table->columns.empty()) {
      stale.push_back(name);
      continue;
    }
    const std::string path = (staging / name).string();
    Status done = format == OutputFormat::json ? write_json_table(path, *table)
                                               : write_csv(path, table->columns, table->rows);
    if (!done) return done.take_errors();
    written.push_back(name);
  }
  if (format == OutputFormat::json) {
    auto provenance = run_provenance(result, *record, format_name(format));
    if (!provenance) return provenance.take_errors();
    const std::string text = provenance_json(*provenance, result.summary);
    const fs::path path = staging / "run.json";
    std::FILE* file = std::fopen(path.c_str(), "wb");
    const bool ok = file && std::fwrite(text.data(), 1, text.size(), file) == text.size();
    if (file && std::fclose(file) != 0)
      return Error{{path.string(), 0, 0, 0}, "cannot write " + path.string(), ""};
    if (!ok) return Error{{path.string(), 0, 0, 0}, "cannot write " + path.string(), ""};
    written.push_back("run.json");
  }
  return written;
}

}  // namespace

Result<RunProvenance> run_provenance(const RunResult& result, const RunRecord& record,
                                     const std::string& format) {
  RunProvenance p;
  p.record = record;
  p.format = format;
  p.tally_version = version();
  auto plan = sha256_file(record.plan_path);
  if (!plan) return plan.take_errors();
  p.plan_sha256 = std::move(plan.value());
  for (const auto& [source, path] : result.summary.inputs) {
    RunProvenance::Input input{source, path, ""};
    if (!path.empty()) {
      auto hashed = sha256_file(path);
      if (!hashed) return hashed.take_errors();
      input.sha256 = std::move(hashed.value());
    }
    p.inputs.push_back(std::move(input));
  }
  for (const auto& [period, amount] : result.summary.paid_by_period)
    p.periods_paid.push_back(period);
  for (const auto& [name, table] : result_tables(result))
    if (!table->columns.empty()) p.tables.push_back(name);
  return p;
}

std::vector<Message> write_outputs(const RunResult& result, const std::string& directory) {
  return write_outputs(result, directory, OutputFormat::csv, RunRecord{});
}

std::vector<Message> write_outputs(const RunResult& result, const std::string& directory,
                                   OutputFormat format, const RunRecord& record) {
  std::vector<Message> messages;
  auto fail_text = [&](const std::string& text) {
    const Error error{{directory, 0, 0, 0}, text, ""};
    Message m;
    m.file = directory;
    m.text = text;
    m.rendered = render_error(error, nullptr, Severity::error);
    messages.push_back(std::move(m));
    return messages;
  };
  std::error_code ec;
  const fs::path target = fs::absolute(fs::path(directory).lexically_normal(), ec);
  if (ec) return fail_text("cannot use output folder " + directory + ": " + ec.message());
  fs::path base = target;
  if (base.filename().empty()) base = base.parent_path();
  const fs::path staging = base.parent_path() / ("." + base.filename().string() + ".tally-" +
                                                 std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  if (!fs::create_directories(staging, ec) || ec)
    return fail_text("cannot create a temporary folder beside " + directory + ": " + ec.message());
  std::vector<std::string> stale;
  auto files = write_staged(result, staging, format, &record, stale);
  if (!files) {
    fs::remove_all(staging, ec);
    return fail_text(files.errors().front().message);
  }
  fs::create_directories(base, ec);
  if (ec || !fs::is_directory(base, ec)) {
    fs::remove_all(staging, ec);
    return fail_text("cannot create output folder " + directory);
  }
  for (const auto& name : *files) {
    fs::rename(staging / name, base / name, ec);
    if (ec) {
      const std::string problem = ec.message();  // before remove_all reuses ec
      fs::remove_all(staging, ec);
      return fail_text("cannot move " + name + " into " + directory + ": " + problem);
    }
  }
  for (const auto& name : stale) fs::remove(base / name, ec);
  fs::remove_all(staging, ec);
  return messages;
}

}  // namespace tally
