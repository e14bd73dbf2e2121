#pragma once
// Turning one YAML/JSON value into the typed value of its key (key_table.h): `${NAME}` references, secret files,
// coercion of strings to numbers and booleans, bounds, enum values, lists. Problems name the key path, the value
// (masked for secrets) and what is allowed.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/result.h"
#include "config/key_table.h"
#include "config/problems.h"

namespace pk::config {

// How values are resolved: the environment (tests inject their own) and nothing else.
struct LoadOptions {
  std::function<std::optional<std::string>(const std::string&)> env;  // empty: the process environment
  // Values that replace the file's (command-line flags): {"pulsar.serviceUrl", "pulsar://..."}, as if written in
  // the file's `pulsar:`, `admin:` or `log:` section; a run file's pipelines get the `pulsar:` ones too. Parsed and
  // validated like the file's own values (`${NAME}` and `file:/path` included).
  std::vector<std::pair<std::string, std::string>> overrides;
};

// What the loader threads through: where problems and warnings go, and the options.
struct LoadContext {
  Problems& problems;
  Problems& warnings;
  const LoadOptions& options;
};

// The value of `node` for key `info` at `path`; nullopt after adding a problem. `node` must not be null.
std::optional<ParsedValue> parse_value(const YAML::Node& node, const KeyInfo& info, const std::string& path,
                                       LoadContext& ctx);

// The key's default, parsed like a value from a file.
ParsedValue default_value(const KeyInfo& info);

// How a value is shown in messages and dumps: quoted text, or **** for secrets.
std::string shown(const KeyInfo& info, std::string_view text);

// "a map", "a list", "a string": what a node is, for messages.
std::string_view node_kind(const YAML::Node& node);

// Reads a whole file; the error names the path and the reason.
Result<std::string> read_text_file(const std::string& path);

}  // namespace pk::config
