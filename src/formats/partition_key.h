#pragma once
// The Kinesis partition key of a message, by the Java sink's rules (docs/formats.md): the message key (a bytes
// key is used as its base64 text, which is how it is stored), else the full topic name, else "default"; longer
// than 256 UTF-16 code units -> the first 255, a split surrogate pair's high half sent as '?'. Unlike the Java
// sink (which throws and restarts), an empty key falls back to the topic name; the caller counts those.

#include <string>
#include <string_view>

#include "formats/input_message.h"

namespace pk::formats {

enum class PartitionKeySource {
  kMessageKey,
  kTopic,          // the message has no key
  kEmptyKeyTopic,  // the message has an empty key (the Java sink fails it): count these
  kDefault,        // neither key nor topic
};

struct PartitionKey {
  std::string_view key;  // valid UTF-8 of 1 to 256 characters; views the message or the scratch string
  PartitionKeySource source;
};

inline constexpr size_t kMaxPartitionKeyLength = 256;  // UTF-16 code units, as Kinesis counts them

// `scratch` holds the key when it had to be rewritten (truncated, or bytes that were not valid UTF-8).
PartitionKey partition_key(const InputMessage& message, std::string& scratch);

}  // namespace pk::formats
