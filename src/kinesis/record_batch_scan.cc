#include "kinesis/record_batch_scan.h"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aws/json_number_scan.h"
#include "aws/json_text.h"
#include "common/base64.h"
#include "common/byte_scan.h"
#include "common/swar.h"
#include "kinesis/get_records_codec.h"
#include "kinesis/json_fields.h"
#include "kinesis/record_json.h"
#include "kinesis/subscribe_event_codec.h"

namespace pk::kinesis {
namespace {

// Deeper nesting inside an unknown member is left to the general reader.
constexpr int kMaxSkipDepth = 32;
// Bytes of body per record when records carry ~100 bytes of data: the record vector is reserved from it.
constexpr size_t kBodyBytesPerSmallRecord = 320;

// JSON string content that needs no unescaping: no backslash, no control character (nor DEL), and well-formed
// UTF-8. The leading run of printable ASCII is found 16 bytes at a time; the rest (non-ASCII text) byte by byte.
bool plain_text(std::string_view text) {
  size_t i = static_cast<size_t>(byte_scan::find_non_plain_ascii(text.data(), text.data() + text.size()) - text.data());
  while (i < text.size()) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (u < 0x80) {
      if (u < 0x20 || u == 0x7f || u == '\\') return false;
      ++i;
    } else {
      const size_t n = aws::utf8_sequence_length(text, i);
      if (n == 0) return false;
      i += n;
    }
  }
  return true;
}

// A member's quoted key and colon, as a compact writer writes it.
constexpr std::string_view key_token(json::RecordMember which) {
  switch (which) {
    case json::RecordMember::kSequenceNumber:
      return R"("SequenceNumber":)";
    case json::RecordMember::kArrival:
      return R"("ApproximateArrivalTimestamp":)";
    case json::RecordMember::kData:
      return R"("Data":)";
    case json::RecordMember::kPartitionKey:
      return R"("PartitionKey":)";
    case json::RecordMember::kEncryptionType:
      return R"("EncryptionType":)";
    default:
      return {};
  }
}

// The record members `key_token` names (their initials differ: one byte tells which a key can be).
constexpr std::array<json::RecordMember, 5> kKnownMembers = {
    json::RecordMember::kSequenceNumber, json::RecordMember::kArrival, json::RecordMember::kData,
    json::RecordMember::kPartitionKey, json::RecordMember::kEncryptionType};

// Whether a string reader found its string (see Scanner::raw_string).
bool found(std::string_view text) {
  return text.data() != nullptr;
}

// A cursor over the body. Every method returns false on input outside the accepted shape; the caller then gives up.
class Scanner {
 public:
  explicit Scanner(std::string_view body) : p_(body.data()), end_(body.data() + body.size()) {}

  using Position = const char*;
  Position position() const { return p_; }
  void rewind(Position p) { p_ = p; }

  // Consumes `token` when it comes next, with no white space before it.
  [[gnu::always_inline]] bool take_exact(std::string_view token) {
    if (!token_at(p_, token)) return false;
    p_ += token.size();
    return true;
  }

  // Consumes `separator` and `token` when they come next, with no white space before or between them.
  [[gnu::always_inline]] bool take_token(char separator, std::string_view token) {
    if (p_ == end_ || *p_ != separator || !token_at(p_ + 1, token)) return false;
    p_ += 1 + token.size();
    return true;
  }

  bool at_end() {
    skip_space();
    return p_ == end_;
  }

