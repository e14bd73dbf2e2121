#pragma once
// ListShards as pure functions: one page's request body and response. The client pages through NextToken
// (and restarts the listing when a token expires).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinesis/model.h"

namespace pk::kinesis {

constexpr int kMaxListShardsResults = 10000;

struct ListShardsRequest {
  StreamRef stream;
  // A page token from the previous response. When set, only NextToken and MaxResults are sent: the token
  // names the stream and the filter already (the service refuses StreamName next to it).
  std::string next_token;
  std::optional<int> max_results;  // 1..10000
  std::optional<ShardFilter> filter;
};

Result<std::string> build_list_shards_body(const ListShardsRequest& request);

struct ListShardsPage {
  std::vector<Shard> shards;
  std::string next_token;  // empty on the last page
};
Result<ListShardsPage> parse_list_shards_response(std::string_view body);

}  // namespace pk::kinesis
