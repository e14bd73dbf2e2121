#include "pulsar/client/topic_name.h"

#include <charconv>
#include <vector>

#include <fmt/format.h>

namespace pk::pulsar {
namespace {

Error bad_topic(std::string_view name, std::string_view why) {
  return make_error(ErrorCode::kInvalidArgument, fmt::format("topic name '{}': {}", name, why));
}

std::vector<std::string_view> split(std::string_view s, char sep, size_t max_parts) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (parts.size() + 1 < max_parts) {
    const auto pos = s.find(sep, start);
    if (pos == std::string_view::npos) break;
    parts.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
  parts.push_back(s.substr(start));
  return parts;
}

// Tenants, clusters and namespaces: the characters the broker's NamedEntity accepts.
Status check_entity(std::string_view topic, std::string_view what, std::string_view value) {
  if (value.empty()) return bad_topic(topic, fmt::format("empty {}", what));
  for (char c : value) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '=' || c == ':' || c == '.';
    if (!ok) return bad_topic(topic, fmt::format("bad character '{}' in {} '{}'", c, what, value));
  }
  return ok_status();
}

}  // namespace

int partition_index_of(std::string_view name) {
  const auto pos = name.rfind(kPartitionSuffix);
  if (pos == std::string_view::npos) return -1;
  const auto digits = name.substr(pos + kPartitionSuffix.size());
  if (digits.empty()) return -1;
  int value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size() || value < 0) return -1;
  return value;
}

Result<TopicName> TopicName::parse(std::string_view name) {
  if (name.empty()) return bad_topic(name, "empty");
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return bad_topic(name, "contains a control character");
  }
  TopicName t;
  std::string_view rest;
  const auto sep = name.find("://");
  if (sep == std::string_view::npos) {
    // Short forms: "local" or "tenant/ns/local".
    const auto parts = split(name, '/', 3);
    if (parts.size() == 1) {
      rest = {};
      t.tenant_ = "public";
      t.namespace_ = "public/default";
      t.local_ = std::string(name);
    } else if (parts.size() == 3 && parts[2].find('/') == std::string_view::npos) {
      PK_TRY(check_entity(name, "tenant", parts[0]));
      PK_TRY(check_entity(name, "namespace", parts[1]));
      t.tenant_ = std::string(parts[0]);
      t.namespace_ = fmt::format("{}/{}", parts[0], parts[1]);
      t.local_ = std::string(parts[2]);
    } else {
      return bad_topic(name, "a short name is either 'topic' or 'tenant/namespace/topic'");
    }
  } else {
    const auto domain = name.substr(0, sep);
    if (domain == "persistent") {
      t.persistent_ = true;
    } else if (domain == "non-persistent") {
      t.persistent_ = false;
    } else {
      return bad_topic(name, fmt::format("unknown domain '{}' (expected persistent or non-persistent)", domain));
    }
    rest = name.substr(sep + 3);
    const auto parts = split(rest, '/', 4);
    if (parts.size() == 3) {
      PK_TRY(check_entity(name, "tenant", parts[0]));
      PK_TRY(check_entity(name, "namespace", parts[1]));
      t.tenant_ = std::string(parts[0]);
      t.namespace_ = fmt::format("{}/{}", parts[0], parts[1]);
      t.local_ = std::string(parts[2]);
    } else if (parts.size() == 4) {  // legacy tenant/cluster/namespace/local
      PK_TRY(check_entity(name, "tenant", parts[0]));
      PK_TRY(check_entity(name, "cluster", parts[1]));
      PK_TRY(check_entity(name, "namespace", parts[2]));
      t.tenant_ = std::string(parts[0]);
      t.namespace_ = fmt::format("{}/{}/{}", parts[0], parts[1], parts[2]);
      t.local_ = std::string(parts[3]);
    } else {
      return bad_topic(name, "expected <domain>://<tenant>/<namespace>/<topic>");
    }
  }
  if (t.local_.empty()) return bad_topic(name, "empty topic part");
  t.full_ = fmt::format("{}://{}/{}", t.persistent_ ? "persistent" : "non-persistent", t.namespace_, t.local_);
  t.partition_ = partition_index_of(t.local_);
  return t;
}

std::string TopicName::partition_name(int i) const {
  return fmt::format("{}{}{}", base_name(), kPartitionSuffix, i);
}

std::string TopicName::base_name() const {
  if (partition_ < 0) return full_;
  return full_.substr(0, full_.rfind(kPartitionSuffix));
}

}  // namespace pk::pulsar