  // Consumes `c` (after white space) when it is next.
  [[gnu::always_inline]] bool take(char c) {
    skip_space();
    if (p_ != end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }

  [[gnu::always_inline]] bool take_null() {
    skip_space();
    return p_ != end_ && *p_ == 'n' && take_exact("null");  // one comparison when it is not null, the usual case
  }

  // The string readers return a view of the string's content, or a view with a null data() when the input is not
  // such a string (returned, not written through a reference: a view stored in two halves and read back whole
  // stalls store forwarding, which cost a fifth of the record loop).

  // A string up to the first '"'; its content is not checked: the caller checks or decodes it strictly (a
  // backslash, which could escape that quote, fails every such check).
  std::string_view raw_string() {
    skip_space();
    if (p_ == end_ || *p_ != '"') return {};
    const char* start = p_ + 1;
    const char* close = byte_scan::find_quote(start, end_);
    if (close == end_) return {};
    p_ = close + 1;
    return std::string_view(start, static_cast<size_t>(close - start));
  }

  // A string whose content needs no unescaping (plain_text). Printable ASCII, the common case, is found in one
  // pass; anything else (non-ASCII UTF-8, or what fails) is read again and checked.
  [[gnu::always_inline]] std::string_view plain_string() {
    skip_space();
    if (p_ == end_ || *p_ != '"') return {};
    const char* start = p_ + 1;
    const char* stop = byte_scan::find_non_plain_ascii(start, end_);
    if (stop != end_ && *stop == '"') {
      p_ = stop + 1;
      return std::string_view(start, static_cast<size_t>(stop - start));
    }
    const std::string_view text = raw_string();
    return found(text) && plain_text(text) ? text : std::string_view{};
  }

  // A string of 1 to kMaxDigits decimal digits (a sequence number), in one pass.
  [[gnu::always_inline]] std::string_view digit_string() {
    skip_space();
    if (p_ == end_ || *p_ != '"') return {};
    const char* start = p_ + 1;
    const char* stop = byte_scan::find_non_digit(start, end_);
    if (stop == end_ || *stop != '"') return {};
    const auto size = static_cast<size_t>(stop - start);
    if (size == 0 || size > SequenceNumber::kMaxDigits) return {};
    p_ = stop + 1;
    return std::string_view(start, size);
  }

  // A string of strict base64, decoded to `out` while its end is looked for: whole quads first, then the rest up
  // to the closing quote (the padded last quad, if any) strictly. Returns the end of the decoded bytes, or nullptr.
  [[gnu::always_inline]] char* base64_string(char* out) {
    skip_space();
    if (p_ == end_ || *p_ != '"') return nullptr;
    const char* start = p_ + 1;
    const size_t whole = base64_decode_leading_quads(std::string_view(start, static_cast<size_t>(end_ - start)), out);
    out += whole / 4 * 3;
    const char* rest = start + whole;
    const char* close = byte_scan::find_quote(rest, end_);
    if (close == end_) return nullptr;
    if (close != rest) {
      if (close - rest != 4) return nullptr;
      const int tail = base64_decode_final_quad(rest, out);
      if (tail < 0) return nullptr;
      out += tail;
    }
    p_ = close + 1;
    return out;
  }

  // A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  [[gnu::always_inline]] bool number(aws::JsonNumber& out) {
    skip_space();
    const char* stop = aws::scan_json_number(p_, end_, out);
    if (stop == nullptr) return false;
    p_ = stop;
    return true;
  }

  // Any JSON value, read and dropped.
  bool skip_value(int depth) {
    if (depth > kMaxSkipDepth) return false;
    skip_space();
    if (p_ == end_) return false;
    aws::JsonNumber number_read;
    switch (*p_) {
      case '"':
        return found(plain_string());
      case '{':
        return members([&](std::string_view key) { return plain_text(key) && skip_value(depth + 1); });
      case '[':
        return elements([&] { return skip_value(depth + 1); });
      case 't':
        return take_exact("true");
      case 'f':
        return take_exact("false");
      case 'n':
        return take_null();
      default:
        return number(number_read);
    }
  }

  // `{ "key": value, ... }`, calling on_member(key) with the cursor before each value. The key is raw: a
  // callback that does not recognise it must check it with plain_text (skip_member does).
  template <typename OnMember>
  bool members(OnMember&& on_member) {
    if (!take('{')) return false;
    if (take('}')) return true;
    do {
      const std::string_view key = raw_string();
      if (!found(key) || !take(':') || !on_member(key)) return false;
    } while (take(','));
    return take('}');
  }

