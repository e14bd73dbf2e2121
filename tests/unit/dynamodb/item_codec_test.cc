#include "dynamodb/item_codec.h"

#include <string>

#include <gtest/gtest.h>

#include "dynamodb/item_ops_codec.h"

namespace pk::dynamodb {
namespace {

Result<std::string> write(const AttributeValue& v) {
  return json_body("Test", [&](JsonOut& out) -> Status {
    out.literal_key("v");
    return write_attribute_value(out, v);
  });
}

// Every type, nested: what a GetItem of it gives back.
Item every_type() {
  Item inner{{"x", AttributeValue::n("-1.5e3")}, {"y", AttributeValue::null()}};
  return Item{
      {"s", AttributeValue::s("text \"quoted\" \xc3\xa9")},
      {"n", AttributeValue::n(int64_t{42})},
      {"b", AttributeValue::b(std::string("\x00\xff\x10", 3))},
      {"ss", AttributeValue::ss({"a", "b"})},
      {"ns", AttributeValue::ns({"1", "2.5"})},
      {"bs", AttributeValue::bs({"\x01", "\x02\x03"})},
      {"bool", AttributeValue::boolean(false)},
      {"null", AttributeValue::null()},
      {"m", AttributeValue::m(inner)},
      {"l", AttributeValue::l({AttributeValue::s("e"), AttributeValue::m(inner), AttributeValue::l({})})},
  };
}

TEST(AttributeValueJson, GoldenForEachType) {
  EXPECT_EQ(*write(AttributeValue::s("a\"b")), R"({"v":{"S":"a\"b"}})");
  EXPECT_EQ(*write(AttributeValue::n(int64_t{-7})), R"({"v":{"N":"-7"}})");
  EXPECT_EQ(*write(AttributeValue::b("hi")), R"({"v":{"B":"aGk="}})");
  EXPECT_EQ(*write(AttributeValue::ss({"a", "b"})), R"({"v":{"SS":["a","b"]}})");
  EXPECT_EQ(*write(AttributeValue::ns({"1", "2"})), R"({"v":{"NS":["1","2"]}})");
  EXPECT_EQ(*write(AttributeValue::bs({"hi"})), R"({"v":{"BS":["aGk="]}})");
  EXPECT_EQ(*write(AttributeValue::boolean(true)), R"({"v":{"BOOL":true}})");
  EXPECT_EQ(*write(AttributeValue::null()), R"({"v":{"NULL":true}})");
  EXPECT_EQ(*write(AttributeValue::m({{"k", AttributeValue::s("v")}})), R"({"v":{"M":{"k":{"S":"v"}}}})");
  EXPECT_EQ(*write(AttributeValue::l({AttributeValue::n(int64_t{1}), AttributeValue::boolean(false)})),
            R"({"v":{"L":[{"N":"1"},{"BOOL":false}]}})");
}

TEST(AttributeValueJson, WriteRejectsBadValuesNamingThePath) {
  auto bad_utf8 = write(AttributeValue::m({{"owner", AttributeValue::s("\xff")}}));
  ASSERT_FALSE(bad_utf8.ok());
  EXPECT_EQ(bad_utf8.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad_utf8.error().message, "Test: owner: S: invalid UTF-8 at byte 0");
  EXPECT_EQ(write(AttributeValue::n("12a")).error().message, "Test: N: \"12a\" is not a number");
  EXPECT_EQ(write(AttributeValue::ss({})).error().message, "Test: SS: empty set");
  EXPECT_EQ(write(AttributeValue::ns({"1", "x"})).error().message, "Test: NS: \"x\" is not a number");
  EXPECT_EQ(write(AttributeValue::l({AttributeValue::s("ok"), AttributeValue::n("")})).error().message,
            "Test: L[1]: N: \"\" is not a number");
  EXPECT_EQ(write(AttributeValue::m({{"\xc3", AttributeValue::null()}})).error().message,
            "Test: attribute name: invalid UTF-8 at byte 0");
}

TEST(AttributeValueJson, EveryTypeRoundTrips) {
  const Item item = every_type();
  auto body = json_body("PutItem", [&](JsonOut& out) -> Status {
    out.literal_key("Item");
    return write_item(out, item);
  });
  ASSERT_TRUE(body.ok()) << body.error().to_string();
  // A GetItem response carries the item the same way.
  auto back = parse_get_item_response(*body);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ(**back, item);
}

TEST(AttributeValueJson, ReadToleratesExplicitNullMembers) {
  auto r = parse_get_item_response(R"({"Item":{"a":{"S":null,"N":"5","B":null}},"ConsumedCapacity":null})");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((**r).at("a"), AttributeValue::n("5"));
  auto none = parse_get_item_response(R"({"Item":null})");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto absent = parse_get_item_response("{}");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
}

