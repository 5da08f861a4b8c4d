// A direct-mapped cache from short texts (up to 16 bytes) to the values they
// parse to, for columns whose texts repeat: a year of close dates is 365
// texts over millions of rows, so each is parsed once.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

namespace tally {

template <class Value>
class ShortTextCache {
 public:
  static constexpr std::size_t kMaxLength = 16;

  /// The value cached for `text`, if any (never for texts over kMaxLength).
  const Value* find(std::string_view text) {
    if (text.size() > kMaxLength) return nullptr;
    if (entries_.empty()) entries_.resize(kSize);
    const Key key = key_of(text);
    Entry& entry = entries_[slot(key)];
    return entry.filled && entry.key.low == key.low && entry.key.high == key.high &&
                   entry.key.length == key.length
               ? &entry.value
               : nullptr;
  }

  void put(std::string_view text, const Value& value) {
    if (text.size() > kMaxLength) return;
    if (entries_.empty()) entries_.resize(kSize);
    const Key key = key_of(text);
    entries_[slot(key)] = Entry{key, value, true};
  }

 private:
  static constexpr int kBits = 10;
  static constexpr std::size_t kSize = std::size_t{1} << kBits;
  struct Key {  // the text's bytes, zero-padded, and its length ("1" is not "1\0")
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    std::size_t length = 0;
  };
  struct Entry {
    Key key;
    Value value{};
    bool filled = false;
  };

  static Key key_of(std::string_view text) {
    char bytes[kMaxLength] = {};
    std::memcpy(bytes, text.data(), text.size());
    Key key;
    std::memcpy(&key.low, bytes, 8);
    std::memcpy(&key.high, bytes + 8, 8);
    key.length = text.size();
    return key;
  }
  static std::size_t slot(const Key& key) {
    return static_cast<std::size_t>(
        ((key.low ^ (key.high * 31) ^ key.length) * 0x9E3779B97F4A7C15ULL) >> (64 - kBits));
  }

  std::vector<Entry> entries_;
};

}  // namespace tally
