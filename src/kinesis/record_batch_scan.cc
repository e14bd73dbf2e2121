#include "kinesis/record_batch_scan.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/base64.h"
#include "common/swar.h"
#include "kinesis/get_records_codec.h"
#include "kinesis/json_reader.h"
#include "kinesis/json_text.h"
#include "kinesis/record_json.h"
#include "kinesis/subscribe_event_codec.h"

namespace pk::kinesis {
namespace {

// Deeper nesting inside an unknown member is left to the general reader.
constexpr int kMaxSkipDepth = 32;
// Bytes of body per record when records carry ~100 bytes of data: the record vector is reserved from it.
constexpr size_t kBodyBytesPerSmallRecord = 320;

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

// The first '"' in [p, end), or end: 16 bytes at a time with SSE2 (every x86-64 has it), else 8 with SWAR. Inline,
// since the strings of a record are short enough for a call to memchr to cost more than the search.
const char* find_quote(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  for (; end - p >= 16; p += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, quote));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
#endif
  for (; end - p >= 8; p += 8) {
    const uint64_t quotes = swar::zero_bytes(swar::load8(p) ^ swar::broadcast('"'));
    if (quotes != 0) return p + __builtin_ctzll(quotes) / 8;
  }
  while (p != end && *p != '"') ++p;
  return p;
}

// Eight bytes of printable ASCII JSON string content: none is a control character, non-ASCII (or DEL) or a
// backslash.
bool plain8(uint64_t w) {
  return !swar::has_byte_below(w, 0x20) && !swar::has_byte_above(w, 0x7e) && !swar::has_byte(w, '\\');
}

// JSON string content that needs no unescaping: no backslash, no control character (nor DEL), and well-formed
// UTF-8. Eight ASCII bytes at a time; the rest (non-ASCII text, the tail) byte by byte.
bool plain_text(std::string_view text) {
  size_t i = 0;
  while (i + 8 <= text.size() && plain8(swar::load8(text.data() + i))) i += 8;
  while (i < text.size()) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (u < 0x80) {
      if (u < 0x20 || u == 0x7f || u == '\\') return false;
      ++i;
    } else {
      const size_t n = utf8_sequence_length(text, i);
      if (n == 0) return false;
      i += n;
    }
  }
  return true;
}

// A timestamp (a JSON number of epoch seconds, grammar already checked) as an exact count of milliseconds, when
// its decimal value is a whole number of them below 2^50 (35,000 years): the AWS form 1.700000000123E9 and plain
// integers are. For such values the general reader's route (parse to double, times 1000, round) gives the same
// integer, since its error stays far below half a millisecond. Anything else: nullopt, and that route is taken.
std::optional<int64_t> exact_millis(std::string_view number) {
  constexpr uint64_t kLimit = uint64_t{1} << 50;
  size_t i = 0;
  const bool negative = number[0] == '-';
  if (negative) ++i;
  uint64_t v = 0;
  int digits = 0;
  int exponent = 0;
  const auto digit = [&](char c) {
    v = v * 10 + static_cast<uint64_t>(c - '0');
    return ++digits <= 18;
  };
  for (; i < number.size() && is_ascii_digit(number[i]); ++i) {
    if (!digit(number[i])) return std::nullopt;
  }
  if (i < number.size() && number[i] == '.') {
    for (++i; i < number.size() && is_ascii_digit(number[i]); ++i) {
      if (!digit(number[i])) return std::nullopt;
      --exponent;
    }
  }
  if (i < number.size()) {  // 'e' or 'E'
    ++i;
    const bool negative_exponent = number[i] == '-';
    if (number[i] == '-' || number[i] == '+') ++i;
    int e = 0;
    for (; i < number.size(); ++i) {
      e = e * 10 + (number[i] - '0');
      if (e > 1000) return std::nullopt;
    }
    exponent += negative_exponent ? -e : e;
  }
  int scale = exponent + 3;  // seconds -> milliseconds
  while (scale < 0 && v != 0 && v % 10 == 0) {
    v /= 10;
    ++scale;
  }
  if (v == 0) return 0;
  if (scale < 0 || scale > 15) return std::nullopt;
  for (; scale > 0; --scale) {
    if (v >= kLimit) return std::nullopt;
    v *= 10;
  }
  if (v >= kLimit) return std::nullopt;
  return negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
}

