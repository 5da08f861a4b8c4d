// The C API's opaque handles (include/tally/tally.h) as the C++ objects they
// wrap. Internal to capi/: C callers only ever see pointers to them.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tally/tally.h"
#include "tally/tally.hpp"

struct tally_engine {
  tally::Engine engine;
};

struct tally_compile_options {
  tally::ImportPolicy imports = tally::ImportPolicy::files;
  tally_import_resolver resolver = nullptr;
  void* user_data = nullptr;
};

struct tally_messages {
  std::vector<tally::Message> list;
};

struct tally_plan {
  std::shared_ptr<const tally::Plan> plan;  // null when the plan did not compile
  std::string name;                         // from the plan's header
  std::string path;                         // the name or file it was compiled from
  tally_messages messages;
};

struct tally_cancel_token {
  std::shared_ptr<tally::CancelToken> token = std::make_shared<tally::CancelToken>();
};

struct tally_options {
  tally::RunOptions run;
  // ColumnData spans point into these; a deque never moves what it holds.
  std::deque<std::vector<std::string_view>> text_cells;
  std::deque<std::vector<std::uint8_t>> null_masks;
};

struct tally_result {
  tally_status status = TALLY_INTERNAL_ERROR;
  tally::RunResult run;
  tally::RunRecord record;  // what write_outputs records beside the tables
  tally_messages messages;
};
