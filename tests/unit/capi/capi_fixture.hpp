// What the C API tests share: handles that free themselves, the demo's paths,
// and lookups in a result's tables through the C functions only.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "tally/tally.h"

namespace capi_test {

struct EngineFree {
  void operator()(tally_engine* e) const { tally_engine_free(e); }
};
struct PlanFree {
  void operator()(tally_plan* p) const { tally_plan_free(p); }
};
struct OptionsFree {
  void operator()(tally_options* o) const { tally_options_free(o); }
};
struct ResultFree {
  void operator()(tally_result* r) const { tally_result_free(r); }
};
struct StringFree {
  void operator()(char* s) const { tally_free_string(s); }
};
using Engine = std::unique_ptr<tally_engine, EngineFree>;
using Plan = std::unique_ptr<tally_plan, PlanFree>;
using Options = std::unique_ptr<tally_options, OptionsFree>;
using Result = std::unique_ptr<tally_result, ResultFree>;
using String = std::unique_ptr<char, StringFree>;

inline const std::string kDemoPlan = std::string(TALLY_SOURCE_DIR) + "/plans/demo.tally";
inline const std::string kDemoData = std::string(TALLY_SOURCE_DIR) + "/plans/data/demo";

inline Engine make_engine() {
  tally_engine* e = nullptr;
  REQUIRE(tally_engine_new(&e) == TALLY_OK);
  return Engine(e);
}

inline Options make_options() {
  tally_options* o = nullptr;
  REQUIRE(tally_options_new(&o) == TALLY_OK);
  return Options(o);
}

/// Every message rendered, one after the other, for INFO().
inline std::string all_messages(const tally_messages* messages) {
  std::string all;
  for (size_t i = 0; i < tally_messages_count(messages); ++i) {
    const char* text = nullptr;
    if (tally_message_text(messages, i, TALLY_MESSAGE_RENDERED, &text) == TALLY_OK)
      all += std::string(text) + "\n";
  }
  return all;
}

inline Plan compile_demo(const tally_engine* engine) {
  tally_plan* p = nullptr;
  const tally_status status = tally_compile_file(engine, kDemoPlan.c_str(), &p);
  Plan plan(p);
  INFO(all_messages(tally_plan_messages(p)));
  REQUIRE(status == TALLY_OK);
  return plan;
}

inline Plan compile_text(const tally_engine* engine, const char* text) {
  tally_plan* p = nullptr;
  const tally_status status = tally_compile(engine, text, "plan.tally", nullptr, &p);
  Plan plan(p);
  INFO(all_messages(tally_plan_messages(p)));
  REQUIRE(status == TALLY_OK);
  return plan;
}

inline std::string cell(const tally_result* result, tally_table table, size_t row, size_t column) {
  const char* text = nullptr;
  REQUIRE(tally_result_cell(result, table, row, column, &text) == TALLY_OK);
  return text;
}

/// The amount of a payout row, or "" when there is none.
inline std::string payout(const tally_result* result, const std::string& payee,
                          const std::string& period, const std::string& component) {
  for (size_t r = 0; r < tally_result_row_count(result, TALLY_TABLE_PAYOUTS); ++r)
    if (cell(result, TALLY_TABLE_PAYOUTS, r, 0) == payee &&
        cell(result, TALLY_TABLE_PAYOUTS, r, 1) == period &&
        cell(result, TALLY_TABLE_PAYOUTS, r, 2) == component)
      return cell(result, TALLY_TABLE_PAYOUTS, r, 3);
  return "";
}

/// True when some message's text (or hint) contains `part`.
inline bool mentions(const tally_messages* messages, const std::string& part) {
  for (size_t i = 0; i < tally_messages_count(messages); ++i) {
    for (tally_message_field field : {TALLY_MESSAGE_TEXT, TALLY_MESSAGE_HINT}) {
      const char* text = nullptr;
      if (tally_message_text(messages, i, field, &text) == TALLY_OK &&
          std::string(text).find(part) != std::string::npos)
        return true;
    }
  }
  return false;
}

/// A fresh folder under the system's temporary directory, removed afterwards.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / ("tally_capi_" + name)) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace capi_test
