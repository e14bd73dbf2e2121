#include "aws/cbor.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include <fmt/format.h>

namespace pk::aws::cbor {
namespace {

constexpr uint8_t kNull = 0xf6;
constexpr uint8_t kUndefined = 0xf7;
constexpr uint8_t kBreak = 0xff;

std::string_view type_name(MajorType type) {
  switch (type) {
    case MajorType::kUnsigned:
      return "an unsigned integer";
    case MajorType::kNegative:
      return "a negative integer";
    case MajorType::kBytes:
      return "a byte string";
    case MajorType::kText:
      return "a text string";
    case MajorType::kArray:
      return "an array";
    case MajorType::kMap:
      return "a map";
    case MajorType::kTag:
      return "a tag";
    case MajorType::kSimple:
      break;
  }
  return "a simple value or float";
}

}  // namespace

double half_to_double(uint16_t bits) {
  const int exponent = (bits >> 10) & 0x1f;
  const int mantissa = bits & 0x3ff;
  double value = 0;
  if (exponent == 0) {
    value = std::ldexp(mantissa, -24);
  } else if (exponent != 31) {
    value = std::ldexp(mantissa + 1024, exponent - 25);
  } else {
    value = mantissa == 0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  }
  return (bits & 0x8000) != 0 ? -value : value;
}

// ---- Reader ----

Error Reader::error_at(size_t offset, std::string_view problem) const {
  return make_error(ErrorCode::kMalformedInput, fmt::format("CBOR at byte {}: {}", offset, problem));
}

Result<MajorType> Reader::peek_type() const {
  if (at_end()) return error_at(pos_, "the input ends where an item was expected");
  return static_cast<MajorType>(static_cast<uint8_t>(bytes_[pos_]) >> 5);
}

Result<Head> Reader::read_head(std::string_view expected) {
  const size_t start = pos_;
  if (at_end()) return error_at(start, fmt::format("the input ends where {} was expected", expected));
  const auto initial = static_cast<uint8_t>(bytes_[pos_]);
  Head h;
  h.type = static_cast<MajorType>(initial >> 5);
  h.info = initial & 0x1f;
  size_t extra = 0;
  if (h.info < 24) {
    h.argument = h.info;
  } else if (h.info <= 27) {
    extra = size_t{1} << (h.info - 24);
  } else if (h.info == 31) {
    if (h.type == MajorType::kUnsigned || h.type == MajorType::kNegative || h.type == MajorType::kTag) {
      return error_at(start, fmt::format("{} cannot have an indefinite length", type_name(h.type)));
    }
    h.indefinite = true;
  } else {
    return error_at(start, fmt::format("reserved additional information {}", h.info));
  }
  if (bytes_.size() - pos_ - 1 < extra) return error_at(start, "the input ends inside an item's head");
  for (size_t i = 0; i < extra; ++i) h.argument = (h.argument << 8) | static_cast<uint8_t>(bytes_[pos_ + 1 + i]);
  pos_ += 1 + extra;
  return h;
}

Result<Head> Reader::read_head_of(MajorType type, std::string_view expected) {
  const size_t start = pos_;
  PK_ASSIGN_OR_RETURN(Head h, read_head(expected));
  if (h.type != type) {
    pos_ = start;
    return error_at(start, fmt::format("expected {}, found {}", expected, type_name(h.type)));
  }
  return h;
}

Result<uint64_t> Reader::read_unsigned() {
  PK_ASSIGN_OR_RETURN(Head h, read_head_of(MajorType::kUnsigned, "an unsigned integer"));
  return h.argument;
}

Result<int64_t> Reader::read_integer() {
  const size_t start = pos_;
  PK_ASSIGN_OR_RETURN(Head h, read_head("an integer"));
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (h.type != MajorType::kUnsigned && h.type != MajorType::kNegative) {
    pos_ = start;
    return error_at(start, fmt::format("expected an integer, found {}", type_name(h.type)));
  }
  if (h.argument > kMax) return error_at(start, "integer out of the range of int64");
  const auto n = static_cast<int64_t>(h.argument);
  return h.type == MajorType::kUnsigned ? n : -1 - n;
}

Result<double> Reader::read_number() {
  const size_t start = pos_;
  PK_ASSIGN_OR_RETURN(Head h, read_head("a number"));
  switch (h.type) {
    case MajorType::kUnsigned:
      return static_cast<double>(h.argument);
    case MajorType::kNegative:
      return -1.0 - static_cast<double>(h.argument);
    case MajorType::kSimple:
      if (h.info == 25) return half_to_double(static_cast<uint16_t>(h.argument));
      if (h.info == 26) return static_cast<double>(std::bit_cast<float>(static_cast<uint32_t>(h.argument)));
      if (h.info == 27) return std::bit_cast<double>(h.argument);
      break;
    default:
      break;
  }
  pos_ = start;
  return error_at(start, fmt::format("expected a number, found {}", type_name(h.type)));
}

Result<bool> Reader::read_bool() {
  const size_t start = pos_;
  PK_ASSIGN_OR_RETURN(Head h, read_head_of(MajorType::kSimple, "true or false"));
  if (h.info == 20) return false;
  if (h.info == 21) return true;
  pos_ = start;
  return error_at(start, "expected true or false");
}

bool Reader::take_null() {
  if (at_end()) return false;
  const auto b = static_cast<uint8_t>(bytes_[pos_]);
  if (b != kNull && b != kUndefined) return false;
  ++pos_;
  return true;
}

Result<std::string_view> Reader::read_string(MajorType type, std::string_view expected) {
  const size_t start = pos_;
  PK_ASSIGN_OR_RETURN(Head h, read_head_of(type, expected));
  if (h.indefinite) return error_at(start, fmt::format("{} of indefinite length (chunks) is not supported", expected));
  const size_t left = bytes_.size() - pos_;
  if (h.argument > left) {
    return error_at(start, fmt::format("{} of {} bytes runs past the end ({} left)", expected, h.argument, left));
  }
  const std::string_view s = bytes_.substr(pos_, static_cast<size_t>(h.argument));
  pos_ += s.size();
  return s;
}

Result<std::string_view> Reader::read_text() {
  return read_string(MajorType::kText, "a text string");
}

Result<std::string_view> Reader::read_bytes() {
  return read_string(MajorType::kBytes, "a byte string");
}

Result<uint64_t> Reader::read_tag() {
  PK_ASSIGN_OR_RETURN(Head h, read_head_of(MajorType::kTag, "a tag"));
  return h.argument;
}

Result<std::optional<uint64_t>> Reader::read_map() {
  const size_t start = pos_;
  PK_ASSIGN_OR_RETURN(Head h, read_head_of(MajorType::kMap, "a map"));
  if (h.indefinite) return std::optional<uint64_t>{};
  // Every pair takes two bytes at least: a larger count cannot be in the input (and must not size anything).
  if (h.argument > (bytes_.size() - pos_) / 2) {
    return error_at(start, fmt::format("a map of {} pairs runs past the end", h.argument));
  }
  return std::optional<uint64_t>{h.argument};
}

Result<std::optional<uint64_t>> Reader::read_array() {
  const size_t start = pos_;
  PK_ASSIGN_OR_RETURN(Head h, read_head_of(MajorType::kArray, "an array"));
  if (h.indefinite) return std::optional<uint64_t>{};
  if (h.argument > bytes_.size() - pos_) {
    return error_at(start, fmt::format("an array of {} elements runs past the end", h.argument));
  }
  return std::optional<uint64_t>{h.argument};
}

bool Reader::at_break() {
  if (at_end() || static_cast<uint8_t>(bytes_[pos_]) != kBreak) return false;
  ++pos_;
  return true;
}

Status Reader::skip() {
  return skip(0);
}

Status Reader::skip(int depth) {
  const size_t start = pos_;
  if (depth > kMaxDepth) return error_at(start, fmt::format("nested deeper than {} levels", kMaxDepth));
  PK_ASSIGN_OR_RETURN(Head h, read_head("an item"));
  switch (h.type) {
    case MajorType::kUnsigned:
    case MajorType::kNegative:
      return ok_status();
    case MajorType::kBytes:
    case MajorType::kText:
      if (h.indefinite) {
        // Chunks: definite strings of the same type, up to a break.
        while (!at_break()) {
          const std::string_view what = h.type == MajorType::kText ? "a text chunk" : "a byte chunk";
          PK_ASSIGN_OR_RETURN(auto chunk, read_string(h.type, what));
          (void)chunk;
        }
        return ok_status();
      }
      if (h.argument > bytes_.size() - pos_) return error_at(start, "a string runs past the end");
      pos_ += static_cast<size_t>(h.argument);
      return ok_status();
    case MajorType::kArray:
    case MajorType::kMap: {
      const uint64_t per_entry = h.type == MajorType::kMap ? 2 : 1;
      if (h.indefinite) {
        while (!at_break()) {
          for (uint64_t i = 0; i < per_entry; ++i) PK_TRY(skip(depth + 1));
        }
        return ok_status();
      }
      for (uint64_t i = 0; i < h.argument; ++i) {
        for (uint64_t k = 0; k < per_entry; ++k) PK_TRY(skip(depth + 1));
      }
      return ok_status();
    }
    case MajorType::kTag:
      return skip(depth + 1);
    case MajorType::kSimple:
      if (h.indefinite) return error_at(start, "a break outside an indefinite-length item");
      if (h.info == 24 && h.argument < 32) return error_at(start, "a simple value below 32 in two bytes");
      return ok_status();
  }
  return ok_status();
}

// ---- Writer ----

void Writer::head(MajorType type, uint64_t argument) {
  const auto major = static_cast<uint8_t>(static_cast<uint8_t>(type) << 5);
  if (argument < 24) {
    out_.push_back(static_cast<char>(major | argument));
    return;
  }
  int size = 8;
  uint8_t info = 27;
  if (argument <= 0xff) {
    size = 1;
    info = 24;
  } else if (argument <= 0xffff) {
    size = 2;
    info = 25;
  } else if (argument <= 0xffffffffu) {
    size = 4;
    info = 26;
  }
  out_.push_back(static_cast<char>(major | info));
  for (int i = size - 1; i >= 0; --i) out_.push_back(static_cast<char>((argument >> (8 * i)) & 0xff));
}

Writer& Writer::map(uint64_t pairs) {
  head(MajorType::kMap, pairs);
  return *this;
}

Writer& Writer::array(uint64_t elements) {
  head(MajorType::kArray, elements);
  return *this;
}

Writer& Writer::text(std::string_view s) {
  head(MajorType::kText, s.size());
  out_.append(s);
  return *this;
}

Writer& Writer::bytes(std::string_view b) {
  head(MajorType::kBytes, b.size());
  out_.append(b);
  return *this;
}

Writer& Writer::unsigned_integer(uint64_t v) {
  head(MajorType::kUnsigned, v);
  return *this;
}

Writer& Writer::integer(int64_t v) {
  if (v >= 0) {
    head(MajorType::kUnsigned, static_cast<uint64_t>(v));
  } else {
    head(MajorType::kNegative, static_cast<uint64_t>(-(v + 1)));
  }
  return *this;
}

Writer& Writer::boolean(bool v) {
  out_.push_back(static_cast<char>(v ? 0xf5 : 0xf4));
  return *this;
}

Writer& Writer::null() {
  out_.push_back(static_cast<char>(kNull));
  return *this;
}

Writer& Writer::float64(double v) {
  out_.push_back(static_cast<char>(0xfb));
  const auto bits = std::bit_cast<uint64_t>(v);
  for (int i = 7; i >= 0; --i) out_.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  return *this;
}

Writer& Writer::tag(uint64_t number) {
  head(MajorType::kTag, number);
  return *this;
}

}  // namespace pk::aws::cbor
