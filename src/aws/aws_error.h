#pragma once
// AWS error responses: parsing (JSON protocol bodies, query-protocol XML bodies, the x-amzn-ErrorType header),
// classification into retry classes, and mapping to our Error (code + message + `type` = the AWS error name).
// Pure functions over bytes (no coroutines): fuzzed by fuzz_aws_error_parser.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pk::aws {

struct AwsErrorInfo {
  std::string type;     // "ProvisionedThroughputExceededException", prefix ("ns#") and suffix (":url") removed
  std::string message;  // the service's message, possibly empty
};

// {"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "message": "..."}; also "code" /
// "Code" for the type and "Message" for the message. nullopt when the body is not a JSON object with a type.
std::optional<AwsErrorInfo> parse_json_error(std::string_view body);

// <ErrorResponse><Error><Code>..</Code><Message>..</Message></Error></ErrorResponse> (STS, CloudWatch), and the
// <Response><Errors><Error> and bare <Error> variants. nullopt when no Error/Code element is found.
std::optional<AwsErrorInfo> parse_xml_error(std::string_view body);

// "ns#Name:http://..." -> "Name".
std::string_view sanitize_error_type(std::string_view type);

// What a caller should do about an error.
enum class RetryClass {
  kThrottling,        // slow down: retry with backoff
  kTransient,         // server or connection fault: retry with backoff
  kRetryAfterDelay,   // ResourceInUseException: the resource is busy; retry after a delay (caller decides)
  kExpiredIterator,   // get a new shard iterator
  kExpiredNextToken,  // restart the listing
  kFatal,             // retrying cannot help
};
std::string_view to_string(RetryClass c);

// Classifies by AWS error type first, then by HTTP status (0 = no response: a connection error, transient).
RetryClass classify_aws_error(int http_status, std::string_view type);
// The same for an Error built by aws_error_from_response (uses `type`, else the code).
RetryClass classify_error(const Error& error);

// Our error code for an AWS error type / HTTP status.
ErrorCode error_code_for(int http_status, std::string_view type);

// Builds the Error for a failed response: code from type/status, type set, message
// "<what>: <Type>: <message> (HTTP <status>)". `error_type_header` is x-amzn-ErrorType when present.
// The body is parsed as JSON or XML, whichever it looks like; an unparseable body is quoted (shortened).
Error aws_error_from_response(int http_status, std::string_view body, std::string_view what,
                              std::string_view error_type_header = {});

}  // namespace pk::aws
