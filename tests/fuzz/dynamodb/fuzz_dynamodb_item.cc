// DynamoDB responses carrying items (GetItem, Scan, write Attributes) and table descriptions, on arbitrary
// bytes: no crash, no unbounded recursion. A parsed item must write back out (names and S values passed
// simdjson's UTF-8 check) and read back equal.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dynamodb/item_codec.h"
#include "dynamodb/item_ops_codec.h"
#include "dynamodb/table_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto item = pk::dynamodb::parse_get_item_response(body);
  if (item.ok() && item->has_value()) {
    auto written = pk::dynamodb::json_body("fuzz", [&](pk::dynamodb::JsonOut& out) -> pk::Status {
      out.literal_key("Item");
      return pk::dynamodb::write_item(out, **item);
    });
    // Empty sets and empty names are readable but not writable; anything else must round-trip.
    if (written.ok()) {
      auto again = pk::dynamodb::parse_get_item_response(*written);
      if (!again.ok() || !again->has_value() || **again != **item) std::abort();
    }
  }
  (void)pk::dynamodb::parse_scan_response(body);
  (void)pk::dynamodb::parse_write_item_response(body, "UpdateItem");
  (void)pk::dynamodb::parse_table_description_response(body, "DescribeTable");
  return 0;
}
