#pragma once
// Topic names as the broker knows them. Accepts the short forms users write and expands them like the official
// clients: `my-topic` -> `persistent://public/default/my-topic`, `tenant/ns/my-topic` ->
// `persistent://tenant/ns/my-topic`; full names `persistent://tenant/ns/x` and `non-persistent://...`; the legacy
// four-part form `persistent://tenant/cluster/ns/x`. A local name ending in `-partition-<N>` names partition N of a
// partitioned topic. Pure value type; no I/O.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pk::pulsar {

class TopicName {
 public:
  // Errors (kInvalidArgument) name the topic and the offending part.
  static Result<TopicName> parse(std::string_view name);

  // "persistent://tenant/ns/local"
  const std::string& full() const { return full_; }
  bool persistent() const { return persistent_; }
  const std::string& tenant() const { return tenant_; }
  // "tenant/ns" (or "tenant/cluster/ns" for legacy names).
  const std::string& namespace_name() const { return namespace_; }
  const std::string& local() const { return local_; }
  // The partition index, -1 when this is not a partition name.
  int partition() const { return partition_; }
  bool is_partition() const { return partition_ >= 0; }

  // The name of partition `i` of this topic ("...-partition-3").
  std::string partition_name(int i) const;
  // Without the "-partition-N" suffix: the partitioned topic this partition belongs to (itself otherwise).
  std::string base_name() const;

  friend bool operator==(const TopicName& a, const TopicName& b) { return a.full_ == b.full_; }

 private:
  std::string full_;
  std::string tenant_;
  std::string namespace_;
  std::string local_;
  bool persistent_ = true;
  int partition_ = -1;
};

inline constexpr std::string_view kPartitionSuffix = "-partition-";

// "-partition-N" at the end of `name` -> N, else -1.
int partition_index_of(std::string_view name);

}  // namespace pk::pulsar
