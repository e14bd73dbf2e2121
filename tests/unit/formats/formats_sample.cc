// Writes records of the given messages in FULL_MESSAGE_IN_JSON and FULL_MESSAGE_IN_FB, for the Python readers test
// (test_python_readers.py). Input on stdin, one message per line, tab-separated, every text field hex:
//   <id> <batched 0|1> <key|-> <payload> <properties: k=v,k=v|-> <encryption|->
//   encryption = <algorithm|->;<param>;<compression 0-4>;<uncompressed size>;<batch size|->;<keys>
//   keys = <name>:<value>:<metadata k=v|k=v or empty>, joined by '/'
// Output, one line per message: <id> <json hex> <fb hex> <partition key hex>.
#include <deque>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "formats/full_fb.h"
#include "formats/full_json.h"
#include "formats/partition_key.h"
#include "support/hex.h"
#include "support/split.h"

namespace {

using pk::testing::from_hex;
using pk::testing::split;
using pk::testing::to_hex;

// "k=v<sep>k=v" (hex) -> properties viewing strings kept in `storage` (a deque: its elements never move).
std::vector<pk::formats::Property> pairs(const std::string& field, char sep, std::deque<std::string>& storage) {
  std::vector<pk::formats::Property> out;
  if (field.empty() || field == "-") return out;
  for (const auto& kv : split(field, sep)) {
    const auto parts = split(kv, '=');
    const std::string& k = storage.emplace_back(from_hex(parts[0]));
    const std::string& v = storage.emplace_back(from_hex(parts[1]));
    out.emplace_back(k, v);
  }
  return out;
}

}  // namespace

int main() {
  using namespace pk::formats;
  for (std::string line; std::getline(std::cin, line);) {
    if (line.empty()) continue;
    const auto f = split(line, '\t');
    std::deque<std::string> storage;
    const std::vector<Property> props = pairs(f[4], ',', storage);
    const std::string key = f[2] == "-" ? "" : from_hex(f[2]);
    const std::string payload = from_hex(f[3]);
    InputMessage m;
    m.topic = "persistent://public/default/readers";
    if (f[2] != "-") m.key = key;
    m.payload = payload;
    m.properties = props;
    m.delivered_in_batch = f[1] == "1";
    EncryptionContextView ctx;
    std::vector<std::vector<Property>> metadata;
    std::vector<EncryptionKeyView> keys;
    if (f[5] != "-") {
      const auto e = split(f[5], ';');
      if (e[0] != "-") ctx.algorithm = storage.emplace_back(from_hex(e[0]));
      ctx.param = storage.emplace_back(from_hex(e[1]));
      ctx.compression = static_cast<CompressionType>(std::stoi(e[2]));
      ctx.uncompressed_size = static_cast<uint32_t>(std::stoul(e[3]));
      if (e[4] != "-") ctx.batch_size = std::stoi(e[4]);
      const auto key_specs = e[5].empty() ? std::vector<std::string>{} : split(e[5], '/');
      metadata.reserve(key_specs.size());
      for (const auto& spec : key_specs) {
        const auto parts = split(spec, ':');
        metadata.push_back(pairs(parts[2], '|', storage));
        keys.push_back(
            {storage.emplace_back(from_hex(parts[0])), storage.emplace_back(from_hex(parts[1])), metadata.back()});
      }
      ctx.keys = keys;
      m.encryption = &ctx;
    }
    OrderScratch order;
    FbScratch fb_scratch;
    std::string json;
    std::string fb;
    std::string scratch;
    append_full_json(m, order, json);
    append_full_fb(m, fb_scratch, fb);
    std::cout << f[0] << '\t' << to_hex(json) << '\t' << to_hex(fb) << '\t' << to_hex(partition_key(m, scratch).key)
              << '\n';
  }
  return 0;
}
