#pragma once
// Loading one section (a YAML/JSON map) against its key table into its struct: unknown keys (with the closest
// known one), duplicates, required keys, ignored and rejected keys, values (value_parser.h) and defaults. Internal
// to the config module; the file kinds are in loader.cc.

#include <map>
#include <set>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/key_table.h"
#include "config/value_parser.h"

namespace pk::config {

// What a section held besides the values stored: which keys were given, and the nested sections' nodes.
struct SectionContents {
  std::set<std::string, std::less<>> present;                  // canonical names of the keys given (not null)
  std::map<std::string, YAML::Node, std::less<>> sections;     // nested sections by canonical name
  std::map<std::string, std::string, std::less<>> written_as;  // canonical name -> the spelling used
  std::set<std::string, std::less<>> failed;                   // given, but with a bad value (a problem said so)

  bool has(std::string_view name) const { return present.count(name) != 0; }
  bool has_failed(std::string_view name) const { return failed.count(name) != 0; }
  // The path of a key of this section as the user wrote it.
  std::string path_of(std::string_view section_path, std::string_view name) const {
    const auto it = written_as.find(name);
    return join_path(section_path, it == written_as.end() ? name : std::string_view(it->second));
  }
};

template <typename T>
const KeyDef<T>* find_key(const Section<T>& section, std::string_view name) {
  for (const KeyDef<T>& def : section.keys) {
    if (def.info.name == name) return &def;
    for (std::string_view alias : def.info.aliases) {
      if (alias == name) return &def;
    }
  }
  return nullptr;
}

template <typename T>
std::vector<std::string_view> key_names(const Section<T>& section) {
  std::vector<std::string_view> names;
  for (const KeyDef<T>& def : section.keys) names.push_back(def.info.name);
  return names;
}

void add_unknown_key(const std::string& path, std::string_view key, const std::vector<std::string_view>& known,
                     LoadContext& ctx);
void warn_ignored(const std::string& path, const KeyInfo& info, const YAML::Node& value, LoadContext& ctx);
void add_missing(const std::string& path, const KeyInfo& info, LoadContext& ctx);

// Loads `node` (a map, or null for an absent section) into `target`. With `apply_defaults`, keys not given take
// their default (except KPL settings shared with a sink key: those keep what the sink key set).
template <typename T>
SectionContents load_section(const YAML::Node& node, const std::string& path, const Section<T>& section, T& target,
                             LoadContext& ctx, bool apply_defaults = true) {
  SectionContents out;
  std::set<std::string, std::less<>> seen;
  if (node && !node.IsNull() && !node.IsMap()) {
    ctx.problems.add(path, fmt::format("expected a map of keys, got {}", node_kind(node)));
  } else if (node && node.IsMap()) {
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) {
        ctx.problems.add(path, "a key must be a string");
        continue;
      }
      const std::string key = entry.first.Scalar();
      const std::string key_path = join_path(path, key);
      const KeyDef<T>* def = find_key(section, key);
      if (def == nullptr) {
        add_unknown_key(key_path, key, key_names(section), ctx);
        continue;
      }
      const KeyInfo& info = def->info;
      if (!seen.insert(std::string(info.name)).second) {
        ctx.problems.add(key_path, "given more than once");
        continue;
      }
      out.written_as.emplace(std::string(info.name), key);
      const YAML::Node& value = entry.second;
      if (info.type == KeyType::kSection || info.type == KeyType::kSectionList) {
        out.sections.emplace(std::string(info.name), value);
        if (!value.IsNull()) out.present.insert(std::string(info.name));
        continue;
      }
      if (info.has(kRejected)) {
        ctx.problems.add(key_path, std::string(info.doc));
        continue;
      }
      if (value.IsNull()) {
        if (info.has(kRequired)) ctx.problems.add(key_path, "cannot be null (required)");
        continue;
      }
      if (info.has(kIgnored)) warn_ignored(key_path, info, value, ctx);
      if (info.type == KeyType::kAny) continue;
      auto parsed = parse_value(value, info, key_path, ctx);
      if (!parsed) {
        out.failed.insert(std::string(info.name));
        continue;
      }
      out.present.insert(std::string(info.name));
      if (def->assign != nullptr) def->assign(target, info, *parsed);
    }
  }
  for (const KeyDef<T>& def : section.keys) {
    if (out.present.count(def.info.name) != 0) continue;
    if (def.info.has(kRequired) && seen.count(def.info.name) == 0) {
      add_missing(join_path(path, def.info.name), def.info, ctx);
    }
    if (apply_defaults && def.assign != nullptr && def.info.overridden_by.empty()) {
      def.assign(target, def.info, default_value(def.info));
    }
  }
  return out;
}

}  // namespace pk::config
