// SHA-256 (FIPS 180-4), for provenance: a run's record names the plan and
// every data file it read by their hashes, so a result can be tied to the
// exact inputs that produced it. Written here rather than taken from a
// library, as the project depends on Debian packages only and none of them
// is otherwise needed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "interpreter/runtime/result.hpp"

namespace tally {

/// An incremental SHA-256: feed the message in pieces of any size, then
/// take the digest once.
class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  void update(std::string_view text) { update(text.data(), text.size()); }
  /// The 32-byte digest; the object must not be updated afterwards.
  std::array<std::uint8_t, 32> digest();
  /// The digest as 64 lower-case hexadecimal digits (what sha256sum prints).
  std::string hex_digest();

 private:
  void compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  ///< bytes fed so far
};

/// The hex SHA-256 of `text`.
std::string sha256_hex(std::string_view text);

/// The hex SHA-256 of the file at `path`, read in blocks; an error naming
/// the file when it cannot be read.
Result<std::string> sha256_file(const std::string& path);

}  // namespace tally
