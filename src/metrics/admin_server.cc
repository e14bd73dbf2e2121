#include "metrics/admin_server.h"

#include <fmt/format.h>

namespace pk::metrics {
namespace {

using http::Header;
using http::Response;

// Headers every answer carries: nothing is cached (the numbers change every second) or sniffed.
std::vector<Header> headers_with(std::string_view content_type) {
  return {{"Content-Type", std::string(content_type)},
          {"Cache-Control", "no-store"},
          {"X-Content-Type-Options", "nosniff"}};
}

Response answer(int status, std::string_view content_type, std::string body) {
  return Response{.status = status, .headers = headers_with(content_type), .body = std::move(body)};
}

constexpr std::string_view kText = "text/plain; charset=utf-8";
constexpr std::string_view kJson = "application/json";

Response page() {
  Response r = answer(200, "text/html; charset=utf-8", std::string(status_page_html()));
  // The page is self-contained: its inline script and style, and fetches of /status, are all it may use.
  r.headers.push_back({"Content-Security-Policy",
                       "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                       "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
                       "frame-ancestors 'none'"});
  return r;
}

}  // namespace

AdminSources AdminSources::of(const Registry& registry, const StatusBoard& board) {
  return AdminSources{.registry = &registry,
                      .readiness = [&board] { return board.readiness(); },
                      .status = [&board] { return board.snapshot(); }};
}

Response admin_response(const AdminSources& sources, const http::Request& request) {
  const std::string_view path = http::target_path(request.target);
  const bool known = path == "/" || path == "/metrics" || path == "/healthz" || path == "/readyz" || path == "/status";
  if (!known) return answer(404, kText, "not found; try /, /metrics, /healthz, /readyz or /status\n");
  if (request.method != "GET" && request.method != "HEAD") {
    Response r = answer(405, kText, "only GET and HEAD\n");
    r.headers.push_back({"Allow", "GET, HEAD"});
    return r;
  }
  if (path == "/metrics") {
    return answer(200, Registry::kContentType, sources.registry != nullptr ? sources.registry->render() : "");
  }
  if (path == "/healthz") return answer(200, kText, "ok\n");
  if (path == "/readyz") {
    const Readiness ready = sources.readiness ? sources.readiness() : Readiness{.ready = true, .reason = "ready"};
    return answer(ready.ready ? 200 : 503, kJson, to_json(ready));
  }
  if (path == "/status") return answer(200, kJson, to_json(sources.status ? sources.status() : ProcessStatus{}));
  return page();
}

Result<std::unique_ptr<AdminServer>> AdminServer::start(boost::asio::any_io_executor executor,
                                                        const AdminOptions& options, AdminSources sources) {
  auto handler = [sources = std::move(sources)](const http::Request& request) {
    return admin_response(sources, request);
  };
  PK_ASSIGN_OR_RETURN(
      auto server, http::HttpServer::start(std::move(executor), options.address, options.server, std::move(handler)));
  return std::make_unique<AdminServer>(std::move(server));
}

AdminServer::~AdminServer() = default;

std::string AdminServer::url() const {
  return fmt::format("http://{}/", address().to_string());
}

}  // namespace pk::metrics
