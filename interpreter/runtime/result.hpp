// Errors as values: every user-caused failure (a bad plan, a bad data row, a
// missing file) travels as an Error with a location, never as an exception
// that could reach the user raw. Result<T> carries a value or one or more
// errors, so a loader can report every bad row of a file, not only the first.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tally {

/// Where an error happened: a plan file (line and column of the text) or a
/// data file (line = the row as a spreadsheet shows it, header = row 1;
/// column = 1-based field position). Zero means unknown.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  int length = 0;  ///< characters the error spans (for the caret), 0 = one
};

/// One problem a user can fix. `message` says what was expected and what was
/// found; `hint` is an optional suggestion ("did you mean `bookings`?").
struct Error {
  Location where;
  std::string message;
  std::string hint;
};

using Errors = std::vector<Error>;

/// Either a value or a non-empty list of errors.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Error error) : state_(Errors{std::move(error)}) {}
  Result(Errors errors) : state_(std::move(errors)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Errors& errors() const { return std::get<1>(state_); }
  Errors&& take_errors() { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Errors> state_;
};

/// A Result with no value: success, or errors.
struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() {
  return Unit{};
}

}  // namespace tally
