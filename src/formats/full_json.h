#pragma once
// FULL_MESSAGE_IN_JSON: the payload (base64), the properties and the encryption context as one compact JSON
// object, written the way the Java connector's Gson writes it (field order, presence rules and escaping in
// docs/formats.md). Never fails: any message can be written.

#include <string>

#include "formats/input_message.h"
#include "formats/property_order.h"

namespace pk::formats {

void append_full_json(const InputMessage& message, OrderScratch& scratch, std::string& out);

}  // namespace pk::formats
