#include "aws/query_client.h"

#include <fmt/format.h>

#include "aws/sigv4_canonical.h"

namespace pk::aws {

std::string form_encode(const QueryParams& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out.push_back('&');
    uri_encode_append(k, false, out);
    out.push_back('=');
    uri_encode_append(v, false, out);
  }
  return out;
}

QueryClient::QueryClient(ServiceEndpoint endpoint, std::string api_version, std::string display_name,
                         std::shared_ptr<CredentialsProvider> credentials, std::shared_ptr<http::Http1Client> http,
                         RetryPolicy retry, const Clock& clock)
    : api_version_(std::move(api_version)),
      display_name_(std::move(display_name)),
      call_(std::move(endpoint), std::move(credentials), std::move(http), std::move(retry), clock) {}

boost::asio::awaitable<Result<XmlElement>> QueryClient::call(std::string_view action, QueryParams params) const {
  params.insert(params.begin(), {{"Action", std::string(action)}, {"Version", api_version_}});
  http::Request request;
  request.method = "POST";
  const std::string& path = call_.endpoint().url.path;
  request.target = path.empty() ? std::string("/") : path;
  request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
  request.body = form_encode(params);
  std::string what = fmt::format("{} {}", display_name_, action);
  auto sending = call_.send(std::move(request), what);
  auto response = co_await std::move(sending);
  if (!response.ok()) co_return std::move(response).error();
  auto doc = parse_xml(response->body);
  if (!doc.ok()) co_return doc.error().with_context(what + ": response");
  co_return std::move(*doc);
}

}  // namespace pk::aws
