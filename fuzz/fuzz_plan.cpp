// libFuzzer target: plan text -> parse, check and compile (imports refused, so
// no file is ever read), then the bytecode verifier on what was compiled,
// the disassembler, the formatter, and the constant lets run on the VM.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "interpreter/bytecode_verifier.hpp"
#include "interpreter/plan.hpp"
#include "tally/tally.hpp"

namespace {

[[noreturn]] void broken(const std::string& what) {
  std::fprintf(stderr, "invariant broken: %s\n", what.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return -1;  // plans are small; larger inputs only slow the search
  static const tally::Engine engine;
  const std::string text(reinterpret_cast<const char*>(data), size);
  tally::CompileOptions options;
  options.imports = tally::ImportPolicy::refuse;
  const tally::CompileResult compiled = engine.compile(text, "fuzz.tally", options);
  if (!compiled.plan) {
    if (!tally::has_errors(compiled.messages)) broken("no plan and no error");
  } else {
    const tally::Plan& plan = *compiled.plan;
    if (auto failure = tally::verify_program(plan.program, tally::VerifyBounds::of(*plan.model)))
      broken("the compiler produced bytecode the verifier rejects: " + failure->describe());
    (void)engine.disassemble(plan);
    (void)engine.constant_values(plan);
    (void)engine.declarations(plan);
  }
  for (const tally::Message& m : compiled.messages)
    if (m.text.empty()) broken("a message without text");
  const tally::FormatResult formatted = engine.format(text, "fuzz.tally");
  if (formatted.ok) {
    // Formatting is idempotent: the canonical layout of a canonical plan is itself.
    const tally::FormatResult again = engine.format(formatted.text, "fuzz.tally");
    if (!again.ok) broken("the formatter's output does not parse");
    if (again.text != formatted.text) broken("formatting is not idempotent");
  }
  return 0;
}
