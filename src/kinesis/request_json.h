#pragma once
// The pieces of Kinesis request bodies that several operations write the same way, on aws::JsonWriter: the stream
// (StreamARN or StreamName), a starting position, and timestamps as Kinesis reads them.

#include <string>
#include <string_view>

#include "aws/json_writer.h"
#include "common/result.h"
#include "kinesis/model.h"

namespace pk::kinesis {

using aws::JsonWriter;

// Epoch seconds with a millisecond fraction, the form Kinesis reads: "1700000000.123".
std::string epoch_seconds_text(Timestamp t);

// Writes StreamARN when the reference has one, else StreamName; an error when it has neither.
Status write_stream(JsonWriter& w, std::string_view operation, const StreamRef& stream);

// Writes a starting position's members: `type_key` with the type, then `sequence_key` (AT_/AFTER_SEQUENCE_NUMBER)
// or Timestamp (AT_TIMESTAMP). GetShardIterator and SubscribeToShard name the first two differently.
Status write_starting_position(JsonWriter& w, std::string_view operation, const StartingPosition& position,
                               std::string_view type_key, std::string_view sequence_key);

}  // namespace pk::kinesis
