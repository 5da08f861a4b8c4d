// libFuzzer target: bytes -> the delimited-file reader (io/csv_reader,
// io/value_parser, io/text_encoding) through load_table.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_table_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tally::fuzz::load_and_check(data, size, ".csv", true);
  return 0;
}
