#include "kinesis_api.h"

#include <charconv>

#include <fmt/format.h>

#include "common/base64.h"
#include "kinesis/hash_key.h"

namespace pk::bench {

using kinesis::HashKey;

namespace {

constexpr int64_t kConsumerCreated = 1700000000;
// AWS answers at most 10 MiB of data per GetRecords call: about this much JSON (base64 makes 4 bytes of 3).
constexpr size_t kGetRecordsJsonBytes = (10 << 20) / 3 * 4;

http::Response json_answer(std::string body) {
  http::Response r;
  r.status = 200;
  r.headers.push_back({"Content-Type", "application/x-amz-json-1.1"});
  r.body = std::move(body);
  return r;
}

}  // namespace

std::string_view field_string(simdjson::dom::element object, std::string_view key) {
  std::string_view value;
  if (object[key].get_string().get(value) != simdjson::SUCCESS) return {};
  return value;
}

double field_number(simdjson::dom::element object, std::string_view key) {
  double value = 0;
  if (object[key].get_double().get(value) != simdjson::SUCCESS) return 0;
  return value;
}

http::Response aws_error(std::string_view type, std::string_view message) {
  http::Response r;
  r.status = 400;
  r.headers.push_back({"Content-Type", "application/x-amz-json-1.1"});
  r.headers.push_back({"x-amzn-ErrorType", std::string(type)});
  r.body = fmt::format(R"({{"__type":"{}","message":"{}"}})", type, message);
  return r;
}

KinesisApi::KinesisApi(std::string stream, ShardStore& store)
    : stream_(std::move(stream)),
      stream_arn_("arn:aws:kinesis:us-east-1:000000000000:stream/" + stream_),
      store_(store) {}

bool KinesisApi::has_consumer(std::string_view arn) const {
  for (const auto& [name, consumer_arn] : consumers_) {
    if (consumer_arn == arn) return true;
  }
  return false;
}

http::Response KinesisApi::handle(const http::Request& request) {
  if (request.method == "GET") return json_answer(stats());
  const std::string_view target = request.header("X-Amz-Target");
  constexpr std::string_view kPrefix = "Kinesis_20131202.";
  const std::string_view operation = target.substr(0, kPrefix.size()) == kPrefix ? target.substr(kPrefix.size()) : "";
  if (operation == "PutRecords") return put_records(request.body);
  if (operation == "ListShards") return json_answer(list_shards());
  if (operation == "DescribeStreamSummary") return json_answer(describe());
  if (operation == "GetShardIterator") return get_shard_iterator(request.body);
  if (operation == "GetRecords") return get_records(request.body);
  if (operation.ends_with("StreamConsumer") || operation == "ListStreamConsumers") {
    return consumers(operation, request.body);
  }
  return aws_error("UnknownOperationException", fmt::format("{} is not in the fake", target.substr(0, 100)));
}

std::string KinesisApi::stats() const {
  return fmt::format(
      R"({{"requests":{},"entries":{},"user_records":{},"bytes":{},"bad_aggregates":{},"records_read":{},)"
      R"("events":{},"subscriptions":{},"records_held":{}}})",
      totals_.requests, totals_.entries, totals_.user_records, totals_.bytes, totals_.bad_aggregates,
      totals_.records_read, totals_.events, totals_.subscriptions, store_.records());
}

std::string KinesisApi::describe() const {
  return fmt::format(R"({{"StreamDescriptionSummary":{{"StreamName":"{}","StreamARN":"{}","StreamStatus":"ACTIVE",)"
                     R"("OpenShardCount":{},"RetentionPeriodHours":24,"StreamCreationTimestamp":1700000000,)"
                     R"("EnhancedMonitoring":[],"EncryptionType":"NONE","ConsumerCount":{}}}}})",
                     stream_, stream_arn_, store_.shard_count(), consumers_.size());
}

std::string KinesisApi::list_shards() const {
  std::string out = R"({"Shards":[)";
  for (size_t i = 0; i < store_.shard_count(); ++i) {
    if (i) out += ',';
    out += fmt::format(R"({{"ShardId":"{}","HashKeyRange":{{"StartingHashKey":"{}","EndingHashKey":"{}"}},)"
                       R"("SequenceNumberRange":{{"StartingSequenceNumber":"{}"}}}})",
                       store_.shard_id(i), store_.starting_hash_key(i).to_string(),
                       store_.ending_hash_key(i).to_string(), store_.continuation(i, 0));
  }
  return out + "]}";
}

http::Response KinesisApi::put_records(const std::string& body) {
  ++totals_.requests;
  simdjson::padded_string padded(body);
  simdjson::dom::element doc;
  if (parser_.parse(padded).get(doc) != simdjson::SUCCESS) return aws_error("SerializationException", "bad JSON");
  std::string out = R"({"FailedRecordCount":0,"Records":[)";
  bool first = true;
  for (simdjson::dom::element record : doc["Records"].get_array()) {
    const std::string_view key = field_string(record, "PartitionKey");
    const std::string_view explicit_hash = field_string(record, "ExplicitHashKey");
    const HashKey hash = explicit_hash.empty() ? HashKey::of_partition_key(key) : HashKey::parse(explicit_hash).value();
    decoded_.clear();
    (void)base64_decode_append(field_string(record, "Data"), decoded_);
    totals_.bytes += decoded_.size();
    ++totals_.entries;
    if (kpl::has_magic(decoded_)) {
      if (kpl::deaggregate_into(decoded_, subs_) == kpl::DeaggregateOutcome::kAggregate) {
        totals_.user_records += subs_.size();
      } else {
        ++totals_.bad_aggregates;
      }
    } else {
      ++totals_.user_records;
    }
    if (!first) out += ',';
    first = false;
    out += fmt::format(R"({{"SequenceNumber":"{}","ShardId":"{}"}})", ++put_sequence_,
                       store_.shard_id(store_.shard_of(hash)));
  }
  return json_answer(out + "]}");
}

// Iterators are "<shard index>/<position>".
http::Response KinesisApi::get_shard_iterator(const std::string& body) {
  simdjson::padded_string padded(body);
  simdjson::dom::element doc;
  if (parser_.parse(padded).get(doc) != simdjson::SUCCESS) return aws_error("SerializationException", "bad JSON");
  const size_t shard = store_.find_shard(field_string(doc, "ShardId"));
  if (shard == store_.shard_count()) return aws_error("ResourceNotFoundException", "no such shard");
  auto position =
      store_.position_of(shard, field_string(doc, "ShardIteratorType"), field_string(doc, "StartingSequenceNumber"),
                         static_cast<int64_t>(field_number(doc, "Timestamp") * 1000));
  if (!position.ok()) return aws_error("InvalidArgumentException", position.error().message);
  return json_answer(fmt::format(R"({{"ShardIterator":"{}/{}"}})", shard, *position));
}

http::Response KinesisApi::get_records(const std::string& body) {
  simdjson::padded_string padded(body);
  simdjson::dom::element doc;
  if (parser_.parse(padded).get(doc) != simdjson::SUCCESS) return aws_error("SerializationException", "bad JSON");
  const std::string_view iterator = field_string(doc, "ShardIterator");
  int64_t limit = 10000;
  if (doc["Limit"].get_int64().get(limit) != simdjson::SUCCESS) limit = 10000;
  const size_t slash = iterator.find('/');
  size_t shard = 0, position = 0;
  if (slash == std::string_view::npos ||
      std::from_chars(iterator.data(), iterator.data() + slash, shard).ec != std::errc() ||
      std::from_chars(iterator.data() + slash + 1, iterator.data() + iterator.size(), position).ec != std::errc() ||
      shard >= store_.shard_count()) {
    return aws_error("InvalidArgumentException", "not an iterator of this fake");
  }
  std::string out = R"({"Records":[)";
  const size_t end = store_.append_json(shard, position, static_cast<size_t>(limit), kGetRecordsJsonBytes, out);
  totals_.records_read += end - position;
  out += fmt::format(R"(],"NextShardIterator":"{}/{}","MillisBehindLatest":{}}})", shard, end,
                     store_.millis_behind(shard, end));
  return json_answer(out);
}

std::string KinesisApi::consumer_json(const std::string& name, bool with_stream) const {
  return fmt::format(R"({{"ConsumerName":"{}","ConsumerARN":"{}","ConsumerStatus":"ACTIVE",)"
                     R"("ConsumerCreationTimestamp":{}{}}})",
                     name, consumers_.at(name), kConsumerCreated,
                     with_stream ? fmt::format(R"(,"StreamARN":"{}")", stream_arn_) : "");
}

http::Response KinesisApi::consumers(std::string_view operation, const std::string& body) {
  simdjson::padded_string padded(body);
  simdjson::dom::element doc;
  if (parser_.parse(padded).get(doc) != simdjson::SUCCESS) return aws_error("SerializationException", "bad JSON");
  if (operation == "ListStreamConsumers") {
    std::string out = R"({"Consumers":[)";
    for (const auto& [name, arn] : consumers_) {
      if (out.back() != '[') out += ',';
      out += consumer_json(name, false);
    }
    return json_answer(out + "]}");
  }
  // The consumer by ARN, or by stream ARN and name.
  std::string name(field_string(doc, "ConsumerName"));
  const std::string_view arn = field_string(doc, "ConsumerARN");
  for (const auto& [n, a] : consumers_) {
    if (!arn.empty() && a == arn) name = n;
  }
  const std::string_view stream = field_string(doc, "StreamARN");
  if (arn.empty() && stream != stream_arn_) {
    return aws_error("ResourceNotFoundException", fmt::format("no stream {}", stream.substr(0, 200)));
  }
  const bool known = consumers_.count(name) > 0;
  if (operation == "RegisterStreamConsumer") {
    if (known) return aws_error("ResourceInUseException", fmt::format("consumer {} exists", name));
    consumers_[name] = fmt::format("{}/consumer/{}:{}", stream_arn_, name, kConsumerCreated);
    return json_answer(fmt::format(R"({{"Consumer":{}}})", consumer_json(name, false)));
  }
  if (!known) return aws_error("ResourceNotFoundException", fmt::format("no consumer {}", name.substr(0, 200)));
  if (operation == "DescribeStreamConsumer") {
    return json_answer(fmt::format(R"({{"ConsumerDescription":{}}})", consumer_json(name, true)));
  }
  if (operation == "DeregisterStreamConsumer") {
    consumers_.erase(name);
    return json_answer("{}");
  }
  return aws_error("UnknownOperationException", fmt::format("{} is not in the fake", operation));
}

}  // namespace pk::bench
