#include "config/value_parser.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/text.h"
#include "config/start_at_time.h"

namespace pk::config {
namespace {

constexpr std::string_view kMask = "****";

std::string join(const std::vector<std::string_view>& items) {
  std::string out;
  for (std::string_view item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string range_text(const KeyInfo& info) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (info.min != kMin && info.max != kMax) return fmt::format("{} to {}", info.min, info.max);
  if (info.min != kMin) return fmt::format("at least {}", info.min);
  if (info.max != kMax) return fmt::format("at most {}", info.max);
  return "any whole number";
}

std::optional<std::string> lookup_env(const LoadContext& ctx, const std::string& name) {
  if (ctx.options.env) return ctx.options.env(name);
  const char* v = std::getenv(name.c_str());
  return v == nullptr ? std::nullopt : std::optional<std::string>(v);
}

bool env_name_char(char c, bool first) {
  return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
}

// Replaces each ${NAME} with the variable's value ("$${" stands for a literal "${"). Adds a problem per unset
// variable; returns whether all were set.
bool substitute_env(std::string_view text, std::string& out, const std::string& path, LoadContext& ctx) {
  out.clear();
  bool ok = true;
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") == 0) {
      const size_t close = text.find('}', i + 2);
      const std::string_view name =
          close == std::string_view::npos ? std::string_view() : text.substr(i + 2, close - i - 2);
      bool valid = !name.empty();
      for (size_t k = 0; k < name.size(); ++k) valid = valid && env_name_char(name[k], k == 0);
      if (valid) {
        const auto value = lookup_env(ctx, std::string(name));
        if (value) {
          out += *value;
        } else {
          ctx.problems.add(path, fmt::format("environment variable {} is not set", name));
          ok = false;
        }
        i = close + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return ok;
}

void write_json_string(std::string_view s, std::string& out) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

bool plain_json_literal(std::string_view s) {
  if (s == "true" || s == "false" || s == "null") return true;
  double ignored = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), ignored);
  return ec == std::errc() && end == s.data() + s.size();
}

// A YAML map or list written as JSON text (for JSON-valued keys written as YAML).
void to_json(const YAML::Node& node, std::string& out) {
  if (node.IsMap()) {
    out += '{';
    bool first = true;
    for (const auto& entry : node) {
      if (!first) out += ',';
      first = false;
      write_json_string(entry.first.Scalar(), out);
      out += ':';
      to_json(entry.second, out);
    }
    out += '}';
  } else if (node.IsSequence()) {
    out += '[';
    for (size_t i = 0; i < node.size(); ++i) {
      if (i > 0) out += ',';
      to_json(node[i], out);
    }
    out += ']';
  } else if (node.IsNull()) {
    out += "null";
  } else if (node.Tag() != "!" && plain_json_literal(node.Scalar())) {
    out += node.Scalar();
  } else {
    write_json_string(node.Scalar(), out);
  }
}

std::optional<int64_t> parse_int(std::string_view text) {
  text = trim_whitespace(text);
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::vector<std::string> split_csv(std::string_view text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view item = trim_whitespace(text.substr(start, comma - start));
    if (!item.empty()) items.emplace_back(item);
    start = comma + 1;
  }
  return items;
}

std::optional<ParsedValue> parse_scalar(std::string_view text, const KeyInfo& info, const std::string& path,
                                        LoadContext& ctx, std::string reference) {
  switch (info.type) {
    case KeyType::kString:
    case KeyType::kSecret:
      return ParsedValue{std::string(text), std::move(reference)};
    case KeyType::kBool: {
      const std::string lower = ascii_lower(trim_whitespace(text));
      if (lower == "true" || lower == "false") return ParsedValue{lower == "true", {}};
      ctx.problems.add(path, fmt::format("\"{}\" is not a boolean (allowed: true, false)", text));
      return std::nullopt;
    }
    case KeyType::kInt:
    case KeyType::kOptionalInt: {
      const auto v = parse_int(text);
      if (!v) {
        ctx.problems.add(path, fmt::format("\"{}\" is not a whole number (allowed: {})", text, range_text(info)));
        return std::nullopt;
      }
      if (*v < info.min || *v > info.max) {
        ctx.problems.add(path, fmt::format("{} is out of range (allowed: {})", *v, range_text(info)));
        return std::nullopt;
      }
      return ParsedValue{*v, {}};
    }
    case KeyType::kEnum: {
      for (std::string_view v : info.values) {
        if (v == text) return ParsedValue{std::string(v), {}};
      }
      for (const auto& [alias, canonical] : info.value_aliases) {
        if (alias == text) return ParsedValue{std::string(canonical), {}};
      }
      const std::string_view suggestion = closest_key(text, info.values);
      ctx.problems.add(path,
                       fmt::format("\"{}\" is not allowed (allowed: {}; case-sensitive){}", text, join(info.values),
                                   suggestion.empty() ? "" : fmt::format("; did you mean \"{}\"?", suggestion)));
      return std::nullopt;
    }
    case KeyType::kCsv:
    case KeyType::kStringList: {
      std::vector<std::string> items;
      bool ok = true;
      for (std::string& item : split_csv(text)) {
        if (info.type == KeyType::kCsv &&
            std::find(info.values.begin(), info.values.end(), item) == info.values.end()) {
          const std::string_view suggestion = closest_key(item, info.values);
          ctx.problems.add(path,
                           fmt::format("\"{}\" is not allowed (allowed: {}){}", item, join(info.values),
                                       suggestion.empty() ? "" : fmt::format("; did you mean \"{}\"?", suggestion)));
          ok = false;
        } else if (std::find(items.begin(), items.end(), item) == items.end()) {
          items.push_back(std::move(item));
        }
      }
      if (!ok) return std::nullopt;
      return ParsedValue{std::move(items), {}};
    }
    case KeyType::kTimestamp: {
      auto ms = parse_start_at_time(text);
      if (!ms.ok()) {
        ctx.problems.add(path, ms.error().message);
        return std::nullopt;
      }
      return ParsedValue{*ms, {}};
    }
    default:
      ctx.problems.add(path, "internal: no scalar form for this key");
      return std::nullopt;
  }
}

}  // namespace

std::string_view node_kind(const YAML::Node& node) {
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "null";
  return "a single value";
}

std::string shown(const KeyInfo& info, std::string_view text) {
  if (info.type == KeyType::kSecret) return std::string(kMask);
  return fmt::format("\"{}\"", text);
}

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::kNotFound, fmt::format("cannot read file {}: {}", path, std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return make_error(ErrorCode::kIo, fmt::format("cannot read file {}", path));
  return text.str();
}

std::optional<ParsedValue> parse_value(const YAML::Node& node, const KeyInfo& info, const std::string& path,
                                       LoadContext& ctx) {
  if (node.IsMap() || node.IsSequence()) {
    if (info.has(kJsonText)) {
      std::string json;
      to_json(node, json);
      return ParsedValue{std::move(json), {}};
    }
    if (info.type == KeyType::kStringList && node.IsSequence()) {
      std::vector<std::string> items;
      for (size_t i = 0; i < node.size(); ++i) {
        if (!node[i].IsScalar()) {
          ctx.problems.add(fmt::format("{}[{}]", path, i),
                           fmt::format("expected a string, got {}", node_kind(node[i])));
          return std::nullopt;
        }
        std::string item;
        if (!substitute_env(node[i].Scalar(), item, path, ctx)) return std::nullopt;
        items.push_back(std::move(item));
      }
      return ParsedValue{std::move(items), {}};
    }
    if (info.type == KeyType::kStringMap && node.IsMap()) {
      StringPairs pairs;
      for (const auto& entry : node) {
        const std::string key = entry.first.Scalar();
        if (!entry.second.IsScalar() && !entry.second.IsNull()) {
          ctx.problems.add(join_path(path, key), fmt::format("expected a string, got {}", node_kind(entry.second)));
          return std::nullopt;
        }
        std::string value;
        if (!substitute_env(entry.second.IsNull() ? "" : entry.second.Scalar(), value, join_path(path, key), ctx)) {
          return std::nullopt;
        }
        pairs.emplace_back(key, std::move(value));
      }
      return ParsedValue{std::move(pairs), {}};
    }
    ctx.problems.add(
        path, fmt::format("expected {}, got {}",
                          info.type == KeyType::kStringList ? "a list of strings" : "a single value", node_kind(node)));
    return std::nullopt;
  }
  const std::string& raw = node.Scalar();
  std::string text;
  if (!substitute_env(raw, text, path, ctx)) return std::nullopt;
  std::string reference;
  if (info.type == KeyType::kSecret) {
    if (text != raw) reference = raw;
    if (info.has(kFileContents) && text.starts_with("file:")) {
      const std::string file = text.substr(5);
      auto contents = read_text_file(file);
      if (!contents.ok()) {
        ctx.problems.add(path, contents.error().message);
        return std::nullopt;
      }
      reference = text;
      std::string value = std::move(*contents);
      while (!value.empty() && (value.back() == '\n' || value.back() == '\r' || value.back() == ' ')) value.pop_back();
      return ParsedValue{std::move(value), std::move(reference)};
    }
  }
  return parse_scalar(text, info, path, ctx, std::move(reference));
}

ParsedValue default_value(const KeyInfo& info) {
  if (info.default_text == "null") return ParsedValue{};
  Problems problems;
  Problems warnings;
  const LoadOptions options;
  LoadContext ctx{problems, warnings, options};
  auto v = parse_scalar(info.default_text, info, std::string(info.name), ctx, {});
  return v ? std::move(*v) : ParsedValue{};
}

}  // namespace pk::config
