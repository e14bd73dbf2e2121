// The CBOR reader on arbitrary bytes: skipping whole items and every typed read must end in a value or an error
// naming an offset, never a crash or a read out of bounds; a skipped item's extent is within the input.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "aws/cbor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  pk::aws::cbor::Reader items(bytes);
  while (!items.at_end()) {
    const size_t before = items.offset();
    auto skipped = items.skip();
    if (!skipped.ok()) {
      if (skipped.error().message.empty()) std::abort();
      break;
    }
    if (items.offset() <= before || items.offset() > size) std::abort();
  }
  // Typed reads in a fixed order, as a response parser would make them.
  pk::aws::cbor::Reader typed(bytes);
  for (int i = 0; i < 64 && !typed.at_end(); ++i) {
    bool ok = false;
    switch (i % 8) {
      case 0:
        ok = typed.read_map().ok();
        break;
      case 1:
        ok = typed.read_text().ok();
        break;
      case 2:
        ok = typed.read_bytes().ok();
        break;
      case 3:
        ok = typed.read_number().ok();
        break;
      case 4:
        ok = typed.read_array().ok();
        break;
      case 5:
        ok = typed.read_integer().ok() || typed.take_null();
        break;
      case 6:
        ok = typed.read_tag().ok() || typed.at_break();
        break;
      default:
        ok = typed.skip().ok();
        break;
    }
    if (!ok && !typed.skip().ok()) break;
  }
  return 0;
}
