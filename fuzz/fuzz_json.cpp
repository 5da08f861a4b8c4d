// libFuzzer target: bytes -> the JSON reader (io/json_reader, io/value_parser)
// through load_table.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_table_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tally::fuzz::load_and_check(data, size, ".json", false);
  return 0;
}
