#include "pulsar/client/lookup.h"

#include <fmt/format.h>

#include "pulsar/client/server_error.h"

namespace pk::pulsar {
namespace asio = boost::asio;

LookupService::LookupService(ServiceUrl service_url, ConnectionPool& pool)
    : service_url_(std::move(service_url)), pool_(pool) {}

asio::awaitable<Result<std::shared_ptr<Connection>>> LookupService::service_connection() {
  std::optional<Error> last;
  for (size_t tried = 0; tried < service_url_.hosts.size(); ++tried) {
    const size_t i = next_host_ % service_url_.hosts.size();
    auto getting = pool_.get(service_url_.host_url(i), service_url_.hosts[i], std::string());
    auto conn = co_await std::move(getting);
    if (conn.ok()) co_return conn;
    last = std::move(conn).error();
    if (!last->retryable()) break;  // e.g. bad credentials: the next host will say the same
    ++next_host_;                   // try the next host now, and start there next time
  }
  co_return *last;
}

asio::awaitable<Result<BrokerAddress>> LookupService::lookup(std::string topic) {
  PK_CO_ASSIGN_OR_RETURN(auto conn, co_await service_connection());
  const size_t service_host = next_host_ % service_url_.hosts.size();
  bool authoritative = false;
  for (int redirects = 0; redirects <= kMaxLookupRedirects; ++redirects) {
    pb::BaseCommand cmd;
    cmd.set_type(pb::BaseCommand::LOOKUP);
    auto* l = cmd.mutable_lookuptopic();
    l->set_topic(topic);
    l->set_authoritative(authoritative);
    auto requesting = conn->request(std::move(cmd), "lookup " + topic);
    PK_CO_ASSIGN_OR_RETURN(auto response, co_await std::move(requesting));
    const auto& r = response.lookuptopicresponse();
    if (r.response() == pb::CommandLookupTopicResponse::Failed) {
      co_return server_error(r.error(), r.message(), "lookup " + topic);
    }
    const std::string& url = service_url_.tls ? r.brokerserviceurltls() : r.brokerserviceurl();
    if (url.empty()) {
      co_return make_error(ErrorCode::kMalformedInput, fmt::format("lookup {}: the broker named no {}broker URL", topic,
                                                                   service_url_.tls ? "TLS " : ""));
    }
    bool url_tls = false;
    PK_CO_ASSIGN_OR_RETURN(auto broker, parse_broker_url(url, &url_tls));
    BrokerAddress address;
    address.logical_url = url;
    if (r.proxy_through_service_url()) {
      address.physical = service_url_.hosts[service_host];
      address.proxy_to_broker = broker.to_string();
      if (address.proxy_to_broker == address.physical.to_string()) {
        // The service host is the broker itself (a standalone says "proxy" this way): use its connection.
        address.logical_url = service_url_.host_url(service_host);
        address.proxy_to_broker.clear();
      }
    } else {
      address.physical = broker;
    }
    if (r.response() == pb::CommandLookupTopicResponse::Connect) co_return address;
    // Redirect: ask the named broker, with the authoritative flag it gave.
    authoritative = r.authoritative();
    auto getting = pool_.get(address.logical_url, address.physical, address.proxy_to_broker);
    PK_CO_ASSIGN_OR_RETURN(conn, co_await std::move(getting));
  }
  co_return make_error(ErrorCode::kUnavailable,
                       fmt::format("lookup {}: more than {} redirects", topic, kMaxLookupRedirects));
}

asio::awaitable<Result<uint32_t>> LookupService::partitions(std::string topic) {
  PK_CO_ASSIGN_OR_RETURN(auto conn, co_await service_connection());
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::PARTITIONED_METADATA);
  cmd.mutable_partitionmetadata()->set_topic(topic);
  auto requesting = conn->request(std::move(cmd), "partitioned metadata of " + topic);
  PK_CO_ASSIGN_OR_RETURN(auto response, co_await std::move(requesting));
  const auto& r = response.partitionmetadataresponse();
  if (r.has_response() && r.response() == pb::CommandPartitionedTopicMetadataResponse::Failed) {
    co_return server_error(r.error(), r.message(), "partitioned metadata of " + topic);
  }
  co_return r.partitions();
}

asio::awaitable<Result<std::vector<std::string>>> LookupService::topics_of_namespace(std::string ns,
                                                                                     TopicDomain domain) {
  PK_CO_ASSIGN_OR_RETURN(auto conn, co_await service_connection());
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::GET_TOPICS_OF_NAMESPACE);
  auto* g = cmd.mutable_gettopicsofnamespace();
  g->set_namespace_(ns);
  g->set_mode(static_cast<pb::CommandGetTopicsOfNamespace::Mode>(domain));
  auto requesting = conn->request(std::move(cmd), "topics of namespace " + ns);
  PK_CO_ASSIGN_OR_RETURN(auto response, co_await std::move(requesting));
  const auto& topics = response.gettopicsofnamespaceresponse().topics();
  co_return std::vector<std::string>(topics.begin(), topics.end());
}

asio::awaitable<Result<SchemaInfo>> LookupService::schema(std::string topic, std::optional<std::string> version) {
  PK_CO_ASSIGN_OR_RETURN(auto conn, co_await service_connection());
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::GET_SCHEMA);
  auto* g = cmd.mutable_getschema();
  g->set_topic(topic);
  if (version) g->set_schema_version(*version);
  auto requesting = conn->request(std::move(cmd), "schema of " + topic);
  PK_CO_ASSIGN_OR_RETURN(auto response, co_await std::move(requesting));
  const auto& r = response.getschemaresponse();
  if (r.has_error_code()) {
    Error e = server_error(r.error_code(), r.error_message(), "schema of " + topic);
    // "Topic not found or no-schema" is how the broker says the topic has no schema.
    if (r.error_code() == pb::TopicNotFound) e.code = ErrorCode::kNotFound;
    co_return e;
  }
  if (!r.has_schema()) co_return make_error(ErrorCode::kNotFound, "schema of " + topic + ": the topic has none");
  SchemaInfo info;
  info.type = r.schema().type();
  info.type_name = pb::Schema::Type_Name(r.schema().type());
  info.name = r.schema().name();
  info.definition = r.schema().schema_data();
  for (const auto& kv : r.schema().properties()) info.properties.emplace_back(kv.key(), kv.value());
  info.version = r.schema_version();
  co_return info;
}

}  // namespace pk::pulsar
