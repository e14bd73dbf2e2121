#include "app/config_check.h"

#include <netdb.h>
#include <sys/socket.h>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/thread_pool.hpp>

#include "app/aws_setup.h"
#include "app/pulsar_options.h"
#include "app/sink_factory.h"
#include "app/source_factory.h"
#include "aws/endpoints.h"
#include "http/http_server.h"
#include "pulsar/client/service_url.h"

namespace pk::app {

namespace {

namespace asio = boost::asio;

// Errors of the factories start with the key they are about ("configs.awsCredentialPluginParam: what"): the key
// joins the path, the rest is the message.
void add_keyed(config::Problems& problems, const std::string& path, std::string_view section,
               const std::string& message) {
  const std::string prefix = std::string(section) + ".";
  const size_t colon = message.find(": ");
  if (message.starts_with(prefix) && colon != std::string::npos) {
    problems.add(config::join_path(path, message.substr(0, colon)), message.substr(colon + 2));
    return;
  }
  problems.add(config::join_path(path, section), message);
}

class Checker {
 public:
  Checker(config::Problems& problems, const CheckOptions& options) : problems_(problems), options_(options) {}

  void host(const std::string& path, const std::string& host) {
    boost::system::error_code ec;
    (void)asio::ip::make_address(host, ec);
    if (!ec) return;  // an IP literal
    Status resolved = options_.resolve ? options_.resolve(host) : resolve_host(host);
    if (!resolved.ok()) {
      problems_.add(path, fmt::format("host \"{}\" does not resolve: {}", host, resolved.error().message));
    }
  }

  // An AWS endpoint (or the region's) of `service`: it parses and its host resolves.
  void aws_endpoint(const std::string& path, std::string service, const config::AwsSettings& aws,
                    const std::string& endpoint, std::optional<int64_t> port) {
    std::optional<uint32_t> p;
    if (port) p = static_cast<uint32_t>(*port);
    auto resolved = aws::resolve_endpoint({std::move(service), aws.region, endpoint, p});
    if (!resolved.ok()) {
      problems_.add(path, resolved.error().message);
      return;
    }
    host(path, resolved->url.host);
  }

  void pulsar(const std::string& pipeline, const config::PulsarClientConfig& config) {
    const std::string path = config::join_path(pipeline, "pulsar");
    auto options = pulsar_client_options(config);
    if (!options.ok()) {
      add_keyed(problems_, pipeline, "pulsar", options.error().message);
      return;
    }
    auto url = pulsar::parse_service_url(config.service_url);
    if (!url.ok()) {
      problems_.add(config::join_path(path, "serviceUrl"), url.error().message);
      return;
    }
    for (const auto& endpoint : url->hosts) host(config::join_path(path, "serviceUrl"), endpoint.host);
  }

  // The provider of awsCredentialPluginName / awsCredentialPluginParam, built and dropped (nothing fetched).
  void credentials(const std::string& pipeline, const config::AwsSettings& aws, const std::string& sts_endpoint,
                   std::optional<int64_t> sts_port) {
    asio::io_context loop;
    asio::thread_pool blocking(1);
    CredentialsSetup setup{loop.get_executor(), &blocking,    {},
                           sts_endpoint,        std::nullopt, std::chrono::milliseconds(5000)};
    if (sts_port) setup.sts_port = static_cast<uint32_t>(*sts_port);
    {
      auto provider = credentials_provider(aws, setup);
      if (!provider.ok()) add_keyed(problems_, pipeline, "configs", provider.error().message);
    }
    loop.poll();  // clean-up the provider posted to its loop
    blocking.join();
  }

  void sink(const std::string& path, const config::SinkSpec& spec) {
    const std::string configs = config::join_path(path, "configs");
    const config::SinkConfigs& c = spec.configs;
    (void)sink_pipeline_settings(spec);
    pulsar(path, spec.pulsar);
    aws_endpoint(config::join_path(configs, "awsEndpoint"), "kinesis", c.aws, c.aws.endpoint, c.aws_endpoint_port);
    if (!c.aws.cloudwatch_endpoint.empty()) {
      aws_endpoint(config::join_path(configs, "cloudwatchEndpoint"), "monitoring", c.aws, c.aws.cloudwatch_endpoint,
                   c.cloudwatch_port);
    }
    if (!c.aws_sts_endpoint.empty()) {
      aws_endpoint(config::join_path(configs, "awsStsEndpoint"), "sts", c.aws, c.aws_sts_endpoint, c.aws_sts_port);
    }
    credentials(path, c.aws, c.aws_sts_endpoint, c.aws_sts_port);
  }

  void source(const std::string& path, const config::SourceSpec& spec) {
    const std::string configs = config::join_path(path, "configs");
    const config::SourceConfigs& c = spec.configs;
    auto settings = source_settings(spec);
    if (!settings.ok()) add_keyed(problems_, path, "configs", settings.error().message);
    pulsar(path, spec.pulsar);
    aws_endpoint(config::join_path(configs, "awsEndpoint"), "kinesis", c.aws, c.aws.endpoint, std::nullopt);
    aws_endpoint(config::join_path(configs, "dynamoEndpoint"), "dynamodb", c.aws, c.dynamo_endpoint, std::nullopt);
    if (!c.aws.cloudwatch_endpoint.empty()) {
      aws_endpoint(config::join_path(configs, "cloudwatchEndpoint"), "monitoring", c.aws, c.aws.cloudwatch_endpoint,
                   std::nullopt);
    }
    credentials(path, c.aws, "", std::nullopt);
  }

  void daemon(const config::DaemonConfig& daemon) {
    if (!daemon.admin.enabled) return;
    auto address = http::ListenAddress::parse(daemon.admin.address);
    if (!address.ok()) problems_.add("admin.address", address.error().message);
  }

 private:
  config::Problems& problems_;
  const CheckOptions& options_;
};

}  // namespace

Status resolve_host(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0) return make_error(ErrorCode::kNotFound, ::gai_strerror(rc));
  ::freeaddrinfo(found);
  return Status();
}

config::Problems check_run(const config::RunSpec& run, config::FileKind kind, const CheckOptions& options) {
  config::Problems problems;
  Checker check(problems, options);
  const bool listed = kind == config::FileKind::kRun;
  for (size_t i = 0; i < run.sinks.size(); ++i) {
    check.sink(listed ? fmt::format("sinks[{}]", i) : std::string(), run.sinks[i]);
  }
  for (size_t i = 0; i < run.sources.size(); ++i) {
    check.source(listed ? fmt::format("sources[{}]", i) : std::string(), run.sources[i]);
  }
  check.daemon(run.daemon);
  return problems;
}

}  // namespace pk::app
