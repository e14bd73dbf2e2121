// Our event-stream encoder against botocore's independent decoder: every frame we write must decode there to
// the same headers and payload (the decoder itself is checked against vectors botocore accepts, in unit tests).
#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "aws/event_stream.h"
#include "run_support.h"
#include "support/server_env.h"

namespace pk::aws {
namespace {

TEST(BotocorePeer, DecodesOurEventStreamFrames) {
  std::vector<EventStreamMessage> messages(3);
  messages[0].headers = {{":message-type", std::string("event")},
                         {":event-type", std::string("SubscribeToShardEvent")},
                         {":content-type", std::string("application/json")}};
  messages[0].payload = R"({"Records":[],"ContinuationSequenceNumber":"1","MillisBehindLatest":0})";
  EventStreamUuid uuid;
  for (uint8_t i = 0; i < 16; ++i) uuid.bytes[i] = static_cast<uint8_t>(0xa0 + i);
  messages[1].headers = {{"bool-true", true},
                         {"bool-false", false},
                         {"byte", int8_t{-2}},
                         {"short", int16_t{-12345}},
                         {"int", int32_t{-7654321}},
                         {"long", int64_t{1234567890123456789}},
                         {"bytes", EventStreamBytes{std::string("\x00\xff\x10", 3)}},
                         {"ts", EventStreamTimestamp{1700000000123}},
                         {"uuid", uuid}};
  messages[1].payload = std::string(100000, 'p');
  messages[2].headers = {{":message-type", std::string("exception")},
                         {":exception-type", std::string("ResourceInUseException")}};
  messages[2].payload = R"({"message":"busy"})";

  const std::string dir = ::testing::TempDir();
  const std::string frames = dir + "/pk_event_stream_frames.bin";
  {
    std::ofstream out(frames, std::ios::binary);
    for (const auto& m : messages) {
      auto bytes = encode_event_stream_message(m);
      ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
      out << *bytes;
    }
  }
  const std::string script = dir + "/pk_event_stream_peer.py";
  {
    std::ofstream out(script);
    out << "import datetime, uuid\n"
        << "from botocore.eventstream import EventStreamBuffer\n"
        << "buf = EventStreamBuffer()\n"
        << "buf.add_data(open('" << frames << "', 'rb').read())\n"
        << "for m in buf:\n"
        << "    items = []\n"
        << "    for k, v in m.headers.items():\n"
        << "        if isinstance(v, bytes): v = 'bytes:' + v.hex()\n"
        << "        elif isinstance(v, uuid.UUID): v = 'uuid:' + v.hex\n"
        << "        elif isinstance(v, datetime.datetime): v = 'ts:' + str(v.timestamp())\n"
        << "        items.append(k + '=' + repr(v))\n"
        << "    print(';'.join(items) + '|' + str(len(m.payload)) + '|' + m.payload[:20].decode('latin-1'))\n";
  }
  bool ok = false;
  const std::string out = itest::run_python(pk::testing::server_env("PK_PYTHON"), script, ok);
  std::remove(frames.c_str());
  std::remove(script.c_str());
  ASSERT_TRUE(ok) << out;
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < out.size()) {
    const size_t nl = out.find('\n', pos);
    lines.push_back(out.substr(pos, nl - pos));
    pos = nl == std::string::npos ? out.size() : nl + 1;
  }
  ASSERT_EQ(lines.size(), 3u) << out;
  EXPECT_EQ(lines[0], ":message-type='event';:event-type='SubscribeToShardEvent';:content-type='application/json'|" +
                          std::to_string(messages[0].payload.size()) + "|{\"Records\":[],\"Conti");
  EXPECT_EQ(lines[1],
            "bool-true=True;bool-false=False;byte=-2;short=-12345;int=-7654321;long=1234567890123456789;"
            "bytes='bytes:00ff10';ts=1700000000123;uuid='bytes:a0a1a2a3a4a5a6a7a8a9aaabacadaeaf'|100000|"
            "pppppppppppppppppppp");
  EXPECT_EQ(lines[2], ":message-type='exception';:exception-type='ResourceInUseException'|18|{\"message\":\"busy\"}");
}

}  // namespace
}  // namespace pk::aws
