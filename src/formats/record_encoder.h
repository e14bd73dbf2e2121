#pragma once
// The sink's record formats behind one call: the `messageFormat` config value picks ONLY_RAW_PAYLOAD,
// FULL_MESSAGE_IN_JSON, FULL_MESSAGE_IN_FB or FULL_MESSAGE_IN_JSON_EXPAND_VALUE (with jsonIncludeNonNulls and
// jsonFlatten). encode() appends one record to the caller's buffer and allocates nothing else once warm; a message
// that cannot be formatted (EXPAND_VALUE only: its value does not decode with its schema) gives an error naming
// the topic and the reason, and the buffer is left as it was. One encoder per thread.

#include <string>
#include <string_view>

#include "common/result.h"
#include "formats/expand_value.h"
#include "formats/full_fb.h"
#include "formats/input_message.h"
#include "formats/property_order.h"

namespace pk::formats {

enum class MessageFormat {
  kOnlyRawPayload,
  kFullMessageInJson,
  kFullMessageInFb,
  kFullMessageInJsonExpandValue,
};

// The config spelling ("ONLY_RAW_PAYLOAD", ...; case-sensitive as in Java).
Result<MessageFormat> parse_message_format(std::string_view name);
std::string_view to_string(MessageFormat format);

struct FormatOptions {
  MessageFormat format = MessageFormat::kOnlyRawPayload;
  bool json_include_non_nulls = true;
  bool json_flatten = false;
};

class RecordEncoder {
 public:
  explicit RecordEncoder(FormatOptions options)
      : options_(options), expand_({options.json_include_non_nulls, options.json_flatten}) {}

  Status encode(const InputMessage& message, std::string& out);
  const FormatOptions& options() const { return options_; }

 private:
  FormatOptions options_;
  OrderScratch order_;
  FbScratch fb_;
  ExpandValueEncoder expand_;
};

}  // namespace pk::formats
