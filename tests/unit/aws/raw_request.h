#pragma once
// Parses a raw HTTP/1.1 request as written in the AWS SigV4 suite's request.txt: request line (the target may
// contain spaces), "Name:value" header lines, folded continuation lines (joined with one space), an empty
// line, then the body. Test helper only.

#include <string_view>

#include "common/result.h"
#include "http/types.h"

namespace pk::aws::testing {

Result<http::Request> parse_raw_request(std::string_view text);

}  // namespace pk::aws::testing
