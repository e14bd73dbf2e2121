#include "formats/expand_value.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "formats/java_string.h"
#include "formats/json_text.h"

namespace pk::formats {
namespace {

// Nesting depth of a value (a scalar is 0, an object or array one more than its deepest child).
uint32_t depth_of(const ValueTree& t, uint32_t i, uint32_t limit) {
  const ValueTree::Node& n = t.node(i);
  if (n.kind != ValueKind::kObject && n.kind != ValueKind::kArray) return 0;
  if (limit == 0) return 1;  // deep enough to fail; stop looking
  uint32_t deepest = 0;
  for (uint32_t c = n.first; c != ValueTree::kNone; c = t.node(c).next) {
    deepest = std::max(deepest, depth_of(t, c, limit - 1));
  }
  return deepest + 1;
}

// Jackson writes at most 1000 nested levels (StreamWriteConstraints); the record object is the first.
constexpr uint32_t kMaxWriteDepth = 1000;

}  // namespace

Status ExpandValueEncoder::append(const InputMessage& message, std::string& out) {
  tree_.clear();
  auto payload = decode_schema_value(message, tree_, value_scratch_);
  if (!payload.ok()) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("message on {} (published at {}): cannot expand its value: {}", message.topic,
                                  message.publish_time, payload.error().message));
  }
  // (The flattened form goes through a Jackson tree, which has no such limit.)
  if (!options_.flatten && depth_of(tree_, *payload, kMaxWriteDepth) + 1 > kMaxWriteDepth) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("message on {} (published at {}): its value nests deeper than the {} levels Jackson "
                                  "writes",
                                  message.topic, message.publish_time, kMaxWriteDepth - 1));
  }
  // The properties as the message map iterates them, then put into the JsonRecord's own HashMap.
  message_property_order(message, order_, first_order_);
  expand_property_order(message.properties, first_order_, order_, expand_order_);
  if (options_.flatten) {
    append_flat(message, *payload, out);
  } else {
    append_plain(message, *payload, out);
  }
  return ok_status();
}

void ExpandValueEncoder::append_plain(const InputMessage& m, uint32_t payload, std::string& out) {
  const bool all = !options_.include_non_nulls;
  out.append("{\"topicName\":");
  append_jackson_string(m.topic, out);
  if (m.key) {
    out.append(",\"key\":");
    append_jackson_string(*m.key, out);
  } else if (all) {
    out.append(",\"key\":null");
  }
  out.append(",\"payload\":");
  write_jackson(tree_, payload, out);
  if (!expand_order_.empty()) {
    out.append(",\"properties\":{");
    bool first = true;
    for (const auto& e : expand_order_) {
      if (!first) out.push_back(',');
      first = false;
      append_jackson_string(m.properties[e.key].first, out);
      out.push_back(':');
      append_jackson_string(m.properties[e.value].second, out);
    }
    out.push_back('}');
  } else if (all) {
    out.append(",\"properties\":null");
  }
  if (m.event_time != 0) {
    out.append(",\"eventTime\":");
    append_java_long(static_cast<int64_t>(m.event_time), out);
  } else if (all) {
    out.append(",\"eventTime\":null");
  }
  out.push_back('}');
}

void ExpandValueEncoder::append_flat(const InputMessage& m, uint32_t payload, std::string& out) {
  // The JsonRecord as the tree mapper.convertValue makes of it, then flattened.
  const bool all = !options_.include_non_nulls;
  auto text = [&](std::string_view utf8) {
    const size_t start = tree_.text_start();
    append_java_normalized(utf8, tree_.arena());
    const uint32_t i = tree_.add(ValueKind::kString);
    tree_.node(i).text = tree_.text_since(start);
    return i;
  };
  auto member = [&](uint32_t obj, std::string_view key, uint32_t value) {
    tree_.node(value).key = tree_.store(key);
    tree_.push(obj, value);
  };
  const uint32_t record = tree_.add(ValueKind::kObject);
  member(record, "topicName", text(m.topic));
  if (m.key) {
    member(record, "key", text(*m.key));
  } else if (all) {
    member(record, "key", tree_.add(ValueKind::kNull));
  }
  member(record, "payload", payload);
  if (!expand_order_.empty()) {
    const uint32_t props = tree_.add(ValueKind::kObject);
    for (const auto& e : expand_order_) {
      const uint32_t v = text(m.properties[e.value].second);
      const size_t start = tree_.text_start();
      append_java_normalized(m.properties[e.key].first, tree_.arena());
      tree_.node(v).key = tree_.text_since(start);
      tree_.push(props, v);
    }
    member(record, "properties", props);
  } else if (all) {
    member(record, "properties", tree_.add(ValueKind::kNull));
  }
  if (m.event_time != 0) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(m.event_time));
    member(record, "eventTime", tree_.add_text(ValueKind::kInteger, std::string_view(buf, r.ptr - buf)));
  } else if (all) {
    member(record, "eventTime", tree_.add(ValueKind::kNull));
  }
  write_flattened(tree_, record, flatten_, out);
}

}  // namespace pk::formats
