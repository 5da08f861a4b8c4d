// Small plans and data written inline by a test, compiled and run through the
// public API, so each test reads as plan text, data and expected payouts.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "tally/tally.hpp"

namespace tally::testing {

/// The per-process folder the tests' data folders live in; removed when the
/// tests exit (a large test writes megabytes of generated data).
inline const std::filesystem::path& test_root() {
  struct Root {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("tally_interpreter_test_" + std::to_string(::getpid()));
    ~Root() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Root root;
  return root.path;
}

/// A fresh folder for one test's data files, removed with the object.
class DataFolder {
 public:
  explicit DataFolder(const std::string& name) {
    path_ = test_root() / name;
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  DataFolder(DataFolder&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  DataFolder(const DataFolder&) = delete;
  DataFolder& operator=(const DataFolder&) = delete;
  ~DataFolder() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  void write(const std::string& file, const std::string& content) const {
    std::ofstream(path_ / file, std::ios::binary) << content;
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

/// Every message rendered, one per line, for assertions and failure output.
inline std::string all_messages(const std::vector<Message>& messages) {
  std::string out;
  for (const auto& m : messages) out += m.rendered + "\n";
  return out;
}

/// The messages of compiling `plan` (named "plan.tally").
inline std::vector<Message> compile_messages(const std::string& plan) {
  Engine engine;
  return engine.compile(plan, "plan.tally").messages;
}

/// Compiles and runs `plan` over `data`; fails the test on compile errors.
inline RunResult run_plan(const std::string& plan, const DataFolder& data,
                          RunOptions options = {}) {
  Engine engine;
  auto compiled = engine.compile(plan, "plan.tally");
  if (!compiled.plan) {
    RunResult failed;
    failed.messages = compiled.messages;
    return failed;
  }
  options.data_dir = data.path();
  return engine.run(*compiled.plan, options);
}

/// The amount of one payout row, or "" when there is none.
inline std::string payout(const RunResult& result, const std::string& payee,
                          const std::string& period, const std::string& component) {
  for (const auto& row : result.payouts.rows)
    if (row[0] == payee && row[1] == period && row[2] == component) return row[3];
  return "";
}

/// The value of one measure row, or "".
inline std::string measure(const RunResult& result, const std::string& payee,
                           const std::string& period, const std::string& name) {
  for (const auto& row : result.measures.rows)
    if (row[0] == payee && row[1] == period && row[2] == name) return row[3];
  return "";
}

}  // namespace tally::testing