// A cursor over the body. Every method returns false on input outside the accepted shape; the caller then gives up.
class Scanner {
 public:
  explicit Scanner(std::string_view body) : p_(body.data()), end_(body.data() + body.size()) {}

  bool at_end() {
    skip_space();
    return p_ == end_;
  }

  // Consumes `c` (after white space) when it is next.
  bool take(char c) {
    skip_space();
    if (p_ != end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }

  bool take_null() {
    skip_space();
    if (end_ - p_ >= 4 && std::memcmp(p_, "null", 4) == 0) {
      p_ += 4;
      return true;
    }
    return false;
  }

  // A string up to the first '"'; its content is not checked: the caller checks or decodes it strictly (a
  // backslash, which could escape that quote, fails every such check).
  bool raw_string(std::string_view& text) {
    skip_space();
    if (p_ == end_ || *p_ != '"') return false;
    const char* start = p_ + 1;
    const char* close = find_quote(start, end_);
    if (close == end_) return false;
    text = std::string_view(start, static_cast<size_t>(close - start));
    p_ = close + 1;
    return true;
  }

  bool plain_string(std::string_view& text) { return raw_string(text) && plain_text(text); }

  // A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  bool number(std::string_view& text, bool& integral) {
    skip_space();
    const char* start = p_;
    if (p_ != end_ && *p_ == '-') ++p_;
    if (p_ == end_ || !is_ascii_digit(*p_)) return false;
    if (*p_ == '0') {
      ++p_;
    } else {
      skip_digits();
    }
    integral = true;
    if (p_ != end_ && *p_ == '.') {
      integral = false;
      ++p_;
      if (!skip_one_or_more_digits()) return false;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integral = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!skip_one_or_more_digits()) return false;
    }
    text = std::string_view(start, static_cast<size_t>(p_ - start));
    return true;
  }

  // Any JSON value, read and dropped.
  bool skip_value(int depth) {
    if (depth > kMaxSkipDepth) return false;
    skip_space();
    if (p_ == end_) return false;
    std::string_view text;
    bool integral = false;
    switch (*p_) {
      case '"':
        return plain_string(text);
      case '{':
        return members([&](std::string_view key) { return plain_text(key) && skip_value(depth + 1); });
      case '[':
        return elements([&] { return skip_value(depth + 1); });
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return take_null();
      default:
        return number(text, integral);
    }
  }

  // `{ "key": value, ... }`, calling on_member(key) with the cursor before each value. The key is raw: a
  // callback that does not recognise it must check it with plain_text (skip_member does).
  template <typename OnMember>
  bool members(OnMember&& on_member) {
    if (!take('{')) return false;
    if (take('}')) return true;
    do {
      std::string_view key;
      if (!raw_string(key) || !take(':') || !on_member(key)) return false;
    } while (take(','));
    return take('}');
  }

  // A record member's `"key":`. The keys Kinesis writes, written as Kinesis writes them (no white space before
  // the colon), are recognised by one comparison each; any other key is read as a string and looked up.
  bool record_key(std::string_view& key, json::RecordMember& which) {
    skip_space();
    if (end_ - p_ >= 2 && p_[0] == '"') {
      switch (p_[1]) {
        case 'S':
          if (known_key(R"("SequenceNumber":)", key)) return (which = json::RecordMember::kSequenceNumber), true;
          break;
        case 'D':
          if (known_key(R"("Data":)", key)) return (which = json::RecordMember::kData), true;
          break;
        case 'P':
          if (known_key(R"("PartitionKey":)", key)) return (which = json::RecordMember::kPartitionKey), true;
          break;
        case 'A':
          if (known_key(R"("ApproximateArrivalTimestamp":)", key)) return (which = json::RecordMember::kArrival), true;
          break;
        case 'E':
          if (known_key(R"("EncryptionType":)", key)) return (which = json::RecordMember::kEncryptionType), true;
          break;
        default:
          break;
      }
    }
    if (!raw_string(key) || !take(':')) return false;
    which = json::record_member_of(key);
    return true;
  }

  // The value of a member not read: its key checked, the value skipped.
  bool skip_member(std::string_view key) { return plain_text(key) && skip_value(0); }

  // `[ value, ... ]`, calling on_element() with the cursor before each element.
  template <typename OnElement>
  bool elements(OnElement&& on_element) {
    if (!take('[')) return false;
    if (take(']')) return true;
    do {
      if (!on_element()) return false;
    } while (take(','));
    return take(']');
  }

 private:
  // Consumes `token` (a quoted key and its colon) when it comes next; `key` is the name inside the quotes.
  bool known_key(std::string_view token, std::string_view& key) {
    if (static_cast<size_t>(end_ - p_) < token.size() || std::memcmp(p_, token.data(), token.size()) != 0) {
      return false;
    }
    key = std::string_view(p_ + 1, token.size() - 3);
    p_ += token.size();
    return true;
  }
  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  void skip_digits() {
    while (p_ != end_ && is_ascii_digit(*p_)) ++p_;
  }
  bool skip_one_or_more_digits() {
    const char* start = p_;
    skip_digits();
    return p_ != start;
  }
  bool literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0) return false;
    p_ += word.size();
    return true;
  }

  const char* p_;
  const char* end_;
};

