#include "formats/record_encoder.h"

#include <fmt/format.h>

#include "formats/full_json.h"

namespace pk::formats {
namespace {

constexpr std::pair<MessageFormat, std::string_view> kFormats[] = {
    {MessageFormat::kOnlyRawPayload, "ONLY_RAW_PAYLOAD"},
    {MessageFormat::kFullMessageInJson, "FULL_MESSAGE_IN_JSON"},
    {MessageFormat::kFullMessageInFb, "FULL_MESSAGE_IN_FB"},
    {MessageFormat::kFullMessageInJsonExpandValue, "FULL_MESSAGE_IN_JSON_EXPAND_VALUE"},
};

}  // namespace

Result<MessageFormat> parse_message_format(std::string_view name) {
  for (const auto& [format, n] : kFormats) {
    if (n == name) return format;
  }
  return make_error(ErrorCode::kInvalidArgument,
                    fmt::format("messageFormat \"{}\" is not one of ONLY_RAW_PAYLOAD, FULL_MESSAGE_IN_JSON, "
                                "FULL_MESSAGE_IN_FB, FULL_MESSAGE_IN_JSON_EXPAND_VALUE",
                                name));
}

std::string_view to_string(MessageFormat format) {
  for (const auto& [f, n] : kFormats) {
    if (f == format) return n;
  }
  return "?";
}

Status RecordEncoder::encode(const InputMessage& message, std::string& out) {
  switch (options_.format) {
    case MessageFormat::kOnlyRawPayload:
      out.append(message.payload);
      return ok_status();
    case MessageFormat::kFullMessageInJson:
      append_full_json(message, order_, out);
      return ok_status();
    case MessageFormat::kFullMessageInFb:
      append_full_fb(message, fb_, out);
      return ok_status();
    case MessageFormat::kFullMessageInJsonExpandValue:
      return expand_.append(message, out);
  }
  return make_error(ErrorCode::kInternal, "unknown message format");
}

}  // namespace pk::formats
