#include "formats/property_order.h"

namespace pk::formats {

void message_property_order(const InputMessage& message, OrderScratch& scratch, std::vector<OrderedEntry>& out) {
  scratch.keys.clear();
  for (const auto& p : message.properties) scratch.keys.push_back(p.first);
  java_map_order(scratch.keys, message.delivered_in_batch ? MapFill::kSorted : MapFill::kMerge, KeyClass::kString, -1,
                 scratch.map, out);
}

void expand_property_order(std::span<const Property> properties, std::span<const OrderedEntry> first,
                           OrderScratch& scratch, std::vector<OrderedEntry>& out) {
  scratch.keys.clear();
  for (const auto& e : first) scratch.keys.push_back(properties[e.key].first);
  java_map_order(scratch.keys, MapFill::kPut, KeyClass::kString, -1, scratch.map, out);
  // Map back from positions in `first` to property indexes (keys are distinct, so each keeps its own value).
  for (auto& e : out) e = first[e.key];
}

void put_order(std::span<const std::string_view> keys, OrderScratch& scratch, std::vector<OrderedEntry>& out) {
  java_map_order(keys, MapFill::kPut, KeyClass::kString, -1, scratch.map, out);
}

}  // namespace pk::formats
