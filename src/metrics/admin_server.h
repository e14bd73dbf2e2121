#pragma once
// The daemon's admin endpoint: /metrics (the registry in the Prometheus text format), /healthz (alive), /readyz
// (200 or 503 with a JSON reason, from the daemon's readiness callback), /status (JSON, from the status callback)
// and / (the status page, built into the binary). GET and HEAD only (405 otherwise); any other path is 404.
//
//   metrics::Registry registry;
//   metrics::StatusBoard board({.version = PK_VERSION}, SystemClock::instance(), &registry);
//   auto admin = metrics::AdminServer::start(runtime.executor(0), {.address = *http::ListenAddress::parse(text)},
//                                            metrics::AdminSources::of(registry, board));
//   if (!admin.ok()) -> exit 2 with admin.error().message ("cannot listen on 127.0.0.1:9100: Address already in use")
//   ...
//   (*admin)->stop_blocking();   // on shutdown, after the pipelines drained (so a last scrape sees final counts)
//
// Owned by the daemon; the server runs on the executor given to start(). The sources are called on that loop and
// must be thread-safe against the pipelines (Registry and StatusBoard are).

#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "http/http_server.h"
#include "metrics/registry.h"
#include "metrics/status.h"
#include "metrics/status_board.h"

namespace pk::metrics {

struct AdminOptions {
  http::ListenAddress address{.host = "127.0.0.1", .port = 9100};
  http::ServerOptions server = {};
};

// Where the endpoint's answers come from.
struct AdminSources {
  const Registry* registry = nullptr;     // /metrics (empty when null)
  std::function<Readiness()> readiness;   // /readyz (always ready when empty)
  std::function<ProcessStatus()> status;  // /status and the page (no pipelines when empty)

  // Everything from one registry and one board (readiness: every pipeline running).
  static AdminSources of(const Registry& registry, const StatusBoard& board);
};

// The status page (status_page.html), as built into the binary.
std::string_view status_page_html();

// The endpoint's answer to one request, without a server (tests call it directly too).
http::Response admin_response(const AdminSources& sources, const http::Request& request);

class AdminServer {
 public:
  // Errors: kInvalidArgument (not an IP address), kUnavailable naming the address when it cannot be bound.
  static Result<std::unique_ptr<AdminServer>> start(boost::asio::any_io_executor executor, const AdminOptions& options,
                                                    AdminSources sources);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // The address it listens on (the port the system picked when asked for port 0).
  const http::ListenAddress& address() const { return server_->address(); }
  // "http://127.0.0.1:9100/": where the status page is.
  std::string url() const;
  const http::ServerStats& stats() const { return server_->stats(); }

  boost::asio::awaitable<void> stop() { return server_->stop(); }
  void stop_blocking() { server_->stop_blocking(); }

  explicit AdminServer(std::shared_ptr<http::HttpServer> server) : server_(std::move(server)) {}

 private:
  std::shared_ptr<http::HttpServer> server_;
};

}  // namespace pk::metrics
