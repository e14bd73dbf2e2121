#include "formats/partition_key.h"

#include "formats/java_string.h"

namespace pk::formats {

PartitionKey partition_key(const InputMessage& message, std::string& scratch) {
  std::string_view text;
  PartitionKeySource source;
  if (message.key && !message.key->empty()) {
    text = *message.key;
    source = PartitionKeySource::kMessageKey;
  } else if (!message.topic.empty()) {
    text = message.topic;
    source = message.key ? PartitionKeySource::kEmptyKeyTopic : PartitionKeySource::kTopic;
  } else {
    return {"default", PartitionKeySource::kDefault};
  }
  // A UTF-16 string is never longer than its UTF-8 encoding: short byte strings need no counting.
  const bool clean = is_java_clean_utf8(text);
  if (clean && text.size() <= kMaxPartitionKeyLength) return {text, source};
  std::u16string units;
  java_decode_utf8(text, units);
  const bool truncated = units.size() > kMaxPartitionKeyLength;
  if (truncated) units.resize(kMaxPartitionKeyLength - 1);
  if (clean && !truncated) return {text, source};
  scratch.clear();
  java_encode_utf8(units, scratch);  // a lone high surrogate at the cut becomes '?'
  return {scratch, source};
}

}  // namespace pk::formats
