#include "io/text_encoding.hpp"

#include <catch2/catch.hpp>
#include <string>

using tally::find_invalid_utf8;

TEST_CASE("encoding names", "[encoding]") {
  CHECK(tally::parse_encoding_name("UTF-8") == tally::TextEncoding::utf8);
  CHECK(tally::parse_encoding_name("utf8") == tally::TextEncoding::utf8);
  CHECK(tally::parse_encoding_name("Windows-1252") == tally::TextEncoding::windows1252);
  CHECK(tally::parse_encoding_name("cp1252") == tally::TextEncoding::windows1252);
  CHECK_FALSE(tally::parse_encoding_name("latin-9"));
}

TEST_CASE("UTF-8 validation", "[encoding]") {
  CHECK_FALSE(find_invalid_utf8("plain ascii"));
  CHECK_FALSE(
      find_invalid_utf8("Anna H\xC3\xA4"
                        "berlin \xE2\x80\x99 \xF0\x9F\x98\x80"));
  CHECK(find_invalid_utf8("Berguvsv\xE4gen") == 8u);   // a Windows-1252 ä
  CHECK(find_invalid_utf8("\xC0\xAF") == 0u);          // overlong '/'
  CHECK(find_invalid_utf8("a\xED\xA0\x80") == 1u);     // a UTF-16 surrogate
  CHECK(find_invalid_utf8("ab\xE2\x80") == 2u);        // truncated sequence
  CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0u);  // above U+10FFFF
}

TEST_CASE("Windows-1252 to UTF-8", "[encoding]") {
  std::string out;
  tally::windows1252_to_utf8("Berguvsv\xE4gen, Lule\xE5", out);
  CHECK(out == "Berguvsv\xC3\xA4gen, Lule\xC3\xA5");
  tally::windows1252_to_utf8("1980\x92s \x80 \x93q\x94", out);
  CHECK(out == "1980\xE2\x80\x99s \xE2\x82\xAC \xE2\x80\x9Cq\xE2\x80\x9D");
  tally::windows1252_to_utf8("\x81", out);  // undefined in Windows-1252: U+0081
  CHECK(out == "\xC2\x81");
  tally::windows1252_to_utf8("\xA0\xFF", out);
  CHECK(out == "\xC2\xA0\xC3\xBF");
}

TEST_CASE("values are quoted readably in messages", "[encoding]") {
  CHECK(tally::quote_value("12x") == "\"12x\"");
  CHECK(tally::quote_value("a\"b\nc") == "\"a\\\"b\\nc\"");
  CHECK(tally::quote_value("Berguvsv\xE4gen") == "\"Berguvsv\\xE4gen\"");
  CHECK(tally::quote_value("Lule\xC3\xA5") == "\"Lule\xC3\xA5\"");
  CHECK(tally::quote_value(std::string(70, 'x')) == "\"" + std::string(60, 'x') + "...\"");
}
