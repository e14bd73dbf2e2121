#include "aws/aws_error.h"

#include <gtest/gtest.h>

namespace pk::aws {
namespace {

TEST(ParseJsonError, StripsThePrefixAndReadsEitherMessageSpelling) {
  auto e = parse_json_error(
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"})");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->type, "ConditionalCheckFailedException");
  EXPECT_EQ(e->message, "The conditional request failed");

  e = parse_json_error(R"({"__type":"ResourceNotFoundException","Message":"Stream s not found"})");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->type, "ResourceNotFoundException");
  EXPECT_EQ(e->message, "Stream s not found");

  e = parse_json_error(R"({"__type":"ValidationException:http://internal.amazon.com/coral/","message":null})");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->type, "ValidationException");
  EXPECT_EQ(e->message, "");
}

TEST(ParseJsonError, RejectsWhatIsNotAnErrorObject) {
  EXPECT_FALSE(parse_json_error("").has_value());
  EXPECT_FALSE(parse_json_error("<html>bad gateway</html>").has_value());
  EXPECT_FALSE(parse_json_error("[1,2]").has_value());
  EXPECT_FALSE(parse_json_error(R"({"message":"no type"})").has_value());
  EXPECT_FALSE(parse_json_error(R"({"__type":42})").has_value());
  EXPECT_FALSE(parse_json_error(R"({"__type":"X")").has_value());
}

TEST(ParseXmlError, ReadsQueryProtocolErrors) {
  const std::string sts = R"(<?xml version="1.0" encoding="UTF-8"?>
<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>AccessDenied</Code>
    <Message>User: arn:aws:iam::123:user/x is not authorized to perform: sts:AssumeRole &amp; more</Message>
  </Error>
  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
</ErrorResponse>)";
  auto e = parse_xml_error(sts);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->type, "AccessDenied");
  EXPECT_EQ(e->message, "User: arn:aws:iam::123:user/x is not authorized to perform: sts:AssumeRole & more");

  auto ec2 = parse_xml_error(
      "<Response><Errors><Error><Code>AuthFailure</Code><Message>m</Message></Error></Errors></Response>");
  ASSERT_TRUE(ec2.has_value());
  EXPECT_EQ(ec2->type, "AuthFailure");

  EXPECT_FALSE(parse_xml_error("<ErrorResponse><Error><Code>X</Code>").has_value()) << "unclosed";
  EXPECT_FALSE(parse_xml_error("<Other/>").has_value());
  EXPECT_FALSE(parse_xml_error("not xml").has_value());
}

struct ClassCase {
  int status;
  std::string type;
  RetryClass cls;
  ErrorCode code;
};

TEST(Classification, FollowsTheSpecTable) {
  const std::vector<ClassCase> cases = {
      {400, "ProvisionedThroughputExceededException", RetryClass::kThrottling, ErrorCode::kThrottled},
      {400, "LimitExceededException", RetryClass::kThrottling, ErrorCode::kThrottled},
      {400, "ThrottlingException", RetryClass::kThrottling, ErrorCode::kThrottled},
      {400, "KMSThrottlingException", RetryClass::kThrottling, ErrorCode::kThrottled},
      {400, "Throttling", RetryClass::kThrottling, ErrorCode::kThrottled},
      {500, "InternalFailure", RetryClass::kTransient, ErrorCode::kUnavailable},
      {503, "ServiceUnavailable", RetryClass::kTransient, ErrorCode::kUnavailable},
      {500, "", RetryClass::kTransient, ErrorCode::kUnavailable},
      {502, "", RetryClass::kTransient, ErrorCode::kUnavailable},
      {503, "", RetryClass::kTransient, ErrorCode::kUnavailable},
      {504, "", RetryClass::kTransient, ErrorCode::kUnavailable},
      {0, "", RetryClass::kTransient, ErrorCode::kIo},
      {429, "", RetryClass::kThrottling, ErrorCode::kThrottled},
      {400, "ResourceInUseException", RetryClass::kRetryAfterDelay, ErrorCode::kUnavailable},
      {400, "ExpiredIteratorException", RetryClass::kExpiredIterator, ErrorCode::kInvalidArgument},
      {400, "ExpiredNextTokenException", RetryClass::kExpiredNextToken, ErrorCode::kInvalidArgument},
      {400, "InvalidArgumentException", RetryClass::kFatal, ErrorCode::kInvalidArgument},
      {400, "ValidationException", RetryClass::kFatal, ErrorCode::kInvalidArgument},
      {400, "AccessDeniedException", RetryClass::kFatal, ErrorCode::kPermissionDenied},
      {400, "ResourceNotFoundException", RetryClass::kFatal, ErrorCode::kNotFound},
      {400, "KMSDisabledException", RetryClass::kFatal, ErrorCode::kInvalidArgument},
      {400, "KMSNotFoundException", RetryClass::kFatal, ErrorCode::kNotFound},
      {400, "KMSAccessDeniedException", RetryClass::kFatal, ErrorCode::kPermissionDenied},
      {400, "ConditionalCheckFailedException", RetryClass::kFatal, ErrorCode::kConflict},
      {400, "UnrecognizedClientException", RetryClass::kFatal, ErrorCode::kUnauthenticated},
      {403, "InvalidSignatureException", RetryClass::kFatal, ErrorCode::kUnauthenticated},
      {403, "SignatureDoesNotMatch", RetryClass::kFatal, ErrorCode::kUnauthenticated},
      {400, "ExpiredTokenException", RetryClass::kFatal, ErrorCode::kUnauthenticated},
      {403, "", RetryClass::kFatal, ErrorCode::kPermissionDenied},
      {401, "", RetryClass::kFatal, ErrorCode::kUnauthenticated},
      {404, "", RetryClass::kFatal, ErrorCode::kNotFound},
      {400, "", RetryClass::kFatal, ErrorCode::kInvalidArgument},
      {501, "", RetryClass::kFatal, ErrorCode::kUnsupported},
      {400, "SomethingNewException", RetryClass::kFatal, ErrorCode::kInvalidArgument},
      {500, "SomethingNewException", RetryClass::kTransient, ErrorCode::kUnavailable},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(classify_aws_error(c.status, c.type), c.cls) << c.status << " " << c.type;
    EXPECT_EQ(error_code_for(c.status, c.type), c.code) << c.status << " " << c.type;
  }
}

