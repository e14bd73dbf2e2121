// Checkpoint values: the sentinels, parsing, the KCL's order and where reading resumes.
#include <gtest/gtest.h>

#include "positions.h"

#include "kcl/extended_sequence_number.h"

namespace pk::kcl {
namespace {

using test::seq;

TEST(ExtendedSequenceNumber, ParsesSentinelsAndSequenceNumbers) {
  for (auto [text, sentinel] : {std::pair{"TRIM_HORIZON", Sentinel::kTrimHorizon},
                                {"LATEST", Sentinel::kLatest},
                                {"AT_TIMESTAMP", Sentinel::kAtTimestamp},
                                {"SHARD_END", Sentinel::kShardEnd}}) {
    auto n = ExtendedSequenceNumber::parse(text, 0);
    ASSERT_TRUE(n.ok()) << text;
    EXPECT_EQ(n->sentinel(), sentinel);
    EXPECT_TRUE(n->is_sentinel());
    EXPECT_EQ(n->text(), text);
    EXPECT_EQ(n->to_string(), std::string(text) + "/0");
  }
  auto n = ExtendedSequenceNumber::parse("49590338271490256608559692538361571095921575989136588898", 7);
  ASSERT_TRUE(n.ok());
  EXPECT_FALSE(n->is_sentinel());
  EXPECT_EQ(n->sequence_number().str(), "49590338271490256608559692538361571095921575989136588898");
  EXPECT_EQ(n->sub_sequence_number(), 7);
  EXPECT_EQ(n->to_string(), "49590338271490256608559692538361571095921575989136588898/7");
}

TEST(ExtendedSequenceNumber, RefusesOtherTexts) {
  auto bad = ExtendedSequenceNumber::parse("trim_horizon", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message,
            "checkpoint: \"trim_horizon\" is neither a sequence number nor TRIM_HORIZON, LATEST, AT_TIMESTAMP or "
            "SHARD_END");
  EXPECT_FALSE(ExtendedSequenceNumber::parse("", 0).ok());
  auto negative = ExtendedSequenceNumber::parse("12", -1, "pendingCheckpoint");
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().message, "pendingCheckpoint: sub-sequence number -1 is negative");
}

TEST(ExtendedSequenceNumber, OrdersAsTheKcl) {
  const std::vector<ExtendedSequenceNumber> ascending = {ExtendedSequenceNumber::at_timestamp(),
                                                         ExtendedSequenceNumber::trim_horizon(),
                                                         ExtendedSequenceNumber::latest(),
                                                         seq("5"),
                                                         seq("5", 1),
                                                         seq("5", 2),
                                                         seq("40"),
                                                         seq("123456789012345678901234567890"),
                                                         ExtendedSequenceNumber::shard_end()};
  for (size_t i = 0; i < ascending.size(); ++i) {
    for (size_t j = 0; j < ascending.size(); ++j) {
      EXPECT_EQ(ascending[i] < ascending[j], i < j) << ascending[i].to_string() << " vs " << ascending[j].to_string();
      EXPECT_EQ(ascending[i] == ascending[j], i == j);
    }
  }
  EXPECT_EQ(seq("007"), seq("7"));
}

TEST(ExtendedSequenceNumber, ResumePosition) {
  const kinesis::Timestamp t{std::chrono::milliseconds(1700000000123)};
  EXPECT_EQ(resume_position(ExtendedSequenceNumber::trim_horizon(), t)->type, kinesis::ShardIteratorType::kTrimHorizon);
  EXPECT_EQ(resume_position(ExtendedSequenceNumber::latest(), t)->type, kinesis::ShardIteratorType::kLatest);
  auto at_time = resume_position(ExtendedSequenceNumber::at_timestamp(), t);
  EXPECT_EQ(at_time->type, kinesis::ShardIteratorType::kAtTimestamp);
  EXPECT_EQ(at_time->timestamp, t);
  auto at = resume_position(seq("100", 3), t);
  EXPECT_EQ(at->type, kinesis::ShardIteratorType::kAtSequenceNumber);
  EXPECT_EQ(at->sequence_number.str(), "100");
  auto end = resume_position(ExtendedSequenceNumber::shard_end(), t);
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.error().message, "the shard was read to its end (checkpoint SHARD_END)");
}

TEST(ExtendedSequenceNumber, AlreadyProcessedSkipsUpToTheSubSequence) {
  const auto n = [](std::string_view d) { return *kinesis::SequenceNumber::parse(d); };
  const ExtendedSequenceNumber checkpoint = seq("100", 3);
  EXPECT_TRUE(already_processed(checkpoint, n("100"), 0));
  EXPECT_TRUE(already_processed(checkpoint, n("100"), 3));
  EXPECT_FALSE(already_processed(checkpoint, n("100"), 4));
  EXPECT_FALSE(already_processed(checkpoint, n("101"), 0));
  EXPECT_TRUE(already_processed(checkpoint, n("99"), 9));
  EXPECT_FALSE(already_processed(ExtendedSequenceNumber::trim_horizon(), n("1"), 0));
  EXPECT_TRUE(already_processed(ExtendedSequenceNumber::shard_end(), n("1"), 0));
}

}  // namespace
}  // namespace pk::kcl
