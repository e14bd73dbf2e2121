// The AWS JSON reader: parse_object's document checks and FlatObject (what credential documents, error bodies and
// plugin parameters are read with).
#include "aws/json_reader.h"

#include <gtest/gtest.h>

namespace pk::aws::json {
namespace {

TEST(FlatObject, ReadsStringsIntegersAndPresence) {
  auto doc = FlatObject::parse(R"({"Code":"Success","Version":1,"Seconds":"900","Token":null,"Nested":{"a":[1]},)"
                               R"("Esc\u0061ped":"a\"b","Code":"second"})",
                               "test document");
  ASSERT_TRUE(doc.ok()) << doc.error().to_string();
  EXPECT_EQ(*doc->string("Code"), "Success") << "the first of duplicate members wins";
  EXPECT_EQ(*doc->string("Escaped"), "a\"b");
  EXPECT_EQ(*doc->string("Absent"), "");
  EXPECT_EQ(*doc->string("Token"), "");
  EXPECT_EQ(**doc->integer("Version"), 1);
  EXPECT_EQ(**doc->integer("Seconds"), 900) << "an integer written as a string of digits";
  EXPECT_FALSE(doc->integer("Absent")->has_value());
  EXPECT_FALSE(doc->integer("Token")->has_value());
  EXPECT_TRUE(doc->has("Nested"));
  EXPECT_TRUE(doc->has("Version"));
  EXPECT_FALSE(doc->has("Token"));
  EXPECT_FALSE(doc->has("Absent"));
}

TEST(FlatObject, AMemberOfTheWrongTypeIsAnErrorNamingIt) {
  auto doc = FlatObject::parse(R"({"Version":"x1","Code":7,"Nested":{},"Ratio":1.5})", "credential_process output");
  ASSERT_TRUE(doc.ok());
  auto not_int = doc->integer("Version");
  ASSERT_FALSE(not_int.ok());
  EXPECT_EQ(not_int.error().code, ErrorCode::kMalformedInput);
  EXPECT_EQ(not_int.error().message, "credential_process output: \"Version\" is not an integer");
  EXPECT_FALSE(doc->integer("Ratio").ok());
  auto not_string = doc->string("Code");
  ASSERT_FALSE(not_string.ok());
  EXPECT_EQ(not_string.error().message, "credential_process output: \"Code\" is not a string");
  EXPECT_FALSE(doc->string("Nested").ok());
}

TEST(FlatObject, AnythingButOneObjectIsRefusedNamingTheDocument) {
  for (const char* bad : {"", "[]", "\"text\"", "{\"a\":1} {}", "{\"a\":", "{\"a\" 1}"}) {
    auto doc = FlatObject::parse(bad, "error body");
    ASSERT_FALSE(doc.ok()) << bad;
    EXPECT_EQ(doc.error().code, ErrorCode::kMalformedInput) << bad;
    EXPECT_TRUE(doc.error().message.starts_with("error body: ")) << doc.error().message;
  }
}

TEST(ParseObject, NullMembersAndNestedValuesAreWalked) {
  std::vector<std::string> seen;
  auto read = parse_object(R"({"A":null,"B":[1,2],"C":{"D":"x"}})", "op", [&](std::string_view key, value v) {
    seen.emplace_back(key);
    if (key != "B") return ok_status();
    return for_each_element(v, key, [&](size_t index, value) {
      seen.push_back("B[" + std::to_string(index) + "]");
      return ok_status();
    });
  });
  ASSERT_TRUE(read.ok()) << read.error().to_string();
  EXPECT_EQ(seen, (std::vector<std::string>{"A", "B", "B[0]", "B[1]", "C"}));
}

}  // namespace
}  // namespace pk::aws::json
