#include "config/effective.h"

#include <fmt/format.h>

#include "config/key_table.h"
#include "config/start_at_time.h"

namespace pk::config {
namespace {

// An ordered tree of what to print.
struct Out {
  enum class Kind { kScalar, kMap, kList } kind = Kind::kMap;
  std::string text;  // scalars: already in JSON form ("\"x\"", "12", "true", "null")
  std::string comment;
  std::vector<std::pair<std::string, Out>> entries;
  std::vector<Out> items;

  static Out scalar(std::string text, std::string comment = {}) {
    Out o;
    o.kind = Kind::kScalar;
    o.text = std::move(text);
    o.comment = std::move(comment);
    return o;
  }
  Out& add(std::string key, Out value) {
    entries.emplace_back(std::move(key), std::move(value));
    return entries.back().second;
  }
};

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

Out from_value(const KeyInfo& info, const ParsedValue& v) {
  if (info.type == KeyType::kSecret) {
    const std::string& value = std::get<std::string>(v.value);
    if (!v.reference.empty()) return Out::scalar(quoted("****"), "secret, from " + v.reference);
    return Out::scalar(quoted(value.empty() ? "" : "****"), value.empty() ? "" : "secret");
  }
  return std::visit(
      [&](const auto& x) -> Out {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, std::monostate>) {
          return Out::scalar("null");
        } else if constexpr (std::is_same_v<X, bool>) {
          return Out::scalar(x ? "true" : "false");
        } else if constexpr (std::is_same_v<X, int64_t>) {
          if (info.type == KeyType::kTimestamp) return Out::scalar(quoted(format_epoch_ms(x)));
          return Out::scalar(std::to_string(x));
        } else if constexpr (std::is_same_v<X, std::string>) {
          return Out::scalar(quoted(x));
        } else if constexpr (std::is_same_v<X, std::vector<std::string>>) {
          if (info.type == KeyType::kCsv) {  // written back as the csv the key takes
            std::string csv;
            for (const auto& item : x) csv += (csv.empty() ? "" : ",") + item;
            return Out::scalar(quoted(csv));
          }
          Out list;
          list.kind = Out::Kind::kList;
          for (const auto& item : x) list.items.push_back(Out::scalar(quoted(item)));
          return list;
        } else {
          Out map;
          for (const auto& [k, val] : x) map.add(k, Out::scalar(quoted(val)));
          return map;
        }
      },
      v.value);
}

// The stored keys of a section, in table order; `nested` fills in its sections.
template <typename T, typename Nested>
Out section_out(const Section<T>& section, const T& target, Nested nested) {
  Out out;
  for (const KeyDef<T>& def : section.keys) {
    if (def.info.type == KeyType::kSection) {
      nested(def.info.name, out);
    } else if (def.read != nullptr && !def.info.has(kIgnored) && !def.info.has(kFolded) &&
               def.info.overridden_by.empty()) {
      out.add(std::string(def.info.name), from_value(def.info, def.read(target, def.info)));
    }
  }
  return out;
}

template <typename T>
Out plain_section(const Section<T>& section, const T& target) {
  return section_out(section, target, [](std::string_view, Out&) {});
}

Out sink_out(const SinkSpec& sink) {
  return section_out(sink_file_keys(), sink, [&](std::string_view name, Out& out) {
    if (name == "configs") {
      out.add("configs", section_out(sink_configs_keys(), sink.configs, [&](std::string_view inner, Out& configs) {
                if (inner == "extraKinesisProducerConfig") {
                  configs.add("extraKinesisProducerConfig", plain_section(kpl_keys(), sink.configs));
                }
              }));
    } else if (name == "pulsar") {
      out.add("pulsar", plain_section(pulsar_keys(), sink.pulsar));
    }
  });
}

Out source_out(const SourceSpec& source) {
  return section_out(source_file_keys(), source, [&](std::string_view name, Out& out) {
    if (name == "configs") {
      out.add("configs", plain_section(source_configs_keys(), source.configs));
    } else if (name == "producerConfig") {
      out.add("producerConfig", plain_section(producer_config_keys(), source.producer_config));
    } else if (name == "pulsar") {
      out.add("pulsar", plain_section(pulsar_keys(), source.pulsar));
    }
  });
}

std::string key_text(const std::string& key) {
  for (char c : key) {
    const bool plain =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!plain) return quoted(key);
  }
  return key;
}

void write_yaml(const Out& node, int indent, std::string& out);

// A map entry or list item's value after "key:" / "-".
void write_yaml_value(const Out& value, int indent, std::string& out) {
  if (value.kind == Out::Kind::kScalar) {
    out += ' ' + value.text;
    if (!value.comment.empty()) out += "  # " + value.comment;
    out += '\n';
  } else if ((value.kind == Out::Kind::kMap && value.entries.empty()) ||
             (value.kind == Out::Kind::kList && value.items.empty())) {
    out += value.kind == Out::Kind::kMap ? " {}\n" : " []\n";
  } else {
    out += '\n';
    write_yaml(value, indent + 2, out);
  }
}

void write_yaml(const Out& node, int indent, std::string& out) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  if (node.kind == Out::Kind::kMap) {
    for (const auto& [key, value] : node.entries) {
      out += pad + key_text(key) + ':';
      write_yaml_value(value, indent, out);
    }
  } else {
    for (const Out& item : node.items) {
      if (item.kind == Out::Kind::kMap && !item.entries.empty()) {
        // "- first: v" then the other keys aligned under it.
        std::string block;
        write_yaml(item, indent + 2, block);
        out += pad + "- " + block.substr(static_cast<size_t>(indent) + 2);
      } else {
        out += pad + '-';
        write_yaml_value(item, indent, out);
      }
    }
  }
}

void write_json(const Out& node, int indent, std::string& out) {
  const std::string pad(static_cast<size_t>(indent + 2), ' ');
  if (node.kind == Out::Kind::kScalar) {
    out += node.text;
  } else if (node.kind == Out::Kind::kMap) {
    if (node.entries.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    for (size_t i = 0; i < node.entries.size(); ++i) {
      out += pad + quoted(node.entries[i].first) + ": ";
      write_json(node.entries[i].second, indent + 2, out);
      out += i + 1 < node.entries.size() ? ",\n" : "\n";
    }
    out += std::string(static_cast<size_t>(indent), ' ') + "}";
  } else {
    if (node.items.empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (size_t i = 0; i < node.items.size(); ++i) {
      out += pad;
      write_json(node.items[i], indent + 2, out);
      out += i + 1 < node.items.size() ? ",\n" : "\n";
    }
    out += std::string(static_cast<size_t>(indent), ' ') + "]";
  }
}

}  // namespace

std::string effective_config_text(const RunSpec& run, OutputFormat format) {
  Out root;
  root.add("admin", plain_section(admin_keys(), run.daemon.admin));
  root.add("log", plain_section(log_keys(), run.daemon.log));
  Out& sinks = root.add("sinks", Out{});
  sinks.kind = Out::Kind::kList;
  for (const SinkSpec& sink : run.sinks) sinks.items.push_back(sink_out(sink));
  Out& sources = root.add("sources", Out{});
  sources.kind = Out::Kind::kList;
  for (const SourceSpec& source : run.sources) sources.items.push_back(source_out(source));
  std::string out;
  if (format == OutputFormat::kJson) {
    write_json(root, 0, out);
    out += '\n';
  } else {
    out = "# Effective configuration (defaults filled in; secrets masked)\n";
    write_yaml(root, 0, out);
  }
  return out;
}

}  // namespace pk::config