bool scan_sequence_number(Scanner& s, std::optional<SequenceNumber>& out) {
  if (s.take_null()) return true;
  std::string_view digits;
  if (!s.raw_string(digits)) return false;
  out = SequenceNumber::from_digits(digits);
  return out.has_value();
}

bool scan_arrival(Scanner& s, Record& r) {
  if (s.take_null()) return true;
  std::string_view text;
  bool integral = false;
  if (!s.number(text, integral)) return false;
  if (auto ms = exact_millis(text)) {
    r.approximate_arrival = Timestamp(std::chrono::milliseconds(*ms));
    return true;
  }
  double seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size()) return false;
  auto t = json::timestamp_from_epoch_seconds(seconds);
  if (!t) return false;
  r.approximate_arrival = *t;
  return true;
}

// What a scanned batch's records view: the body (sequence numbers, partition keys) and the decoded Data of all
// records, back to back.
struct ScannedStorage {
  std::string body;
  std::unique_ptr<char[]> decoded;
};

// One record object. A known member given twice, or a required one missing or null, is left to the general reader.
// `decoded` is where the record's Data goes, decoded; it is advanced past it.
bool scan_record(Scanner& s, char*& decoded, Record& r) {
  unsigned seen = 0;
  bool has_data = false;
  bool has_sequence = false;
  bool has_key = false;
  const auto member = [&] {
    std::string_view key;
    json::RecordMember which = json::RecordMember::kOther;
    if (!s.record_key(key, which)) return false;
    if (which == json::RecordMember::kOther) return s.skip_member(key);
    const unsigned bit = 1u << static_cast<unsigned>(which);
    if ((seen & bit) != 0) return false;
    seen |= bit;
    if (which == json::RecordMember::kArrival) return scan_arrival(s, r);
    if (s.take_null()) return true;
    std::string_view text;
    switch (which) {
      case json::RecordMember::kData: {
        if (!s.raw_string(text)) return false;
        auto n = base64_decode_to(text, decoded);
        if (!n.ok()) return false;
        r.data = std::string_view(decoded, *n);
        decoded += *n;
        has_data = true;
        return true;
      }
      case json::RecordMember::kSequenceNumber:
        if (!s.raw_string(text) || !SequenceNumber::valid(text)) return false;
        r.sequence_number = text;
        has_sequence = true;
        return true;
      case json::RecordMember::kPartitionKey:
        if (!s.plain_string(text)) return false;
        r.partition_key = text;
        has_key = true;
        return true;
      case json::RecordMember::kEncryptionType:
        if (!s.plain_string(text)) return false;
        if (text == "KMS") r.encryption_type = EncryptionType::kKms;
        return true;
      default:
        return false;
    }
  };
  if (!s.take('{')) return false;
  do {
    if (!member()) return false;
  } while (s.take(','));
  return s.take('}') && has_data && has_sequence && has_key;
}

