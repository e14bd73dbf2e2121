#include "config/section_loader.h"

namespace pk::config {

void add_unknown_key(const std::string& path, std::string_view key, const std::vector<std::string_view>& known,
                     LoadContext& ctx) {
  const std::string_view suggestion = closest_key(key, known);
  if (suggestion.empty()) {
    ctx.problems.add(path, "unknown key (docs/configuration.md lists the keys of each section)");
  } else {
    ctx.problems.add(path, fmt::format("unknown key; did you mean \"{}\"?", suggestion));
  }
}

void warn_ignored(const std::string& path, const KeyInfo& info, const YAML::Node& value, LoadContext& ctx) {
  if (info.has(kQuiet)) return;
  if (!info.quiet_value.empty() && value.IsScalar() && value.Scalar() == info.quiet_value) return;
  ctx.warnings.add(path, fmt::format("accepted and ignored: {}", info.doc));
}

void add_missing(const std::string& path, const KeyInfo& info, LoadContext& ctx) {
  if (info.type == KeyType::kSecret) {
    ctx.problems.add(path, "required key is missing (when the credential plugin needs no parameter, write \"\")");
  } else {
    ctx.problems.add(path, "required key is missing");
  }
}

}  // namespace pk::config
