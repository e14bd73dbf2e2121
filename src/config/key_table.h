#pragma once
// The configuration key table: for every key of every section, its name (and other accepted spellings), type,
// default, bounds, allowed values, flags and documentation, and how it is stored into the typed structs of
// model.h. Everything else derives from it: parsing and validation (loader.cc), defaults, the effective-config dump
// (effective.cc) and docs/configuration.md (docs.cc). The tables themselves are in keys_*.cc.

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "config/model.h"

namespace pk::config {

enum class KeyType {
  kString,
  kSecret,       // a string that is never printed; `${NAME}` and `file:/path` references resolved (see docs)
  kBool,         // true / false (also as strings, any case)
  kInt,          // a whole number (also as a string) within [min, max]
  kOptionalInt,  // kInt that may be absent / null
  kEnum,         // one of `values` (case-sensitive), or a value alias
  kStringList,   // a YAML/JSON list of strings (a comma-separated string is accepted too)
  kCsv,          // a comma-separated string whose items are each one of `values`
  kTimestamp,    // epoch ms, ISO-8601 or RFC-1123 (start_at_time.h), stored as epoch ms
  kStringMap,    // a map of strings (stored as written)
  kSection,      // a nested section with its own table (handled by the loader)
  kSectionList,  // a list of sections (run files: sinks, sources)
  kAny,          // accepted as is and ignored (Java-runtime-only fields)
};

enum KeyFlag : uint32_t {
  kRequired = 1u << 0,      // must be present (an empty string counts as present, as in the Java connector)
  kOurs = 1u << 1,          // not in the Java connector / pulsar-admin: ours (marked in the docs)
  kIgnored = 1u << 2,       // accepted for compatibility, no effect here: a warning says so
  kQuiet = 1u << 3,         // with kIgnored: no warning (harmless leftovers such as client.conf's webServiceUrl)
  kJsonText = 1u << 4,      // a map or list written in YAML is accepted and turned into JSON text
  kRejected = 1u << 5,      // recognised but not supported: an error says why
  kFileContents = 1u << 6,  // kSecret: `file:/path` stands for the file's contents (else it stays a reference)
  kFolded = 1u << 7,        // folded into another key after loading: not shown in the effective configuration
};

using StringPairs = std::vector<std::pair<std::string, std::string>>;
using Value = std::variant<std::monostate, bool, int64_t, std::string, std::vector<std::string>, StringPairs>;

// A value ready to store: what it is, and for secrets where it came from.
struct ParsedValue {
  Value value;
  std::string reference;  // "${NAME}" or "file:/path" for a secret given by reference
};

struct KeyInfo {
  std::string_view name;
  KeyType type = KeyType::kString;
  std::string_view default_text;  // parsed like a value from the file; "" for an empty string, "null" for none
  std::string_view doc;
  uint32_t flags = 0;
  std::vector<std::string_view> values;  // kEnum: the names in the C++ enum's order; kCsv: the allowed items
  int64_t min = std::numeric_limits<int64_t>::min();
  int64_t max = std::numeric_limits<int64_t>::max();
  std::vector<std::string_view> aliases;  // other spellings of the key (client.conf's, the KPL properties file's)
  std::vector<std::pair<std::string_view, std::string_view>> value_aliases;  // {alias, canonical value}
  std::string_view overridden_by;  // KPL settings: the sink key that wins when both are set
  std::string_view quiet_value;    // kIgnored: this value warns nothing (metricsLevel "none": nothing uploaded)

