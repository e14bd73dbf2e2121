#include "kpl/deaggregator.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kpl/aggregator.h"
#include "kpl_test_util.h"

namespace pk::kpl {
namespace {

using testing::field;
using testing::frame;

constexpr std::string_view kSampleHashKey = "191415658344158766168031473277922803570";

TEST(Deaggregate, SampleAggregateHasItsHundredRecords) {
  const std::string sample = testing::sample_aggregate();
  const Deaggregation result = deaggregate(sample);
  ASSERT_EQ(result.outcome, DeaggregateOutcome::kAggregate);
  ASSERT_EQ(result.records.size(), 100u);
  for (size_t i = 0; i < result.records.size(); ++i) {
    const SubRecord& r = result.records[i];
    EXPECT_EQ(r.partition_key, "abc");
    EXPECT_EQ(r.explicit_hash_key, std::optional<std::string_view>(kSampleHashKey));
    EXPECT_EQ(r.data, i % 2 == 0 ? "abcdefghijklmnopqrstuvwxyz" : "zyxwvutsrqponmlkjihgfedcba");
    EXPECT_EQ(r.sub_sequence_number, i);
    // Views into the input, not copies.
    EXPECT_GE(r.data.data(), sample.data());
    EXPECT_LE(r.data.data() + r.data.size(), sample.data() + sample.size());
  }
}

TEST(Deaggregate, RoundTripOfRandomRecords) {
  std::mt19937 rng(7);
  Aggregator agg;
  std::string out;
  std::vector<SubRecord> back;
  for (int trial = 0; trial < 50; ++trial) {
    struct Input {
      std::string key;
      std::optional<std::string> ehk;
      std::string data;
    };
    std::vector<Input> inputs(1 + rng() % 60);
    for (Input& in : inputs) {
      in.key = "k" + std::to_string(rng() % 10) + std::string(rng() % 3, '\xE2');
      if (rng() % 2) in.ehk = std::to_string(rng());
      in.data.resize(rng() % 300);
      for (char& c : in.data) c = static_cast<char>(rng());
      agg.add(in.key, in.ehk, in.data);
    }
    agg.finish(out);
    ASSERT_EQ(deaggregate_into(out, back), DeaggregateOutcome::kAggregate);
    ASSERT_EQ(back.size(), inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      EXPECT_EQ(back[i].partition_key, inputs[i].key);
      EXPECT_EQ(back[i].explicit_hash_key.has_value(), inputs[i].ehk.has_value());
      if (inputs[i].ehk) {
        EXPECT_EQ(*back[i].explicit_hash_key, *inputs[i].ehk);
      }
      EXPECT_EQ(back[i].data, inputs[i].data);
      EXPECT_EQ(back[i].sub_sequence_number, i);
    }
  }
}

TEST(Deaggregate, PlainRecordsAreNotAggregates) {
  EXPECT_EQ(deaggregate("").outcome, DeaggregateOutcome::kNotAggregate);
  EXPECT_EQ(deaggregate("hello world").outcome, DeaggregateOutcome::kNotAggregate);
  EXPECT_EQ(deaggregate("\xF3\x89\x9A").outcome, DeaggregateOutcome::kNotAggregate);  // a prefix of the magic
  EXPECT_FALSE(is_corrupt(DeaggregateOutcome::kNotAggregate));
  EXPECT_FALSE(is_corrupt(DeaggregateOutcome::kAggregate));
}

TEST(Deaggregate, CorruptAggregatesAreClassified) {
  std::string sample = testing::sample_aggregate();

  std::string bad_digest = sample;
  bad_digest.back() ^= 1;
  EXPECT_EQ(deaggregate(bad_digest).outcome, DeaggregateOutcome::kDigestMismatch);

  std::string bad_body = sample;
  bad_body[100] ^= 0x40;
  EXPECT_EQ(deaggregate(bad_body).outcome, DeaggregateOutcome::kDigestMismatch);

  EXPECT_EQ(deaggregate(sample.substr(0, 19)).outcome, DeaggregateOutcome::kTooShort);
  EXPECT_EQ(deaggregate(sample.substr(0, 4)).outcome, DeaggregateOutcome::kTooShort);
  EXPECT_EQ(deaggregate(sample.substr(0, sample.size() - 1)).outcome, DeaggregateOutcome::kDigestMismatch);

  // Valid digests around bad protobuf: a length past the end, a truncated varint, wire type 7, field number 0.
  EXPECT_EQ(deaggregate(frame("\x0a\x05"
                              "ab"))
                .outcome,
            DeaggregateOutcome::kMalformed);
  EXPECT_EQ(deaggregate(frame("\x0a\x01k\x1a\x80")).outcome, DeaggregateOutcome::kMalformed);
  EXPECT_EQ(deaggregate(frame("\x0f")).outcome, DeaggregateOutcome::kMalformed);
  EXPECT_EQ(deaggregate(frame(std::string("\x02\x00", 2))).outcome, DeaggregateOutcome::kMalformed);
  EXPECT_EQ(deaggregate(frame("\x0c")).outcome, DeaggregateOutcome::kMalformed);  // end-group without start
  // Eleven-byte varint.
  EXPECT_EQ(deaggregate(frame("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01")).outcome,
            DeaggregateOutcome::kMalformed);

  // Index past the table: partition key 1 of 1, explicit hash key 0 of 0.
  const std::string pk = field(0x0a, "k");
  EXPECT_EQ(deaggregate(frame(pk + field(0x1a, std::string("\x08\x01\x1a\x00", 4)))).outcome,
            DeaggregateOutcome::kIndexOutOfRange);
  EXPECT_EQ(deaggregate(frame(pk + field(0x1a, std::string("\x08\x00\x10\x00\x1a\x00", 6)))).outcome,
            DeaggregateOutcome::kIndexOutOfRange);
  // A huge index (2^63) is out of range too, not a wrapped small one.
  EXPECT_EQ(deaggregate(frame(pk + field(0x1a, "\x08\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01\x1a\x01x"))).outcome,
            DeaggregateOutcome::kIndexOutOfRange);

  // Required fields: no partition key index, no data, a Tag without key.
  EXPECT_EQ(deaggregate(frame(pk + field(0x1a, "\x1a\x01x"))).outcome, DeaggregateOutcome::kMissingField);
  EXPECT_EQ(deaggregate(frame(pk + field(0x1a, std::string("\x08\x00", 2)))).outcome,
            DeaggregateOutcome::kMissingField);
  EXPECT_EQ(deaggregate(frame(pk + field(0x1a, std::string("\x08\x00\x1a\x01x\x22\x02\x12\x00", 9)))).outcome,
            DeaggregateOutcome::kMissingField);

  // Well formed, but nothing in it.
  EXPECT_EQ(deaggregate(frame("")).outcome, DeaggregateOutcome::kNoRecords);
  EXPECT_EQ(deaggregate(frame(pk)).outcome, DeaggregateOutcome::kNoRecords);

  for (auto outcome :
       {DeaggregateOutcome::kTooShort, DeaggregateOutcome::kDigestMismatch, DeaggregateOutcome::kMalformed,
        DeaggregateOutcome::kMissingField, DeaggregateOutcome::kIndexOutOfRange, DeaggregateOutcome::kNoRecords}) {
    EXPECT_TRUE(is_corrupt(outcome)) << to_string(outcome);
  }
  EXPECT_EQ(to_string(DeaggregateOutcome::kDigestMismatch), "digest mismatch");
}

TEST(Deaggregate, ProtobufRulesOfProto2) {
  const std::string pk = field(0x0a, "k") + field(0x0a, "j");
  const std::string ehk = field(0x12, "99");
  // Unknown fields of every wire type at both levels; a known field number with another wire type is unknown too;
  // the last value of a scalar wins; tags (field 4) are read and dropped; tables after the records.
  const std::string record = std::string("\x08\x00", 2) +             // partition_key_index 0 ...
                             "\x28\x96\x01" +                         // field 5 varint
                             "\x31" + std::string(8, '\x01') +        // field 6 fixed64
                             "\x3d" + std::string(4, '\x02') +        // field 7 fixed32
                             "\x43\x48\x01\x44" +                     // field 8 group holding field 9 varint
                             field(0x0a, "wrong type for field 1") +  // field 1 as length-delimited: unknown
                             "\x08\x01" +                             // ... then 1: the last wins
                             field(0x22, field(0x0a, "tag-key") + field(0x12, "tag-value")) + field(0x1a, "first") +
                             field(0x1a, "second");  // the last data wins
  const std::string proto = field(0x1a, record) + "\x20\x07" + pk + field(0x2a, "unknown") + ehk +
                            field(0x1a, std::string("\x08\x00\x10\x00\x1a\x00", 6));
  const std::string bytes = frame(proto);  // the sub-records view it
  const Deaggregation result = deaggregate(bytes);
  ASSERT_EQ(result.outcome, DeaggregateOutcome::kAggregate) << to_string(result.outcome);
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0], (SubRecord{"j", std::nullopt, "second", 0}));
  EXPECT_EQ(result.records[1], (SubRecord{"k", "99", "", 1}));
}