TEST(AttributeValueJson, ReadRejectsMalformedValuesNamingThePath) {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"Item":{"a":{}}})", "GetItem response: Item: a: attribute value: no type"},
      {R"({"Item":{"a":{"S":"x","N":"1"}}})", "GetItem response: Item: a: N: a second type in one attribute value"},
      {R"({"Item":{"a":{"Q":"x"}}})", "GetItem response: Item: a: Q: unknown attribute type"},
      {R"({"Item":{"a":{"S":1}}})", "GetItem response: Item: a: S: expected a string"},
      {R"({"Item":{"a":{"N":"one"}}})", "GetItem response: Item: a: N: \"one\" is not a number"},
      {R"({"Item":{"a":{"B":"!!!!"}}})", "GetItem response: Item: a: B: base64: invalid character 0x21 at offset 0"},
      {R"({"Item":{"a":{"NULL":false}}})", "GetItem response: Item: a: NULL: must be true"},
      {R"({"Item":{"a":{"BOOL":"true"}}})", "GetItem response: Item: a: BOOL: expected true or false"},
      {R"({"Item":{"a":{"SS":["x",null]}}})", "GetItem response: Item: a: SS[1]: missing"},
      {R"({"Item":{"a":{"NS":["1","y"]}}})", "GetItem response: Item: a: NS[1]: not a number"},
      {R"({"Item":{"a":{"BS":["AA=="," "]}}})",
       "GetItem response: Item: a: BS[1]: base64: length 1 is not a multiple of 4"},
      {R"({"Item":{"a":{"L":[{"S":"x"},{"M":{"b":{"N":true}}}]}}})",
       "GetItem response: Item: a: L[1]: M: b: N: expected a string"},
      {R"({"Item":{"a":"S"}})", "GetItem response: Item: a: attribute value: "},
      {R"({"Item":[1]})", "GetItem response: Item: "},
  };
  for (const auto& [body, prefix] : cases) {
    auto r = parse_get_item_response(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedInput) << body;
    EXPECT_EQ(r.error().message.substr(0, prefix.size()), prefix) << r.error().message;
  }
}

TEST(AttributeValueJson, DeepNestingIsRefusedNotRecursedInto) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += R"({"L":[)";
  deep += R"({"NULL":true})";
  for (int i = 0; i < 1000; ++i) deep += "]}";
  auto r = parse_get_item_response(R"({"Item":{"a":)" + deep + "}}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nested more than 32 levels"), std::string::npos) << r.error().message;
  std::string ok;
  for (int i = 0; i < 30; ++i) ok += R"({"L":[)";
  ok += R"({"NULL":true})";
  for (int i = 0; i < 30; ++i) ok += "]}";
  EXPECT_TRUE(parse_get_item_response(R"({"Item":{"a":)" + ok + "}}").ok());
}

TEST(AttributeValue, AccessorsAndLookups) {
  const Item item = every_type();
  EXPECT_EQ(*get_s(item, "s"), "text \"quoted\" \xc3\xa9");
  EXPECT_FALSE(get_s(item, "absent")->has_value());
  EXPECT_FALSE(get_s(item, "n").ok());
  EXPECT_EQ(**get_int64(item, "n"), 42);
  auto frac = get_int64(Item{{"f", AttributeValue::n("1.5")}}, "f");
  ASSERT_FALSE(frac.ok());
  EXPECT_EQ(frac.error().message, "attribute f: \"1.5\" is not a 64-bit integer");
  EXPECT_FALSE(get_int64(Item{{"big", AttributeValue::n("99999999999999999999")}}, "big").ok());
  EXPECT_EQ(find(item, "bool")->as_bool(), false);
  EXPECT_EQ(find(item, "ss")->as_set()->size(), 2u);
  EXPECT_EQ(find(item, "s")->as_n(), nullptr);
  EXPECT_EQ(find(item, "m")->as_m()->size(), 2u);
  EXPECT_EQ(find(item, "l")->as_l()->size(), 3u);
  EXPECT_NE(AttributeValue::ss({"1"}), AttributeValue::ns({"1"}));  // same text, different types
  EXPECT_TRUE(is_valid_number("0"));
  EXPECT_TRUE(is_valid_number("-1.5E+10"));
  EXPECT_TRUE(is_valid_number(".5"));
  EXPECT_FALSE(is_valid_number(""));
  EXPECT_FALSE(is_valid_number("-"));
  EXPECT_FALSE(is_valid_number("1e"));
  EXPECT_FALSE(is_valid_number("1.2.3"));
}

}  // namespace
}  // namespace pk::dynamodb
