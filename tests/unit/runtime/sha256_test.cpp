// SHA-256 against the test vectors of FIPS 180-2 (appendix B) and the empty
// message's well-known digest (what `sha256sum /dev/null` prints).
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "interpreter/runtime/sha256.hpp"

using tally::Sha256;
using tally::sha256_hex;

TEST_CASE("sha256 of the FIPS 180-2 messages") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("sha256 fed in pieces equals the digest of the whole") {
  // Pieces of 1, 7, 63 and 64 bytes cross the 64-byte block boundary at
  // every offset, and 55/56 bytes decide whether padding needs a new block.
  for (std::size_t piece : {1, 7, 55, 56, 63, 64, 65}) {
    const std::string message(1000000, 'a');
    Sha256 hash;
    for (std::size_t at = 0; at < message.size(); at += piece)
      hash.update(message.substr(at, piece));
    CHECK(hash.hex_digest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }
}

TEST_CASE("sha256 of a file, and of a file that cannot be read") {
  const auto path = std::filesystem::temp_directory_path() / "tally_sha256_test.txt";
  {
    std::ofstream out(path, std::ios::binary);
    out << "abc";
  }
  const auto hashed = tally::sha256_file(path.string());
  REQUIRE(hashed);
  CHECK(*hashed == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::filesystem::remove(path);
  const auto missing = tally::sha256_file(path.string());
  REQUIRE_FALSE(missing);
  CHECK(missing.errors().front().message.find("cannot read") != std::string::npos);
}
