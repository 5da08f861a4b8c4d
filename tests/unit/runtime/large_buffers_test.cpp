// Large per-row buffers (interpreter/runtime/large_buffers.cpp): from
// kLargeBufferBytes on, 2 MiB-aligned and usable to the last byte; below,
// ordinary memory. Whether the system backs them with huge pages is its
// own affair (advice only), so only what a caller relies on is checked.
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>

#include "interpreter/runtime/large_buffers.hpp"

using namespace tally;

TEST_CASE("a large buffer is 2 MiB-aligned and usable to its last byte", "[large_buffers]") {
  for (const std::size_t bytes :
       {kLargeBufferBytes, kLargeBufferBytes + 1, std::size_t{40} << 20}) {
    INFO(bytes);
    auto* buffer = static_cast<unsigned char*>(allocate_large_buffer(bytes));
    REQUIRE(buffer != nullptr);
    CHECK(reinterpret_cast<std::uintptr_t>(buffer) % (std::size_t{2} << 20) == 0);
    std::memset(buffer, 0xAB, bytes);
    CHECK(buffer[0] == 0xAB);
    CHECK(buffer[bytes / 2] == 0xAB);
    CHECK(buffer[bytes - 1] == 0xAB);
    release_large_buffer(buffer, bytes);
  }
}

TEST_CASE("a small buffer is ordinary memory", "[large_buffers]") {
  const std::size_t bytes = kLargeBufferBytes - 1;
  auto* buffer = static_cast<unsigned char*>(allocate_large_buffer(bytes));
  REQUIRE(buffer != nullptr);
  std::memset(buffer, 1, bytes);
  CHECK(buffer[bytes - 1] == 1);
  release_large_buffer(buffer, bytes);
}
