#pragma once
// The commands behind the command line (cli.h): `validate` and the pipeline commands (sink, source, run), each
// returning the process's exit code. They write to stdout / stderr and, for the daemon, set up the log output.

#include <string_view>

#include "app/cli.h"

namespace pk::app {

// Loads the file (its kind told by --kind or its keys), checks it completely (config_check.h) and prints the
// effective configuration (secrets masked) on stdout, warnings and problems on stderr. 0 when valid, else 2.
int validate_command(const CommandLine& line);

// Loads the file of the command's kind and runs the daemon until it is stopped. 0, 1 or 2 (daemon.h).
int daemon_command(const CommandLine& line, std::string_view version);

}  // namespace pk::app
