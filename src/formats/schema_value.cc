#include "formats/schema_value.h"

#include <bit>
#include <charconv>

#include <fmt/format.h>

#include "common/base64.h"
#include "formats/java_string.h"
#include "formats/json_parse.h"

namespace pk::formats {
namespace {

uint64_t be(std::string_view s, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(s[at + i]);
  return v;
}

Status expect_size(std::string_view bytes, size_t size, SchemaType type) {
  if (bytes.size() == size) return ok_status();
  return make_error(ErrorCode::kMalformedInput,
                    fmt::format("{} value of {} bytes (a {} value has {} bytes)", schema_type_name(type), bytes.size(),
                                schema_type_name(type), size));
}

uint32_t integer(ValueTree& t, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return t.add_text(ValueKind::kInteger, std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Days since 1970-01-01 -> proleptic Gregorian year, month, day (Howard Hinnant's civil_from_days).
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = floor_div(z, 146097);
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

// LocalDate.toString.
void append_date(int64_t epoch_day, std::string& out) {
  int64_t y;
  unsigned m, d;
  civil_from_days(epoch_day, y, m, d);
  if (y > 9999) {
    out += fmt::format("+{}", y);
  } else if (y < 0) {
    out += fmt::format("-{:04}", -y);
  } else {
    out += fmt::format("{:04}", y);
  }
  out += fmt::format("-{:02}-{:02}", m, d);
}

// LocalTime.toString: HH:mm, then :ss and a fraction in groups of three digits when not zero.
void append_time(int64_t nano_of_day, std::string& out) {
  const int64_t h = nano_of_day / 3600000000000;
  const int64_t mi = nano_of_day / 60000000000 % 60;
  const int64_t s = nano_of_day / 1000000000 % 60;
  const int64_t nano = nano_of_day % 1000000000;
  out += fmt::format("{:02}:{:02}", h, mi);
  if (s > 0 || nano > 0) {
    out += fmt::format(":{:02}", s);
    if (nano > 0) {
      if (nano % 1000000 == 0) {
        out += fmt::format(".{:03}", nano / 1000000);
      } else if (nano % 1000 == 0) {
        out += fmt::format(".{:06}", nano / 1000);
      } else {
        out += fmt::format(".{:09}", nano);
      }
    }
  }
}

Result<uint32_t> primitive(SchemaType type, std::string_view b, ValueTree& t, std::string& text) {
  switch (type) {
    case SchemaType::kString: {
      const size_t start = t.text_start();
      append_java_normalized(b, t.arena());
      const uint32_t i = t.add(ValueKind::kString);
      t.node(i).text = t.text_since(start);
      return i;
    }
    case SchemaType::kBoolean:
      PK_TRY(expect_size(b, 1, type));
      return t.add_bool(b[0] != 0);
    case SchemaType::kInt8:
      PK_TRY(expect_size(b, 1, type));
      return integer(t, static_cast<int8_t>(b[0]));
    case SchemaType::kInt16:
      PK_TRY(expect_size(b, 2, type));
      return integer(t, static_cast<int16_t>(be(b, 0, 2)));
    case SchemaType::kInt32:
      PK_TRY(expect_size(b, 4, type));
      return integer(t, static_cast<int32_t>(be(b, 0, 4)));
    case SchemaType::kInt64:
    case SchemaType::kDate:       // java.util.Date: Jackson writes its epoch milliseconds
    case SchemaType::kTimestamp:  // java.sql.Timestamp: the same
      PK_TRY(expect_size(b, 8, type));
      return integer(t, static_cast<int64_t>(be(b, 0, 8)));
    case SchemaType::kFloat:
      PK_TRY(expect_size(b, 4, type));
      return t.add_float(std::bit_cast<float>(static_cast<uint32_t>(be(b, 0, 4))));
    case SchemaType::kDouble:
      PK_TRY(expect_size(b, 8, type));
      return t.add_double(std::bit_cast<double>(be(b, 0, 8)));
    case SchemaType::kTime: {  // java.sql.Time.toString(): HH:mm:ss in the JVM's time zone (UTC here)
      PK_TRY(expect_size(b, 8, type));
      const auto millis = static_cast<int64_t>(be(b, 0, 8));
      const int64_t ms_of_day = millis - floor_div(millis, 86400000) * 86400000;
      text = fmt::format("{:02}:{:02}:{:02}", ms_of_day / 3600000, ms_of_day / 60000 % 60, ms_of_day / 1000 % 60);
      return t.add_text(ValueKind::kString, text);
    }
    case SchemaType::kInstant: {  // Instant.toString()
      PK_TRY(expect_size(b, 12, type));
      const auto seconds = static_cast<int64_t>(be(b, 0, 8));
      const auto nanos = static_cast<int32_t>(be(b, 8, 4));
      if (nanos < 0 || nanos > 999999999) {
        return make_error(ErrorCode::kMalformedInput, fmt::format("INSTANT value with {} nanoseconds", nanos));
      }
      text.clear();
      const int64_t day = floor_div(seconds, 86400);
      append_date(day, text);
      text.push_back('T');
      const int64_t nano_of_day = (seconds - day * 86400) * 1000000000 + nanos;
      append_time(nano_of_day, text);
      if (nano_of_day % 60000000000 == 0) text += ":00";  // Instant always writes the seconds
      text.push_back('Z');
      return t.add_text(ValueKind::kString, text);
    }
    case SchemaType::kLocalDate: {
      PK_TRY(expect_size(b, 8, type));
      text.clear();
      append_date(static_cast<int64_t>(be(b, 0, 8)), text);
      return t.add_text(ValueKind::kString, text);
    }
    case SchemaType::kLocalTime: {
      PK_TRY(expect_size(b, 8, type));
      const auto nano_of_day = static_cast<int64_t>(be(b, 0, 8));
      if (nano_of_day < 0 || nano_of_day >= 86400000000000) {
        return make_error(ErrorCode::kMalformedInput, "LOCAL_TIME value outside one day");
      }
      text.clear();
      append_time(nano_of_day, text);
      return t.add_text(ValueKind::kString, text);
    }
    case SchemaType::kLocalDateTime: {
      PK_TRY(expect_size(b, 16, type));
      const auto nano_of_day = static_cast<int64_t>(be(b, 8, 8));
      if (nano_of_day < 0 || nano_of_day >= 86400000000000) {
        return make_error(ErrorCode::kMalformedInput, "LOCAL_DATE_TIME value with a time outside one day");
      }
      text.clear();
      append_date(static_cast<int64_t>(be(b, 0, 8)), text);
      text.push_back('T');
      append_time(nano_of_day, text);
      return t.add_text(ValueKind::kString, text);
    }
    default:
      return t.add_text(ValueKind::kBinary, b);  // NONE / BYTES
  }
}

Result<uint32_t> decode_bytes(const TopicSchema* schema, std::string_view bytes, ValueTree& t, SchemaValueScratch& s) {
  if (!schema) return t.add_text(ValueKind::kBinary, bytes);
  switch (schema->type()) {
    case SchemaType::kJson:
      return parse_json_value(bytes, t);
    case SchemaType::kAvro:
      return avro::decode(*schema->avro(), bytes, t, s.avro);
    case SchemaType::kKeyValue:
      return make_error(ErrorCode::kUnsupported, "a KEY_VALUE component of a KEY_VALUE schema");
    default:
      return primitive(schema->type(), bytes, t, s.text);
  }
}

Result<uint32_t> decode_key_value(const TopicSchema& schema, const InputMessage& m, ValueTree& t,
                                  SchemaValueScratch& s) {
  std::optional<std::string_view> key_bytes;
  std::string_view value_bytes;
  if (schema.separated()) {
    // MessageImpl.getKeyBytes(): the base64-decoded key, or the key text's UTF-8 bytes.
    if (m.key) {
      s.key_bytes.clear();
      if (m.key_is_base64) {
        const Status decoded = base64_decode_append(*m.key, s.key_bytes);
        if (!decoded.ok()) return decoded.error().with_context("KEY_VALUE key");
      } else {
        append_java_normalized(*m.key, s.key_bytes);
      }
      key_bytes = s.key_bytes;
    }
    value_bytes = m.payload;
  } else {
    // KeyValue.decode: [int32 BE length][key][int32 BE length][value]; length -1 = null.
    const std::string_view p = m.payload;
    size_t at = 0;
    auto part = [&](std::optional<std::string_view>& out) -> Status {
      if (p.size() - at < 4) return make_error(ErrorCode::kMalformedInput, "KEY_VALUE payload truncated");
      const auto len = static_cast<int32_t>(be(p, at, 4));
      at += 4;
      if (len == -1) return ok_status();
      if (len < 0 || static_cast<size_t>(len) > p.size() - at) {
        return make_error(ErrorCode::kMalformedInput, fmt::format("KEY_VALUE payload: bad length {}", len));
      }
      out = p.substr(at, static_cast<size_t>(len));
      at += static_cast<size_t>(len);
      return ok_status();
    };
    std::optional<std::string_view> value;
    PK_TRY(part(key_bytes));
    PK_TRY(part(value));
    if (!value) {
      const uint32_t obj = t.add(ValueKind::kObject);
      if (key_bytes) {
        auto k = decode_bytes(schema.key_schema(), *key_bytes, t, s);
        if (!k.ok()) return k.error().with_context("KEY_VALUE key");
        t.push_member(obj, "key", *k);
      }
      return obj;
    }
    value_bytes = *value;
  }
  // new HashMap<>() with put("key"), put("value"): "value" iterates first (bucket 13 before 14).
  const uint32_t obj = t.add(ValueKind::kObject);
  auto v = decode_bytes(schema.value_schema(), value_bytes, t, s);
  if (!v.ok()) return v.error().with_context("KEY_VALUE value");
  t.push_member(obj, "value", *v);
  if (key_bytes) {
    auto k = decode_bytes(schema.key_schema(), *key_bytes, t, s);
    if (!k.ok()) return k.error().with_context("KEY_VALUE key");
    t.push_member(obj, "key", *k);
  }
  return obj;
}

}  // namespace

Result<uint32_t> decode_schema_value(const InputMessage& message, ValueTree& tree, SchemaValueScratch& scratch) {
  if (message.schema && message.schema->type() == SchemaType::kKeyValue) {
    return decode_key_value(*message.schema, message, tree, scratch);
  }
  return decode_bytes(message.schema, message.payload, tree, scratch);
}

}  // namespace pk::formats
