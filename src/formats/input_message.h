#pragma once
// What the record formats read from one Pulsar message: a plain view struct, so that formats stay pure functions
// over bytes and testable without the Pulsar client. The sink fills it from a received pulsar::Message (every
// view points into that message, which must outlive the encode call). Nothing here owns memory.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace pk::formats {

class TopicSchema;

// One property (or metadata entry) as it appears in the message metadata: key, value (UTF-8 as sent; bytes that
// are not valid UTF-8 are read the way Java decodes them, each bad sequence becoming U+FFFD).
using Property = std::pair<std::string_view, std::string_view>;

// Pulsar's CompressionType as the message metadata carries it.
enum class CompressionType : uint8_t { kNone = 0, kLz4 = 1, kZlib = 2, kZstd = 3, kSnappy = 4 };

// One entry of the metadata's encryption_keys.
struct EncryptionKeyView {
  std::string_view name;
  std::string_view value;                // the encrypted data key, raw bytes
  std::span<const Property> metadata{};  // in metadata order
};

// The encryption context the Java client attaches to a message it could not (or was told not to) decrypt.
struct EncryptionContextView {
  std::span<const EncryptionKeyView> keys{};  // in metadata order
  std::string_view param;                     // encryption_param (empty when unset)
  std::optional<std::string_view> algorithm;  // encryption_algo
  CompressionType compression = CompressionType::kNone;
  uint32_t uncompressed_size = 0;     // the metadata's uncompressed_size (Java reads it as a signed int)
  std::optional<int32_t> batch_size;  // num_messages_in_batch when the metadata has it
};

struct InputMessage {
  std::string_view topic;                  // full topic name (the partition's): the fallback partition key
  std::optional<std::string_view> key;     // partition key text as stored (base64 text for a bytes key)
  bool key_is_base64 = false;              // partition_key_b64_encoded
  std::string_view payload;                // the message bytes as received (after decompression)
  std::span<const Property> properties{};  // in message-metadata order, duplicates included
  // True when the message arrived inside a batch entry (any producer with batching on, even one message per
  // batch): the Java client then keeps properties in a TreeMap instead of a HashMap, which decides their order.
  bool delivered_in_batch = false;
  uint64_t event_time = 0;                            // ms since the epoch; 0 = not set
  uint64_t publish_time = 0;                          // ms since the epoch
  const EncryptionContextView* encryption = nullptr;  // only for messages delivered still encrypted
  // FULL_MESSAGE_IN_JSON_EXPAND_VALUE: the schema of this message's schema version (null: no schema, the value
  // is the raw bytes). Compiled once per version by TopicSchema::compile and shared.
  const TopicSchema* schema = nullptr;
};

}  // namespace pk::formats
