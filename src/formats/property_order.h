#pragma once
// The order in which the Java connector writes a message's string maps: the properties (a HashMap filled by merge,
// or a TreeMap for a message that came in a batch; EXPAND_VALUE re-puts them into a fresh HashMap) and the
// encryption context's maps (HashMaps filled by put). Results are indexes into the caller's lists.

#include <span>
#include <string_view>
#include <vector>

#include "formats/input_message.h"
#include "formats/java_map_order.h"

namespace pk::formats {

// Reusable scratch for the order computations (one per encoder; not thread-safe).
struct OrderScratch {
  MapOrderScratch map;
  std::vector<std::string_view> keys;
  std::vector<OrderedEntry> entries;
  std::vector<OrderedEntry> nested;
};

// Properties as MessageImpl.getProperties() iterates them (FULL_MESSAGE_IN_JSON, FULL_MESSAGE_IN_FB).
void message_property_order(const InputMessage& message, OrderScratch& scratch, std::vector<OrderedEntry>& out);

// Properties as FULL_MESSAGE_IN_JSON_EXPAND_VALUE writes them: `first` (message_property_order's result) put
// into a new HashMap in that order.
void expand_property_order(std::span<const Property> properties, std::span<const OrderedEntry> first,
                           OrderScratch& scratch, std::vector<OrderedEntry>& out);

// A HashMap filled with put from `keys` in order (encryption keys by name, a key's metadata).
void put_order(std::span<const std::string_view> keys, OrderScratch& scratch, std::vector<OrderedEntry>& out);

}  // namespace pk::formats
