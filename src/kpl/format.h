#pragma once
// The KPL aggregated-record format (what the Kinesis Producer Library writes and the KCL reads):
//   F3 89 9A C2 | protobuf AggregatedRecord | MD5 of the protobuf bytes (16 bytes)
// with the proto2 schema
//   message AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
//                              repeated Record records = 3; }
//   message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
//                    required bytes data = 3; repeated Tag tags = 4; }
//   message Tag { required string key = 1; optional string value = 2; }
// The constants and the protobuf wire primitives the writer and the reader share. docs/kpl-format.md has more.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/protobuf_wire.h"

namespace pk::kpl {

inline constexpr std::string_view kMagic{"\xF3\x89\x9A\xC2", 4};
inline constexpr size_t kDigestSize = 16;
// Magic and digest: the size of an aggregate around its protobuf bytes.
inline constexpr size_t kFramingSize = kMagic.size() + kDigestSize;

// The KPL's default AggregationMaxSize, and Kinesis' limit on one record's data.
inline constexpr size_t kDefaultAggregationMaxSize = 51200;
inline constexpr size_t kMaxRecordDataSize = size_t{1} << 20;

namespace wire {

using protobuf::kEndGroup;
using protobuf::kFixed32;
using protobuf::kFixed64;
using protobuf::kLengthDelimited;
using protobuf::kStartGroup;
using protobuf::kVarint;
using protobuf::tag;
using protobuf::varint_size;
using protobuf::WireType;
using protobuf::write_varint;

// AggregatedRecord fields.
inline constexpr uint8_t kPartitionKeyTableTag = tag(1, kLengthDelimited);
inline constexpr uint8_t kExplicitHashKeyTableTag = tag(2, kLengthDelimited);
inline constexpr uint8_t kRecordsTag = tag(3, kLengthDelimited);
// Record fields.
inline constexpr uint8_t kPartitionKeyIndexTag = tag(1, kVarint);
inline constexpr uint8_t kExplicitHashKeyIndexTag = tag(2, kVarint);
inline constexpr uint8_t kDataTag = tag(3, kLengthDelimited);

// The size of a length-delimited field with a one-byte tag and `n` bytes of payload.
constexpr size_t delimited_field_size(size_t n) {
  return 1 + varint_size(n) + n;
}

}  // namespace wire
}  // namespace pk::kpl
