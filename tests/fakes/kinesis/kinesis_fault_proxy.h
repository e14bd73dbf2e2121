#pragma once
// A fault-injecting proxy in front of a real Kinesis (kinesis-mock's plain port), for what no emulator does:
// partial PutRecords failures, throttling, server errors and slow answers.
//
//   KinesisFaultProxy proxy(server_env("PK_KINESIS_PLAIN_ENDPOINT"));
//   proxy.fail_entries([](const ProxiedEntry& e) -> std::optional<std::string> {
//     if (e.attempt_of_key == 0) return "ProvisionedThroughputExceededException";   // refuse, not stored
//     return std::nullopt;                                                           // forward
//   });
//   ... point the client at proxy.url() ...
//
// A refused PutRecords entry is NOT forwarded: the upstream stores only the others, and the answer carries the
// error at the refused entry's index, exactly like a real partial failure (so a retry that succeeds stores the
// record once). Every other operation is forwarded as it is. Runs on its own thread (FakeHttpServer); the
// upstream calls block that thread, so the proxy answers one request at a time. Thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "fake_http_server.h"

namespace pk::testing {

struct ProxiedEntry {
  std::string partition_key;
  std::string data_base64;
  size_t index = 0;            // in its request
  size_t request = 0;          // PutRecords requests seen so far, this one included (1 = first)
  size_t attempt_of_key = 0;   // entries with this partition key the proxy saw before this one
  size_t attempt_of_data = 0;  // entries with these exact bytes the proxy saw before (retries of one record)
};

class KinesisFaultProxy {
 public:
  // The error code to answer an entry with (not forwarded), or nullopt to forward it.
  using EntryFault = std::function<std::optional<std::string>(const ProxiedEntry&)>;
  // A reply to answer a whole PutRecords request with (not forwarded), or nullopt to forward it.
  using RequestFault = std::function<std::optional<Reply>(size_t request)>;

  explicit KinesisFaultProxy(std::string upstream_url);

  std::string url() const { return server_.url(); }
  void fail_entries(EntryFault fault);
  void fail_requests(RequestFault fault);

  size_t put_requests() const;
  size_t entries_refused() const;
  size_t entries_forwarded() const;

 private:
  Reply handle(const RecordedRequest& request);
  Reply forward(const RecordedRequest& request, const std::string& body);
  Reply put_records(const RecordedRequest& request);

  std::string upstream_host_;
  std::string upstream_port_;
  mutable std::mutex mutex_;
  EntryFault entry_fault_;
  RequestFault request_fault_;
  std::map<std::string, size_t> seen_keys_;
  std::map<std::string, size_t> seen_data_;
  size_t put_requests_ = 0;
  size_t refused_ = 0;
  size_t forwarded_ = 0;
  FakeHttpServer server_;  // last: its thread stops first
};

}  // namespace pk::testing
