#pragma once
// `pulsar-kinesis validate`: what a loaded configuration still needs checked before a daemon could run it, beyond
// the key rules the loader enforces (config/loader.h): each pipeline's settings map to its clients (the same
// factories the daemon uses), the credentials plugin accepts its parameter (the provider is built, nothing is
// fetched), every endpoint parses and its host resolves (DNS), and the admin address is one the endpoint can
// listen on. Every problem is reported, each naming its key as the loader does ("sinks[0].configs.awsEndpoint").
//
// Blocking (DNS); run from main, before any loop.

#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "config/file_kind.h"
#include "config/model.h"
#include "config/problems.h"

namespace pk::app {

struct CheckOptions {
  // Resolves a host name (never called for IP literals). Empty: the system resolver (getaddrinfo).
  std::function<Status(const std::string& host)> resolve;
};

// The problems of `run`, read from a file of `kind` (which decides how keys are named: sinks[i]. in run files).
config::Problems check_run(const config::RunSpec& run, config::FileKind kind, const CheckOptions& options = {});

// The system resolver: ok when `host` has at least one address. The error says why not ("Name or service not
// known").
Status resolve_host(const std::string& host);

}  // namespace pk::app