TEST(Deaggregate, NestedUnknownGroupsAreBounded) {
  const std::string pk = field(0x0a, "k");
  const std::string record = field(0x1a, std::string("\x08\x00\x1a\x00", 4));
  std::string nested;
  for (int i = 0; i < 50; ++i) nested += "\x4b";  // start group, field 9
  for (int i = 0; i < 50; ++i) nested += "\x4c";  // end group, field 9
  EXPECT_EQ(deaggregate(frame(pk + nested + record)).outcome, DeaggregateOutcome::kAggregate);
  std::string deep(200, '\x4b');
  deep += std::string(200, '\x4c');
  EXPECT_EQ(deaggregate(frame(pk + deep + record)).outcome, DeaggregateOutcome::kMalformed);
  EXPECT_EQ(deaggregate(frame(pk + "\x4b\x54" + record)).outcome, DeaggregateOutcome::kMalformed);  // wrong end
}

// Every prefix of a valid aggregate (and of its protobuf, framed with a valid digest) is classified without a
// crash; only the whole is an aggregate.
TEST(Deaggregate, EveryTruncationIsSafe) {
  const std::string sample = testing::sample_aggregate();
  const std::string proto = sample.substr(4, sample.size() - 20);
  std::vector<SubRecord> out;
  size_t aggregates = 0;
  for (size_t n = 0; n < sample.size(); ++n) {
    const DeaggregateOutcome outcome = deaggregate_into(std::string_view(sample).substr(0, n), out);
    EXPECT_NE(outcome, DeaggregateOutcome::kAggregate) << n;
    EXPECT_TRUE(out.empty());
  }
  for (size_t n = 0; n <= proto.size(); ++n) {
    const std::string framed = frame(std::string_view(proto).substr(0, n));
    const DeaggregateOutcome outcome = deaggregate_into(framed, out);
    if (outcome == DeaggregateOutcome::kAggregate) {
      ++aggregates;
      EXPECT_EQ(out.back().sub_sequence_number, out.size() - 1);
    } else {
      EXPECT_TRUE(out.empty());
    }
  }
  // The prefixes that end exactly after a record: 1 .. 100 records.
  EXPECT_EQ(aggregates, 100u);
}

}  // namespace
}  // namespace pk::kpl