TEST(AwsErrorFromResponse, SetsTypeCodeAndAMessageNamingTheCall) {
  Error e = aws_error_from_response(
      400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"failed"})",
      "DynamoDB UpdateItem");
  EXPECT_EQ(e.code, ErrorCode::kConflict);
  EXPECT_EQ(e.type, "ConditionalCheckFailedException");
  EXPECT_EQ(e.message, "DynamoDB UpdateItem: ConditionalCheckFailedException: failed (HTTP 400)");
  EXPECT_EQ(classify_error(e), RetryClass::kFatal);

  Error x = aws_error_from_response(
      400, "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>",
      "STS AssumeRole");
  EXPECT_EQ(x.code, ErrorCode::kThrottled);
  EXPECT_EQ(x.type, "Throttling");
  EXPECT_EQ(classify_error(x), RetryClass::kThrottling);

  Error h = aws_error_from_response(400, "{}", "Kinesis PutRecords", "ExpiredIteratorException:http://x");
  EXPECT_EQ(h.type, "ExpiredIteratorException");
  EXPECT_EQ(classify_error(h), RetryClass::kExpiredIterator);

  Error html = aws_error_from_response(502, "<html><body>Bad Gateway</body></html>", "Kinesis ListShards");
  EXPECT_EQ(html.code, ErrorCode::kUnavailable);
  EXPECT_TRUE(html.type.empty());
  EXPECT_NE(html.message.find("HTTP 502"), std::string::npos);
  EXPECT_EQ(classify_error(html), RetryClass::kTransient);

  Error big = aws_error_from_response(500, std::string(100000, 'x'), "op");
  EXPECT_LT(big.message.size(), 400u) << "a huge body is shortened";
  Error empty = aws_error_from_response(503, "", "op");
  EXPECT_NE(empty.message.find("empty body"), std::string::npos);
}

TEST(ClassifyError, FallsBackToTheCodeForLocalErrors) {
  EXPECT_EQ(classify_error(make_error(ErrorCode::kTimeout, "t")), RetryClass::kTransient);
  EXPECT_EQ(classify_error(make_error(ErrorCode::kIo, "reset")), RetryClass::kTransient);
  EXPECT_EQ(classify_error(make_error(ErrorCode::kInvalidArgument, "x")), RetryClass::kFatal);
  EXPECT_EQ(classify_error(make_error(ErrorCode::kUnavailable, "x", "ResourceInUseException")),
            RetryClass::kRetryAfterDelay);
}

TEST(SanitizeErrorType, HandlesPrefixesAndSuffixes) {
  EXPECT_EQ(sanitize_error_type("a.b#C"), "C");
  EXPECT_EQ(sanitize_error_type("C:http://x#y"), "C");
  EXPECT_EQ(sanitize_error_type("ns#C:http://u"), "C");
  EXPECT_EQ(sanitize_error_type(""), "");
}

}  // namespace
}  // namespace pk::aws
