// The sink pipeline end to end on the real servers: messages published to Pulsar land in kinesis-mock exactly
// once each (keys and payloads as the format says), and the subscription is left with no backlog.
#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "sink_fixture.h"

namespace pk::sink::testing {
namespace {

TEST_F(SinkOnRealServers, MovesEveryMessageToTheStreamAndAcksIt) {
  create_stream(2);
  std::vector<std::pair<std::optional<std::string>, std::string>> messages;
  for (int i = 0; i < 300; ++i) {
    std::optional<std::string> key;
    if (i % 10 != 0) key = fmt::format("key-{}", i % 17);
    std::string payload = fmt::format("message-{}-", i);
    payload.push_back(static_cast<char>(i % 256));  // binary-safe
    messages.emplace_back(key, payload);
  }
  publish(messages);

  SinkPipeline pipeline(*pulsar_, settings("pk-sink-it"), raw_encoder(), put(), list_shards());
  run_pipeline(pipeline, [&] { return pipeline.counters().messages_acked >= messages.size(); });
  EXPECT_EQ(pipeline.counters().messages_in, messages.size());
  EXPECT_EQ(pipeline.counters().messages_acked, messages.size());
  EXPECT_EQ(pipeline.counters().messages_nacked, 0u);
  EXPECT_EQ(pipeline.in_flight_messages(), 0u);

  auto records = read_stream();
  ASSERT_EQ(records.size(), messages.size());
  std::map<std::string, std::string> key_of_payload;
  for (const auto& r : records) key_of_payload[r.data] = r.partition_key;
  ASSERT_EQ(key_of_payload.size(), messages.size());
  for (const auto& [key, payload] : messages) {
    ASSERT_TRUE(key_of_payload.count(payload)) << payload;
    EXPECT_EQ(key_of_payload[payload], key.value_or(topic_));
  }
  EXPECT_EQ(backlog("pk-sink-it"), 0);
}

}  // namespace
}  // namespace pk::sink::testing
