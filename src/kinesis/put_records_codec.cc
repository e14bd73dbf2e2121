#include "kinesis/put_records_codec.h"

#include <array>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "aws/json_text.h"
#include "common/base64.h"
#include "kinesis/json_fields.h"

namespace pk::kinesis {
namespace {

constexpr std::string_view kEntryOpen = R"({"Data":")";
constexpr std::string_view kKeyOpen = R"(","PartitionKey":")";
constexpr std::string_view kHashOpen = R"(","ExplicitHashKey":")";
constexpr std::string_view kEntryClose = R"("})";
constexpr std::string_view kRecordsOpen = R"(","Records":[)";
constexpr std::string_view kBodyClose = "]}";

inline char* put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

Error entry_error(size_t index, std::string_view problem) {
  return make_error(ErrorCode::kInvalidArgument, fmt::format("PutRecords: Records[{}]: {}", index, problem));
}

}  // namespace

Status validate_partition_key(std::string_view partition_key) {
  PK_ASSIGN_OR_RETURN(const auto key, aws::inspect_json_string(partition_key, "PartitionKey"));
  if (key.code_points == 0 || key.code_points > kMaxPartitionKeyChars) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("PartitionKey: {} characters, must be 1 to {}",
                                                               key.code_points, kMaxPartitionKeyChars));
  }
  return Status();
}

Result<std::string> build_put_records_body(const StreamRef& stream, std::span<const PutRecordsEntry> entries) {
  if (entries.empty() || entries.size() > kMaxPutRecordsEntries) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("PutRecords: {} entries, must be 1 to {}", entries.size(), kMaxPutRecordsEntries));
  }
  const bool by_arn = !stream.arn.empty();
  const std::string_view stream_text = by_arn ? stream.arn.str() : stream.name.str();
  if (stream_text.empty())
    return make_error(ErrorCode::kInvalidArgument, "PutRecords: neither StreamName nor StreamARN given");
  const std::string_view stream_open = by_arn ? R"({"StreamARN":")" : R"({"StreamName":")";
  PK_ASSIGN_OR_RETURN(const auto stream_info, aws::inspect_json_string(stream_text, by_arn ? "PutRecords: StreamARN"
                                                                                           : "PutRecords: StreamName"));

  // Pass 1: validate the partition keys and add up the exact size.
  size_t size = stream_open.size() + stream_info.escaped_size + kRecordsOpen.size() + kBodyClose.size() +
                (entries.size() - 1);                     // commas
  std::array<uint16_t, kMaxPutRecordsEntries> key_sizes;  // escaped sizes: <= 6 * 4 * 256 bytes
  for (size_t i = 0; i < entries.size(); ++i) {
    const PutRecordsEntry& e = entries[i];
    auto key = aws::inspect_json_string(e.partition_key, "PartitionKey");
    if (!key.ok()) return entry_error(i, key.error().message);
    if (key->code_points == 0 || key->code_points > kMaxPartitionKeyChars) {
      return entry_error(
          i, fmt::format("PartitionKey: {} characters, must be 1 to {}", key->code_points, kMaxPartitionKeyChars));
    }
    key_sizes[i] = static_cast<uint16_t>(key->escaped_size);
    size += kEntryOpen.size() + base64_encoded_size(e.data.size()) + kKeyOpen.size() + key->escaped_size +
            kEntryClose.size();
    if (e.explicit_hash_key) size += kHashOpen.size() + e.explicit_hash_key->decimal_size();
  }

  // Pass 2: write into the buffer.
  std::string body(size, '\0');
  char* p = body.data();
  p = put(p, stream_open);
  p = aws::write_json_escaped(stream_text, p);
  p = put(p, kRecordsOpen);
  for (size_t i = 0; i < entries.size(); ++i) {
    const PutRecordsEntry& e = entries[i];
    if (i != 0) *p++ = ',';
    p = put(p, kEntryOpen);
    base64_encode_to(e.data, p);
    p += base64_encoded_size(e.data.size());
    p = put(p, kKeyOpen);
    p = key_sizes[i] == e.partition_key.size() ? put(p, e.partition_key) : aws::write_json_escaped(e.partition_key, p);
    if (e.explicit_hash_key) {
      p = put(p, kHashOpen);
      p += e.explicit_hash_key->write_decimal(p);
    }
    p = put(p, kEntryClose);
  }
  p = put(p, kBodyClose);
  if (p != body.data() + body.size()) {
    return make_error(ErrorCode::kInternal, "PutRecords: body size computed wrongly");  // a bug, never bad input
  }
  return body;
}

Result<PutRecordsResponse> parse_put_records_response(std::string_view body, size_t expected_records) {
  constexpr std::string_view kWhat = "PutRecords response";
  PutRecordsResponse out;
  out.records.reserve(expected_records);
  std::optional<int64_t> failed_count;
  PK_TRY(json::parse_object(body, kWhat, [&](std::string_view key, json::value v) -> Status {
    if (key == "FailedRecordCount") {
      PK_ASSIGN_OR_RETURN(failed_count, json::get_int64(v, "FailedRecordCount"));
    } else if (key == "EncryptionType") {
      PK_ASSIGN_OR_RETURN(auto s, json::get_string(v, "EncryptionType"));
      if (s && *s == "KMS") out.encryption_type = EncryptionType::kKms;
    } else if (key == "Records") {
      return json::for_each_element(v, "Records", [&](size_t index, json::value element) -> Status {
        PutRecordsResultEntry& r = out.records.emplace_back();
        Status s = json::for_each_member(element, "entry", [&](std::string_view k, json::value f) -> Status {
          if (k == "SequenceNumber") {
            PK_ASSIGN_OR_RETURN(auto n, json::optional_sequence_number(f, "SequenceNumber"));
            if (n) r.sequence_number = std::move(*n);
          } else if (k == "ShardId") {
            PK_ASSIGN_OR_RETURN(auto id, json::get_string(f, "ShardId"));
            if (id) r.shard_id = ShardId(*id);
          } else if (k == "ErrorCode") {
            PK_ASSIGN_OR_RETURN(auto c, json::get_string(f, "ErrorCode"));
            if (c) r.error_code.assign(*c);
          } else if (k == "ErrorMessage") {
            PK_ASSIGN_OR_RETURN(auto m, json::get_string(f, "ErrorMessage"));
            if (m) r.error_message.assign(*m);
          }
          return ok_status();
        });
        if (s.ok() && r.ok() && (r.sequence_number.empty() || r.shard_id.empty())) {
          s = json::field_error("entry", "neither SequenceNumber and ShardId nor ErrorCode");
        }
        if (!s.ok()) return json::in_element(std::move(s).error(), "Records", index);
        if (!r.ok()) ++out.failed_record_count;
        return ok_status();
      });
    }
    return ok_status();
  }));
  if (out.records.size() != expected_records) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("{}: {} results for {} entries", kWhat, out.records.size(), expected_records));
  }
  if (failed_count && *failed_count != static_cast<int64_t>(out.failed_record_count)) {
    return make_error(ErrorCode::kMalformedInput, fmt::format("{}: FailedRecordCount {} but {} entries failed", kWhat,
                                                              *failed_count, out.failed_record_count));
  }
  return out;
}

}  // namespace pk::kinesis
