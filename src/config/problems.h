#pragma once
// Problems: what configuration validation found, every one of them, each naming the key path
// ("configs.rateLimit"), the offending value (masked when secret), what is allowed, and the closest known key for a
// typo. Also used for warnings (accepted keys that have no effect here). Plain value type.

#include <string>
#include <string_view>
#include <vector>

namespace pk::config {

struct Problem {
  std::string path;     // "configs.rateLimit", "sinks[1].configs.awsRegion", "" for the file itself
  std::string message;  // what is wrong and what is allowed

  // "<path>: <message>" (just the message when the path is empty).
  std::string to_string() const;
  friend bool operator==(const Problem&, const Problem&) = default;
};

class Problems {
 public:
  void add(std::string path, std::string message) { items_.push_back(Problem{std::move(path), std::move(message)}); }
  void append(const Problems& other) { items_.insert(items_.end(), other.items_.begin(), other.items_.end()); }

  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Problem>& items() const { return items_; }
  // One problem per line.
  std::string to_string() const;

 private:
  std::vector<Problem> items_;
};

// "a.b" from a path and a key; "b" when the path is empty.
std::string join_path(std::string_view path, std::string_view key);

// The candidate closest to `unknown` by edit distance (adjacent swaps count as one edit; a difference of case
// alone counts as one edit for the whole word), when it is close enough to be a plausible typo; else empty.
std::string_view closest_key(std::string_view unknown, const std::vector<std::string_view>& candidates);

}  // namespace pk::config
