#pragma once
// Finding things through the binary protocol: which broker serves a topic (LOOKUP, following up to 20 redirects
// with the authoritative flag the broker returns, and going through the service URL when the broker says
// proxy_through_service_url), how many partitions it has (PARTITIONED_METADATA), which topics a namespace holds
// (GET_TOPICS_OF_NAMESPACE, for regex subscriptions) and a topic's schema (GET_SCHEMA).
// Requests go to the service URL's hosts, moving to the next host when one cannot be reached.
// Owned by the client's shared state; used on the client's loop only.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "pulsar/client/connection_pool.h"
#include "pulsar/client/service_url.h"

namespace pk::pulsar {

inline constexpr int kMaxLookupRedirects = 20;

// Where a topic lives and how to reach it.
struct BrokerAddress {
  std::string logical_url;      // the broker's own URL (pool key)
  net::Endpoint physical;       // what to dial: the broker, or the service URL host acting as proxy
  std::string proxy_to_broker;  // "host:port" when `physical` is a proxy, else empty
};

// A topic's schema as GET_SCHEMA returns it.
struct SchemaInfo {
  int type = 0;           // pb::Schema::Type value (0 None, 1 String, 2 Json, 4 Avro, ...)
  std::string type_name;  // "Json", "Avro", ...
  std::string name;
  std::string definition;  // schema_data: the Avro/JSON schema text for those types
  std::vector<std::pair<std::string, std::string>> properties;
  std::string version;  // opaque schema_version bytes
};

enum class TopicDomain { kPersistent = 0, kNonPersistent = 1, kAll = 2 };

class LookupService {
 public:
  LookupService(ServiceUrl service_url, ConnectionPool& pool);

  boost::asio::awaitable<Result<BrokerAddress>> lookup(std::string topic);
  // 0 for a non-partitioned topic.
  boost::asio::awaitable<Result<uint32_t>> partitions(std::string topic);
  // Full topic names (partitions listed individually), as the broker returns them.
  boost::asio::awaitable<Result<std::vector<std::string>>> topics_of_namespace(std::string ns, TopicDomain domain);
  // The topic's latest schema (or `version`); kNotFound when it has none.
  boost::asio::awaitable<Result<SchemaInfo>> schema(std::string topic, std::optional<std::string> version);

  // A connection to the service URL (to one of its hosts).
  boost::asio::awaitable<Result<std::shared_ptr<Connection>>> service_connection();
  const ServiceUrl& service_url() const { return service_url_; }

 private:
  ServiceUrl service_url_;
  ConnectionPool& pool_;
  size_t next_host_ = 0;
};

}  // namespace pk::pulsar
