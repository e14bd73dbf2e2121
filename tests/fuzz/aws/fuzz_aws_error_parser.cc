// AWS error bodies (JSON and query-protocol XML) and the XML reader behind them, on arbitrary bytes.
#include <cstdint>
#include <string_view>

#include "aws/aws_error.h"
#include "aws/xml_lite.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)pk::aws::parse_json_error(body);
  (void)pk::aws::parse_xml_error(body);
  auto doc = pk::aws::parse_xml(body, pk::aws::XmlLimits{32, 10000});
  if (doc.ok()) (void)pk::aws::xml_find_first(*doc, "Code");
  const int status = size > 0 ? 400 + data[0] % 200 : 0;
  const pk::Error e = pk::aws::aws_error_from_response(status, body, "fuzz", size > 2 ? body.substr(0, 2) : "");
  (void)pk::aws::classify_error(e);
  return 0;
}
