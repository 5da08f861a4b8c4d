// The structure-aware half of fuzz_vm: fuzz input bytes drive the choices of
// a generator that writes well-typed plans over a fixed deals/roster schema
// (random measures, lets, expressions with the operators and builtins,
// `rates` tiers, exceptions, caps, floors), so that most inputs compile and
// reach the VM instead of stopping at the parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tally::fuzz {

/// Reads choices from the fuzz input; past its end every choice is 0 (the
/// simplest option), so every input yields a finite, valid plan.
class Choices {
 public:
  Choices(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  /// A number in [0, n).
  unsigned pick(unsigned n) {
    if (n <= 1 || at_ >= size_) return 0;
    return data_[at_++] % n;
  }
  bool done() const { return at_ >= size_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

/// The plan text the choices describe. The schema and the data it runs on
/// are those of fuzz_vm.cpp.
std::string generate_plan(Choices& choices);

}  // namespace tally::fuzz
