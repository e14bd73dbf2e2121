#pragma once
// FULL_MESSAGE_IN_FB: the message as a FlatBuffer of the schema in message.fbs (namespace
// org.apache.pulsar.io.kinesis.fbs, root Message, no file identifier), laid out byte for byte as the Java
// connector's builder does (docs/formats.md). Never fails; a context without an algorithm (on which the Java sink
// throws) is written without `algo`.

#include <string>
#include <vector>

#include "formats/input_message.h"
#include "formats/property_order.h"

namespace pk::formats {

struct FbScratch {
  OrderScratch order;
  std::vector<uint32_t> offsets;
  std::vector<uint32_t> key_offsets;
  std::string text;
};

void append_full_fb(const InputMessage& message, FbScratch& scratch, std::string& out);

}  // namespace pk::formats