  bool has(KeyFlag flag) const { return (flags & flag) != 0; }
};

// One key of a section whose values are stored in a `T`. `assign`/`read` are null for keys that store nothing
// (sections handled by the loader, ignored keys).
template <typename T>
struct KeyDef {
  KeyInfo info;
  void (*assign)(T&, const KeyInfo&, const ParsedValue&) = nullptr;
  ParsedValue (*read)(const T&, const KeyInfo&) = nullptr;
};

// A named table of keys: what the docs list as one section.
template <typename T>
struct Section {
  std::string_view title;  // docs heading, e.g. "Sink `configs`"
  std::string_view intro;  // docs paragraph
  std::span<const KeyDef<T>> keys;
};

namespace binding {

template <typename C, typename F>
C class_of(F C::*);
template <typename C, typename F>
F field_of(F C::*);

template <typename F>
struct is_optional_enum : std::false_type {};
template <typename E>
struct is_optional_enum<std::optional<E>> : std::is_enum<E> {};

template <typename F>
void store(F& field, const KeyInfo& info, const ParsedValue& v) {
  if constexpr (std::is_same_v<F, Secret>) {
    field.value = std::get<std::string>(v.value);
    field.reference = v.reference;
  } else if constexpr (std::is_same_v<F, std::optional<int64_t>>) {
    if (std::holds_alternative<int64_t>(v.value)) {
      field = std::get<int64_t>(v.value);
    } else {
      field.reset();
    }
  } else if constexpr (std::is_enum_v<F>) {
    const auto& name = std::get<std::string>(v.value);
    for (size_t i = 0; i < info.values.size(); ++i) {
      if (info.values[i] == name) field = static_cast<F>(i);
    }
  } else if constexpr (is_optional_enum<F>::value) {
    if (std::holds_alternative<std::string>(v.value)) {
      typename F::value_type e{};
      store(e, info, v);
      field = e;
    } else {
      field.reset();
    }
  } else {
    field = std::get<F>(v.value);
  }
}

template <typename F>
ParsedValue load(const F& field, const KeyInfo& info) {
  if constexpr (std::is_same_v<F, Secret>) {
    return ParsedValue{field.value, field.reference};
  } else if constexpr (std::is_same_v<F, std::optional<int64_t>>) {
    return ParsedValue{field ? Value(*field) : Value(std::monostate{}), {}};
  } else if constexpr (std::is_enum_v<F>) {
    const auto index = static_cast<size_t>(field);
    return ParsedValue{index < info.values.size() ? std::string(info.values[index]) : std::string(), {}};
  } else if constexpr (is_optional_enum<F>::value) {
    return field ? load(*field, info) : ParsedValue{};
  } else {
    return ParsedValue{field, {}};
  }
}

}  // namespace binding

// A key stored in member `Member` of its section struct.
template <auto Member>
auto bound(KeyInfo info) {
  using T = decltype(binding::class_of(Member));
  return KeyDef<T>{std::move(info),
                   [](T& target, const KeyInfo& i, const ParsedValue& v) { binding::store(target.*Member, i, v); },
                   [](const T& target, const KeyInfo& i) { return binding::load(target.*Member, i); }};
}

// A key stored in member `Inner` of member `Outer` of its section struct (SinkSpec::common.tenant).
template <auto Outer, auto Inner>
auto bound_in(KeyInfo info) {
  using T = decltype(binding::class_of(Outer));
  return KeyDef<T>{
      std::move(info),
      [](T& target, const KeyInfo& i, const ParsedValue& v) { binding::store((target.*Outer).*Inner, i, v); },
      [](const T& target, const KeyInfo& i) { return binding::load((target.*Outer).*Inner, i); }};
}

// bound<M> or bound_in<Outer, Inner>, by the length of the member path.
template <auto... Path>
auto bound_path(KeyInfo info) {
  if constexpr (sizeof...(Path) == 1) {
    return bound<Path...>(std::move(info));
  } else {
    return bound_in<Path...>(std::move(info));
  }
}

// A key that stores nothing (a nested section, or accepted and ignored).
template <typename T>
KeyDef<T> unbound(KeyInfo info) {
  return KeyDef<T>{std::move(info), nullptr, nullptr};
}

// ---- the tables (keys_*.cc) ----
const Section<SinkSpec>& sink_file_keys();
const Section<SourceSpec>& source_file_keys();
const Section<SinkConfigs>& sink_configs_keys();
const Section<SinkConfigs>& kpl_keys();  // configs.extraKinesisProducerConfig
const Section<SourceConfigs>& source_configs_keys();
const Section<ProducerConfig>& producer_config_keys();
const Section<PulsarClientConfig>& pulsar_keys();
const Section<AdminConfig>& admin_keys();
const Section<LogConfig>& log_keys();
const Section<RunSpec>& run_file_keys();

// The credential plugins of connector-compat section 6 (and their old org.apache.pulsar.io.kinesis.* aliases).
inline constexpr std::string_view kDefaultChainPlugin = "org.apache.pulsar.io.aws.AwsDefaultProviderChainPlugin";
inline constexpr std::string_view kStsAssumeRolePlugin = "org.apache.pulsar.io.aws.STSAssumeRoleProviderPlugin";
std::vector<std::string_view> credential_plugin_names();

}  // namespace pk::config
