#include "aws/process_credentials_provider.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "aws/credentials_json.h"
#include "net/blocking.h"

extern char** environ;

namespace pk::aws {
namespace {

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

Result<ProcessOutput> run_process(const std::string& command, std::chrono::milliseconds timeout, size_t max_output) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return make_error(ErrorCode::kIo, fmt::format("credential_process: pipe: {}", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return make_error(ErrorCode::kIo, fmt::format("credential_process: cannot start /bin/sh: {}", std::strerror(rc)));
  }

  ProcessOutput result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  bool timed_out = false;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    const int ready = poll(&pfd, 1, static_cast<int>(std::min<int64_t>(left, 1000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF (or error): the command closed its stdout
    if (result.out.size() + static_cast<size_t>(n) > max_output) {
      close(fds[0]);
      kill(pid, SIGKILL);
      wait_for(pid);
      return make_error(ErrorCode::kMalformedInput,
                        fmt::format("credential_process: output larger than {} bytes", max_output));
    }
    result.out.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  if (timed_out) {
    kill(pid, SIGKILL);
    wait_for(pid);
    return make_error(
        ErrorCode::kTimeout,
        fmt::format("credential_process: no result within {} ms; the command was killed", timeout.count()));
  }
  result.exit_code = wait_for(pid);
  return result;
}

boost::asio::awaitable<Result<Credentials>> ProcessCredentialsProvider::get() {
  std::function<Result<Credentials>()> work = [command = command_, timeout = timeout_,
                                               profile = profile_]() -> Result<Credentials> {
    PK_ASSIGN_OR_RETURN(ProcessOutput output, run_process(command, timeout));
    if (output.exit_code != 0) {
      return make_error(
          ErrorCode::kUnauthenticated,
          fmt::format("credential_process of profile {} exited with status {}", profile, output.exit_code));
    }
    auto creds = parse_process_credentials(output.out);
    if (!creds.ok()) return creds.error().with_context("profile " + profile);
    return creds;
  };
  auto running = net::run_blocking<Credentials>(blocking_, std::move(work));
  co_return co_await std::move(running);
}

}  // namespace pk::aws
