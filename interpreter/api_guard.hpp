// No exception crosses the public API (include/tally/tally.hpp): what a user
// can cause comes back as messages already, so an exception reaching the API
// is either the machine running out of memory or a bug. Either way the host
// gets a result with an error message instead of an exception to unwind.
#pragma once

#include <exception>
#include <new>
#include <string>

#include "tally/tally.hpp"

namespace tally {

/// The error message for the exception being handled, while `doing`
/// ("compiling plan.tally").
inline Message internal_error_message(const std::string& doing) {
  Message m;
  m.severity = Message::Severity::error;
  try {
    throw;
  } catch (const std::bad_alloc&) {
    m.text = "out of memory while " + doing;
    m.hint = "give the process more memory, or use smaller data";
  } catch (const std::exception& e) {
    m.text = "internal error while " + doing + ": " + e.what();
    m.hint = "this is a bug in Tally; please report it with the plan and data";
  } catch (...) {
    m.text = "internal error while " + doing;
    m.hint = "this is a bug in Tally; please report it with the plan and data";
  }
  m.rendered = "error: " + m.text + "\n  hint: " + m.hint;
  return m;
}

/// Runs `body`; an exception becomes a result whose messages hold its error
/// (Result is a public result type with `messages`).
template <class Result, class Body>
Result without_exceptions(const std::string& doing, Body&& body) {
  try {
    return body();
  } catch (...) {
    Result failed{};
    failed.messages.push_back(internal_error_message(doing));
    return failed;
  }
}

}  // namespace tally
