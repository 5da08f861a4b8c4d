// The boundary of every C API function: no C++ exception may cross it, and
// every call that fails leaves its reason in tally_last_error().
#pragma once

#include <new>
#include <string>
#include <utility>

#include "tally/tally.h"

namespace tally::capi {

/// Records the reason of the current call's status for tally_last_error().
void set_last_error(std::string message);

/// Returns `status` with `message` as the reason.
inline tally_status fail(tally_status status, std::string message) {
  set_last_error(std::move(message));
  return status;
}

/// INVALID_ARGUMENT naming the NULL parameter of `function`.
inline tally_status null_argument(const char* function, const char* parameter) {
  return fail(TALLY_INVALID_ARGUMENT, std::string(function) + ": `" + parameter + "` is NULL");
}

/// Runs `body` (which returns a tally_status); an exception becomes
/// OUT_OF_MEMORY or INTERNAL_ERROR with its what(). A success leaves the last
/// error alone, like errno, so that reading a failed result's messages does
/// not erase the reason of the failure.
template <typename Body>
tally_status guarded(const char* function, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    try {
      set_last_error(std::string(function) + ": out of memory");
    } catch (...) {
    }
    return TALLY_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    try {
      set_last_error(std::string(function) + ": internal error: " + e.what());
    } catch (...) {
    }
    return TALLY_INTERNAL_ERROR;
  } catch (...) {
    try {
      set_last_error(std::string(function) + ": internal error: unknown exception");
    } catch (...) {
    }
    return TALLY_INTERNAL_ERROR;
  }
}

/// A copy of `text` the caller frees with tally_free_string.
char* owned_copy(const std::string& text);

}  // namespace tally::capi