bool scan_records(Scanner& s, size_t body_size, char*& decoded, std::vector<Record>& out) {
  if (s.take_null()) return true;
  out.reserve(body_size / kBodyBytesPerSmallRecord + 1);
  return s.elements([&] { return scan_record(s, decoded, out.emplace_back()); });
}

bool scan_millis(Scanner& s, int64_t& out) {
  if (s.take_null()) {
    out = 0;
    return true;
  }
  std::string_view text;
  bool integral = false;
  // Up to 18 digits always fits int64; longer (or fractional) values are left to the general reader.
  if (!s.number(text, integral) || !integral || text.size() > 18) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// The members both bodies have; `on_other(key)` reads the member specific to one of them, or skips it. On
// success the records share `body` (moved in) and their decoded data; otherwise `body` is left as it was.
template <typename OnOther>
bool scan_batch(std::string& body, std::vector<Record>& records, int64_t& millis_behind_latest, OnOther&& on_other) {
  auto storage = std::make_shared<ScannedStorage>();
  storage->body = std::move(body);
  const std::string_view text = storage->body;
  // Every Data string is base64 inside the body, so the decoded data of all records fits in 3/4 of its size.
  storage->decoded = std::make_unique_for_overwrite<char[]>(base64_decoded_max_size(text.size()));
  char* decoded = storage->decoded.get();
  Scanner s(text);
  bool seen_records = false;
  bool seen_millis = false;
  bool seen_children = false;
  const auto once = [](bool& seen) { return !std::exchange(seen, true); };
  const bool shaped = s.members([&](std::string_view key) {
    if (key == "Records") return once(seen_records) && scan_records(s, text.size(), decoded, records);
    if (key == "MillisBehindLatest") return once(seen_millis) && scan_millis(s, millis_behind_latest);
    if (key == "ChildShards") {
      // Child shards come once per shard, at its end: the general reader reads them.
      return once(seen_children) && (s.take_null() || (s.take('[') && s.take(']')));
    }
    return on_other(s, key);
  });
  if (!shaped || !s.at_end()) {
    body = std::move(storage->body);
    return false;
  }
  for (Record& r : records) r.storage = storage;
  return true;
}

}  // namespace

bool scan_get_records_response(std::string& body, GetRecordsResponse& out) {
  bool seen_iterator = false;
  return scan_batch(body, out.records, out.millis_behind_latest, [&](Scanner& s, std::string_view key) {
    if (key != "NextShardIterator") return s.skip_member(key);
    if (std::exchange(seen_iterator, true)) return false;
    if (s.take_null()) return true;
    std::string_view text;
    if (!s.plain_string(text)) return false;
    out.next_shard_iterator.emplace(text);
    return true;
  });
}

bool scan_subscribe_to_shard_event(std::string& payload, SubscribeToShardEvent& out) {
  bool seen_continuation = false;
  return scan_batch(payload, out.records, out.millis_behind_latest, [&](Scanner& s, std::string_view key) {
    if (key != "ContinuationSequenceNumber") return s.skip_member(key);
    if (std::exchange(seen_continuation, true)) return false;
    return scan_sequence_number(s, out.continuation_sequence_number);
  });
}

}  // namespace pk::kinesis
