// kpl_tool: our aggregator and deaggregator behind a line protocol, for the cross-check against an independent
// implementation (test_kpl_cross_check.py). Every byte string is written as "x" + hex (so "x" is empty);
// an absent explicit hash key is "-".
//   kpl_tool aggregate    stdin: one user record a line, "<key> <ehk> <data>"; stdout: the aggregate
//   kpl_tool deaggregate  stdin: one record; stdout: the outcome (to_string), then one sub-record a line,
//                         "<sub-sequence number> <key> <ehk> <data>"
#include <cstdlib>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "kpl/aggregator.h"
#include "kpl/deaggregator.h"
#include "support/hex.h"

namespace {

std::string read_bytes(const std::string& token) {
  if (token.empty() || token[0] != 'x') {
    std::cerr << "kpl_tool: expected x<hex>, got '" << token << "'\n";
    std::exit(2);
  }
  return pk::testing::from_hex(std::string_view(token).substr(1));
}

std::string write_bytes(std::string_view bytes) {
  return "x" + pk::testing::to_hex(bytes);
}

int aggregate() {
  pk::kpl::Aggregator agg;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream fields(line);
    std::string key, ehk, data;
    if (!(fields >> key >> ehk >> data)) continue;
    const std::string ehk_bytes = ehk == "-" ? std::string() : read_bytes(ehk);
    agg.add(read_bytes(key), ehk == "-" ? std::nullopt : std::optional<std::string_view>(ehk_bytes), read_bytes(data));
  }
  std::string out;
  agg.finish(out);
  std::cout << write_bytes(out) << "\n";
  return 0;
}

int deaggregate() {
  std::string token;
  std::cin >> token;
  const std::string bytes = read_bytes(token);
  const pk::kpl::Deaggregation result = pk::kpl::deaggregate(bytes);
  std::cout << pk::kpl::to_string(result.outcome) << "\n";
  for (const pk::kpl::SubRecord& r : result.records) {
    std::cout << r.sub_sequence_number << " " << write_bytes(r.partition_key) << " "
              << (r.explicit_hash_key ? write_bytes(*r.explicit_hash_key) : "-") << " " << write_bytes(r.data) << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc == 2 ? argv[1] : "";
  if (command == "aggregate") return aggregate();
  if (command == "deaggregate") return deaggregate();
  std::cerr << "usage: kpl_tool aggregate|deaggregate\n";
  return 2;
}
