#include "kinesis/list_shards_codec.h"

#include <fmt/format.h>

#include "aws/json_text.h"
#include "kinesis/json_fields.h"
#include "kinesis/record_json.h"
#include "kinesis/request_json.h"

namespace pk::kinesis {
namespace {

constexpr std::string_view kOp = "ListShards";

Status write_filter(JsonWriter& w, const ShardFilter& filter) {
  w.begin_object("ShardFilter").string("Type", to_string(filter.type));
  switch (filter.type) {
    case ShardFilterType::kAfterShardId:
      if (filter.shard_id.empty()) {
        return make_error(ErrorCode::kInvalidArgument, "ListShards: ShardFilter AFTER_SHARD_ID needs a ShardId");
      }
      w.string("ShardId", filter.shard_id.str());
      break;
    case ShardFilterType::kAtTimestamp:
    case ShardFilterType::kFromTimestamp:
      w.number_text("Timestamp", epoch_seconds_text(filter.timestamp));
      break;
    case ShardFilterType::kAtLatest:
    case ShardFilterType::kAtTrimHorizon:
    case ShardFilterType::kFromTrimHorizon:
      break;
  }
  w.end_object();
  return ok_status();
}

Status read_sequence_range(json::value v, SequenceNumberRange& range) {
  bool has_start = false;
  PK_TRY(json::for_each_member(v, "SequenceNumberRange", [&](std::string_view key, json::value f) -> Status {
    if (key == "StartingSequenceNumber") {
      PK_ASSIGN_OR_RETURN(range.starting, json::required_sequence_number(f, "StartingSequenceNumber"));
      has_start = true;
    } else if (key == "EndingSequenceNumber") {
      PK_ASSIGN_OR_RETURN(range.ending, json::optional_sequence_number(f, "EndingSequenceNumber"));
    }
    return ok_status();
  }));
  return json::require(has_start, "StartingSequenceNumber");
}

Status read_shard(json::value v, Shard& shard) {
  bool has_hash_range = false;
  bool has_sequence_range = false;
  PK_TRY(json::for_each_member(v, "shard", [&](std::string_view key, json::value f) -> Status {
    if (key == "ShardId") {
      PK_ASSIGN_OR_RETURN(auto id, json::required_string(f, "ShardId"));
      shard.shard_id = ShardId(std::move(id));
    } else if (key == "ParentShardId" || key == "AdjacentParentShardId") {
      PK_ASSIGN_OR_RETURN(auto id, json::get_string(f, key));
      auto& target = key == "ParentShardId" ? shard.parent_shard_id : shard.adjacent_parent_shard_id;
      if (id) target = ShardId(*id);
    } else if (key == "HashKeyRange") {
      PK_ASSIGN_OR_RETURN(shard.hash_key_range, json::read_hash_key_range(f, "HashKeyRange"));
      has_hash_range = true;
    } else if (key == "SequenceNumberRange") {
      Status s = read_sequence_range(f, shard.sequence_number_range);
      if (!s.ok()) return json::in_field(std::move(s).error(), "SequenceNumberRange");
      has_sequence_range = true;
    }
    return ok_status();
  }));
  PK_TRY(json::require(!shard.shard_id.empty(), "ShardId"));
  PK_TRY(json::require(has_hash_range, "HashKeyRange"));
  return json::require(has_sequence_range, "SequenceNumberRange");
}

}  // namespace

Result<std::string> build_list_shards_body(const ListShardsRequest& request) {
  if (request.max_results && (*request.max_results < 1 || *request.max_results > kMaxListShardsResults)) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("ListShards: MaxResults: {} is outside 1..{}",
                                                               *request.max_results, kMaxListShardsResults));
  }
  JsonWriter w(kOp);
  if (!request.next_token.empty()) {
    w.string("NextToken", request.next_token);
  } else {
    PK_TRY(write_stream(w, kOp, request.stream));
    if (request.filter) PK_TRY(write_filter(w, *request.filter));
  }
  if (request.max_results) w.integer("MaxResults", *request.max_results);
  return std::move(w).finish();
}

Result<ListShardsPage> parse_list_shards_response(std::string_view body) {
  ListShardsPage page;
  PK_TRY(json::parse_object(body, "ListShards response", [&](std::string_view key, json::value v) -> Status {
    if (key == "Shards") {
      return json::for_each_element(v, "Shards", [&](size_t index, json::value element) -> Status {
        Status s = read_shard(element, page.shards.emplace_back());
        if (!s.ok()) return json::in_element(std::move(s).error(), "Shards", index);
        return ok_status();
      });
    }
    if (key == "NextToken") {
      PK_ASSIGN_OR_RETURN(auto token, json::get_string(v, "NextToken"));
      if (token) page.next_token.assign(*token);
    }
    return ok_status();
  }));
  return page;
}

}  // namespace pk::kinesis
