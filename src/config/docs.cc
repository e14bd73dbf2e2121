#include "config/docs.h"

#include <fmt/format.h>

#include "config/key_table.h"

namespace pk::config {
namespace {

constexpr std::string_view kIntro = R"(# Configuration

<!-- Generated from the key table in src/config (keys_*.cc) by `pk-config-docs`; do not edit by hand.
     Regenerate: cmake --build --preset debug --target pk-config-docs && build/debug/src/config/pk-config-docs > docs/configuration.md -->

`pulsar-kinesis sink --config FILE` and `pulsar-kinesis source --config FILE` read the same YAML or JSON files as
`pulsar-admin sinks create --sink-config-file` / `sources create --source-config-file`, so the files written for
the Java connector (`pulsar-io-kinesis`) work unchanged. Next to the pulsar-admin fields a file may hold a `pulsar:`
section (the Pulsar client, with the key names of Pulsar's `client.conf`), `admin:` and `log:`.
`pulsar-kinesis run --config FILE` takes a run file listing several pipelines.

Rules:
- Unknown keys are errors; the message names the closest known key. Keys marked *ignored* are accepted (so that a
  file written for the Java runtime works) and produce a warning. Every problem is reported at once, each with its
  key path (`configs.rateLimit`), the value (masked when secret) and what is allowed.
- Required keys must be present; an empty string counts as present (as in the Java connector).
- Numbers and booleans may be written as strings (`"5000"`, `"true"`); enum values are case-sensitive.
- Any string value may contain `${NAME}`: it is replaced by the environment variable NAME (unset is an error;
  `$${` stands for a literal `${`). For `configs.awsCredentialPluginParam` the value `file:/path` stands for the
  file's contents (trailing newlines removed). `pulsar.authParams` keeps `file:/path` (and `env:NAME`) as a
  reference that the token authentication reads each time the broker asks, so a rotated token is picked up; the
  file must be readable at start. Secret values never appear in messages, logs or `validate` output.
- *Ours* marks keys that the Java connector / pulsar-admin do not have.
)";

std::string escape_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += c;
    }
  }
  return out;
}

std::string join_values(const std::vector<std::string_view>& values) {
  std::string out;
  for (std::string_view v : values) out += (out.empty() ? "" : ", ") + fmt::format("`{}`", v);
  return out;
}

std::string type_text(const KeyInfo& info) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  switch (info.type) {
    case KeyType::kString:
      return "string";
    case KeyType::kSecret:
      return "string (secret)";
    case KeyType::kBool:
      return "bool";
    case KeyType::kInt:
    case KeyType::kOptionalInt: {
      std::string t = "int";
      if (info.min != kMin && info.max != kMax) {
        t += fmt::format(", {} to {}", info.min, info.max);
      } else if (info.min != kMin) {
        t += fmt::format(", >= {}", info.min);
      }
      return t;
    }
    case KeyType::kEnum:
      return "one of " + join_values(info.values);
    case KeyType::kStringList:
      return "list of strings";
    case KeyType::kCsv:
      return "comma-separated, of " + join_values(info.values);
    case KeyType::kTimestamp:
      return "time";
    case KeyType::kStringMap:
      return "map of strings";
    case KeyType::kSection:
      return "section";
    case KeyType::kSectionList:
      return "list of sections";
    case KeyType::kAny:
      return "any";
  }
  return "";
}

std::string default_text(const KeyInfo& info) {
  if (info.has(kRequired)) return "required";
  if (!info.overridden_by.empty()) return fmt::format("as `configs.{}`", info.overridden_by);
  if (info.type == KeyType::kSection || info.type == KeyType::kSectionList || info.type == KeyType::kAny) return "";
  if (info.default_text == "null") return "none";
  if (info.default_text.empty()) return (info.type == KeyType::kStringList) ? "`[]`" : "`\"\"`";
  return fmt::format("`{}`", info.default_text);
}

std::string meaning_text(const KeyInfo& info) {
  std::string m(info.doc);
  if (info.has(kOurs)) m = "*Ours.* " + m;
  if (info.has(kIgnored)) m = "*Ignored.* " + m;
  if (info.has(kRejected)) m = "*Rejected.* " + m;
  for (std::string_view alias : info.aliases) m += fmt::format(" Also spelled `{}`.", alias);
  for (const auto& [alias, canonical] : info.value_aliases) {
    m += fmt::format(" `{}` is read as `{}`.", alias, canonical);
  }
  return m;
}

template <typename T>
void render(const Section<T>& section, std::string& out) {
  out += fmt::format("\n## {}\n\n{}\n\n| Key | Type | Default | Meaning |\n|---|---|---|---|\n", section.title,
                     section.intro);
  for (const KeyDef<T>& def : section.keys) {
    const KeyInfo& info = def.info;
    out += fmt::format("| `{}` | {} | {} | {} |\n", info.name, escape_cell(type_text(info)),
                       escape_cell(default_text(info)), escape_cell(meaning_text(info)));
  }
}

}  // namespace

std::string render_markdown() {
  std::string out(kIntro);
  render(sink_file_keys(), out);
  render(sink_configs_keys(), out);
  render(kpl_keys(), out);
  render(source_file_keys(), out);
  render(producer_config_keys(), out);
  render(source_configs_keys(), out);
  render(pulsar_keys(), out);
  render(admin_keys(), out);
  render(log_keys(), out);
  render(run_file_keys(), out);
  return out;
}

}  // namespace pk::config
