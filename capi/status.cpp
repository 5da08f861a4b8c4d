// Statuses, the per-thread last error, strings handed to the caller, versions.
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "capi/call_guard.hpp"
#include "tally/tally.h"
#include "tally/tally.hpp"

namespace tally::capi {

namespace {
// Per thread, so that threads sharing an engine never see each other's errors.
thread_local std::string last_error;
}  // namespace

void set_last_error(std::string message) {
  last_error = std::move(message);
}

char* owned_copy(const std::string& text) {
  // Released by tally_free_string, which is free().
  char* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (!copy) throw std::bad_alloc();
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return copy;
}

}  // namespace tally::capi

extern "C" {

int tally_abi_version(void) {
  return TALLY_ABI_VERSION;
}

const char* tally_version(void) {
  try {
    static const std::string version = tally::version();
    return version.c_str();
  } catch (...) {
    return "";
  }
}

const char* tally_status_name(tally_status status) {
  switch (status) {
    case TALLY_OK:
      return "ok";
    case TALLY_PLAN_ERROR:
      return "plan_error";
    case TALLY_DATA_ERROR:
      return "data_error";
    case TALLY_INVALID_ARGUMENT:
      return "invalid_argument";
    case TALLY_INSTRUCTION_LIMIT:
      return "instruction_limit";
    case TALLY_MEMORY_LIMIT:
      return "memory_limit";
    case TALLY_TIMEOUT:
      return "timeout";
    case TALLY_CANCELLED:
      return "cancelled";
    case TALLY_IO_ERROR:
      return "io_error";
    case TALLY_OUT_OF_MEMORY:
      return "out_of_memory";
    case TALLY_INTERNAL_ERROR:
      return "internal_error";
    case TALLY_STATUS_MAX_ENUM:
      break;
  }
  return "unknown";
}

const char* tally_last_error(void) {
  return tally::capi::last_error.c_str();
}

void tally_free_string(char* string) {
  std::free(string);
}

}  // extern "C"
