#pragma once
// Writes a ValueTree as the Java connector's FULL_MESSAGE_IN_JSON_EXPAND_VALUE does: compact JSON the way Jackson
// serializes the tree, or (jsonFlatten) the way json-flattener 0.13 prints the flattened tree ("a.b", "a[0]",
// keys holding '.', '[' or ']' as ["key"], numbers through its BigDecimal-to-Java-number rules). Two Java defects
// are not copied in the flattened form (docs/formats.md): control characters are escaped, and bytes are written
// as base64 instead of null.

#include <string>
#include <vector>

#include "formats/value_tree.h"

namespace pk::formats {

// Jackson: strings escaped (json_text.h), numbers as Java's toString of their type, NaN and infinities quoted,
// bytes as base64, MissingNode as null.
void write_jackson(const ValueTree& tree, uint32_t node, std::string& out);

// Scratch of write_flattened, reused across calls.
struct FlattenScratch {
  std::string path;  // the key of the node being visited
  std::string keys;  // the keys of all leaves
  struct Entry {
    uint32_t key_offset;
    uint32_t key_size;
    uint32_t value;
  };
  std::vector<Entry> entries;
  std::vector<uint32_t> sorted;
  std::vector<uint32_t> value_at;
};

// JsonFlattener.flatten() of the tree rooted at `root` (an object).
void write_flattened(const ValueTree& tree, uint32_t root, FlattenScratch& scratch, std::string& out);

}  // namespace pk::formats