  // A record member's `"key":`. The keys Kinesis writes, written as Kinesis writes them (no white space before
  // the colon), are recognised by one comparison each; any other key is read as a string and looked up, and given
  // in `other` when it is not a record member (kOther). nullopt: no key there.
  [[gnu::always_inline]] std::optional<json::RecordMember> record_key(std::string_view& other) {
    skip_space();
    if (end_ - p_ >= 2 && p_[0] == '"') {
      for (const json::RecordMember which : kKnownMembers) {
        if (key_token(which)[1] != p_[1]) continue;
        if (take_exact(key_token(which))) return which;
        break;
      }
    }
    other = raw_string();
    if (!found(other) || !take(':')) return std::nullopt;
    return json::record_member_of(other);
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
  // Whether `token` is at `at` (at most end_). With `token` a constant, the comparison compiles to a few word
  // compares (swar::equal).
  [[gnu::always_inline]] bool token_at(const char* at, std::string_view token) const {
    return static_cast<size_t>(end_ - at) >= token.size() && swar::equal(at, token.data(), token.size());
  }
  // Compact JSON (what Kinesis writes) has no white space: one comparison decides that none comes next.
  [[gnu::always_inline]] void skip_space() {
    if (p_ != end_ && static_cast<unsigned char>(*p_) <= ' ') skip_space_run();
  }
  void skip_space_run() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  const char* p_;
  const char* end_;
};

bool scan_sequence_number(Scanner& s, std::optional<SequenceNumber>& out) {
  if (s.take_null()) return true;
  const std::string_view digits = s.digit_string();
  if (!found(digits)) return false;
  out = SequenceNumber::from_digits(digits);
  return out.has_value();
}

bool scan_arrival(Scanner& s, RecordView& r) {
  if (s.take_null()) return true;
  aws::JsonNumber number;
  if (!s.number(number)) return false;
  if (auto ms = aws::exact_millis(number)) {
    r.approximate_arrival = Timestamp(std::chrono::milliseconds(*ms));
    return true;
  }
  const std::string_view text = number.text;
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
struct ScannedStorage : RecordStorage {
  std::string body;
  std::unique_ptr<char[]> decoded;
};

// Reads the value of the known record member `which` (the cursor after its colon) into `r`. An explicit null is
// the caller's to handle, except for the arrival timestamp, where it means "absent".
[[gnu::always_inline]] inline bool read_member_value(Scanner& s, json::RecordMember which, char*& decoded,
                                                     RecordView& r) {
  switch (which) {
    case json::RecordMember::kArrival:
      return scan_arrival(s, r);
    case json::RecordMember::kData: {
      char* const end = s.base64_string(decoded);
      if (end == nullptr) return false;
      r.data = std::string_view(decoded, static_cast<size_t>(end - decoded));
      decoded = end;
      return true;
    }
    case json::RecordMember::kSequenceNumber:
      r.sequence_number = s.digit_string();
      return found(r.sequence_number);
    case json::RecordMember::kPartitionKey:
      r.partition_key = s.plain_string();
      return found(r.partition_key);
    case json::RecordMember::kEncryptionType: {
      const std::string_view text = s.plain_string();
      if (text == "KMS") r.encryption_type = EncryptionType::kKms;
      return found(text);
    }
    default:
      return false;
  }
}

// Whether a record read has the members a record must have (each non-null).
bool complete(const RecordView& r) {
  return found(r.sequence_number) && found(r.partition_key) && found(r.data);
}

// One record object, its members in any order. A known member given twice, or a required one missing or null, is
// left to the general reader. `decoded` is where the record's Data goes, decoded; it is advanced past it.
bool scan_record(Scanner& s, char*& decoded, RecordView& r) {
  unsigned seen = 0;
  const auto member = [&] {
    std::string_view other;
    const std::optional<json::RecordMember> key = s.record_key(other);
    if (!key) return false;
    const json::RecordMember which = *key;
    if (which == json::RecordMember::kOther) return s.skip_member(other);
    const unsigned bit = 1u << static_cast<unsigned>(which);
    if ((seen & bit) != 0) return false;
    seen |= bit;
    if (which != json::RecordMember::kArrival && s.take_null()) return true;
    return read_member_value(s, which, decoded, r);
  };
  if (!s.take('{')) return false;
  do {
    if (!member()) return false;
  } while (s.take(','));
  return s.take('}') && complete(r);
}

// ---- records laid out as a writer lays them out ----
// A writer puts a record's members in the same order every time, compact. A record laid out in a known order is
// read by straight-line code: one comparison per key and no dispatch on it. Whatever else is read by scan_record.

// The member `Which` where the layout has it, `separator` ('{' or ',') before its key. EncryptionType may be absent.
template <json::RecordMember Which>
[[gnu::always_inline]] inline bool laid_out_member(Scanner& s, char separator, char*& decoded, RecordView& r) {
  constexpr std::string_view token = key_token(Which);
  if (!s.take_token(separator, token)) return Which == json::RecordMember::kEncryptionType;
  return read_member_value(s, Which, decoded, r);
}

template <json::RecordMember First, json::RecordMember... Rest>
bool scan_record_laid_out(Scanner& s, char*& decoded, RecordView& r) {
  return laid_out_member<First>(s, '{', decoded, r) && (laid_out_member<Rest>(s, ',', decoded, r) && ...) &&
         s.take('}') && complete(r);
}

// The layouts read straight through: the order of the Kinesis API model; alphabetical order, which kinesis-mock
// writes; and the order of the GetRecords example in the Kinesis API reference. (Which one AWS itself writes has not
// been captured here; a record in any other order is read member by member, correctly but more slowly.)
using LayoutReader = bool (*)(Scanner&, char*&, RecordView&);
constexpr std::array<LayoutReader, 3> kLayouts = {
    scan_record_laid_out<json::RecordMember::kSequenceNumber, json::RecordMember::kArrival, json::RecordMember::kData,
                         json::RecordMember::kPartitionKey, json::RecordMember::kEncryptionType>,
    scan_record_laid_out<json::RecordMember::kArrival, json::RecordMember::kData, json::RecordMember::kEncryptionType,
                         json::RecordMember::kPartitionKey, json::RecordMember::kSequenceNumber>,
    scan_record_laid_out<json::RecordMember::kData, json::RecordMember::kPartitionKey, json::RecordMember::kArrival,
                         json::RecordMember::kSequenceNumber, json::RecordMember::kEncryptionType>,
};

// Each record is tried in the layout the previous one had, then in the others, then read member by member.
// The records point to `storage`, which holds the body and the buffer `decoded` points into.
bool scan_records(Scanner& s, const RecordStorage* storage, size_t body_size, char*& decoded,
                  std::vector<RecordView>& out) {
  if (s.take_null()) return true;
  out.reserve(body_size / kBodyBytesPerSmallRecord + 1);
  size_t likely = 0;
  return s.elements([&] {
    RecordView& r = out.emplace_back();
    r.storage = storage;
    const Scanner::Position start = s.position();
    char* const record_decoded = decoded;
    const auto rewind = [&] {
      s.rewind(start);
      decoded = record_decoded;
      r = RecordView{};
      r.storage = storage;
    };
    if (kLayouts[likely](s, decoded, r)) return true;
    for (size_t i = 0; i < kLayouts.size(); ++i) {
      if (i == likely) continue;
      rewind();
      if (kLayouts[i](s, decoded, r)) {
        likely = i;
        return true;
      }
    }
    rewind();
    return scan_record(s, decoded, r);
  });
}

bool scan_millis(Scanner& s, int64_t& out) {
  if (s.take_null()) {
    out = 0;
    return true;
  }
  aws::JsonNumber number;
  // Up to 18 digits always fits int64; longer (or fractional) values are left to the general reader.
  if (!s.number(number) || !number.integral || !number.fits) return false;
  const auto magnitude = static_cast<int64_t>(number.significand);
  out = number.negative ? -magnitude : magnitude;
  return true;
}

// The members both bodies have; `on_other(key)` reads the member specific to one of them, or skips it. On
// success `batch` holds the records and their storage: `body` (moved in) and the decoded data; otherwise `body` is
// left as it was.
template <typename OnOther>
bool scan_batch(std::string& body, RecordBatch& batch, int64_t& millis_behind_latest, OnOther&& on_other) {
  auto storage = std::make_shared<ScannedStorage>();
  storage->body = std::move(body);
  const std::string_view text = storage->body;
  // Every Data string is base64 inside the body, so the decoded data of all records fits in 3/4 of its size.
  storage->decoded = std::make_unique_for_overwrite<char[]>(base64_decoded_max_size(text.size()));
  char* decoded = storage->decoded.get();
  Scanner s(text);
  std::vector<RecordView> records;
  bool seen_records = false;
  bool seen_millis = false;
  bool seen_children = false;
  const auto once = [](bool& seen) { return !std::exchange(seen, true); };
  const bool shaped = s.members([&](std::string_view key) {
    if (key == "Records") return once(seen_records) && scan_records(s, storage.get(), text.size(), decoded, records);
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
  batch = RecordBatch(std::move(records), std::move(storage));
  return true;
}

}  // namespace

bool scan_get_records_response(std::string& body, GetRecordsResponse& out) {
  bool seen_iterator = false;
  return scan_batch(body, out.records, out.millis_behind_latest, [&](Scanner& s, std::string_view key) {
    if (key != "NextShardIterator") return s.skip_member(key);
    if (std::exchange(seen_iterator, true)) return false;
    if (s.take_null()) return true;
    const std::string_view text = s.plain_string();
    if (!found(text)) return false;
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
