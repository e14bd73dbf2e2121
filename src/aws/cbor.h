#pragma once
// CBOR (RFC 8949) for the AWS CBOR protocol (`application/x-amz-cbor-1.1`, which Kinesis serves and the AWS SDKs
// prefer for it: record data travels as raw bytes, with no base64 and no text to scan). Pure functions over
// bytes: a Writer for request bodies and a pull Reader for responses.
//
// The Reader never copies: text and byte strings come back as views of the input. Indefinite-length strings
// (chunked) are the one thing it cannot give as a view; it reports them as an error naming the offset (AWS writes
// definite lengths). Indefinite-length arrays and maps are read (their count is nullopt; end them with
// at_break()). Every error names the byte offset and what was expected; nothing reads out of bounds.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pk::aws::cbor {

enum class MajorType : uint8_t {
  kUnsigned = 0,
  kNegative = 1,
  kBytes = 2,
  kText = 3,
  kArray = 4,
  kMap = 5,
  kTag = 6,
  kSimple = 7,  // false, true, null, undefined, floats, break
};

// The head of one data item.
struct Head {
  MajorType type = MajorType::kUnsigned;
  uint8_t info = 0;       // the low 5 bits of the initial byte
  uint64_t argument = 0;  // value, length, count or tag number; the raw bits of a float
  bool indefinite = false;
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  // The Reader's strings are views of its input: a temporary string would leave them dangling.
  explicit Reader(std::string&&) = delete;

  bool at_end() const { return pos_ == bytes_.size(); }
  size_t offset() const { return pos_; }
  // The type of the next item without reading it; error at the end of the input.
  Result<MajorType> peek_type() const;

  Result<uint64_t> read_unsigned();
  // Major type 0 or 1, within int64.
  Result<int64_t> read_integer();
  // A number: an integer, or a half / single / double float.
  Result<double> read_number();
  Result<bool> read_bool();
  // Consumes null or undefined when it comes next.
  bool take_null();
  Result<std::string_view> read_text();
  Result<std::string_view> read_bytes();
  // A tag's number (the tagged item follows).
  Result<uint64_t> read_tag();
  // A map's pair count or an array's element count; nullopt when indefinite (then read until at_break()).
  Result<std::optional<uint64_t>> read_map();
  Result<std::optional<uint64_t>> read_array();
  // Consumes the break code (0xff) that ends an indefinite-length array or map when it comes next.
  bool at_break();
  // Skips one whole item, nested items included (at most kMaxDepth levels).
  Status skip();
  static constexpr int kMaxDepth = 64;

 private:
  Result<Head> read_head(std::string_view expected);
  Result<Head> read_head_of(MajorType type, std::string_view expected);
  Result<std::string_view> read_string(MajorType type, std::string_view expected);
  Status skip(int depth);
  Error error_at(size_t offset, std::string_view problem) const;

  std::string_view bytes_;
  size_t pos_ = 0;
};

// Builds a CBOR item in definite-length form (shortest heads, as RFC 8949 section 4.2.1 prefers).
class Writer {
 public:
  Writer& map(uint64_t pairs);
  Writer& array(uint64_t elements);
  Writer& text(std::string_view s);
  Writer& bytes(std::string_view b);
  Writer& unsigned_integer(uint64_t v);
  Writer& integer(int64_t v);
  Writer& boolean(bool v);
  Writer& null();
  Writer& float64(double v);
  Writer& tag(uint64_t number);

  const std::string& data() const { return out_; }
  std::string finish() && { return std::move(out_); }

 private:
  void head(MajorType type, uint64_t argument);
  std::string out_;
};

// A half-precision float's bits as a double (RFC 8949 appendix D).
double half_to_double(uint16_t bits);

}  // namespace pk::aws::cbor
