#pragma once
// Credentials named by a profile of the shared files (~/.aws/config, ~/.aws/credentials; see profile_file.h):
//   role_arn + source_profile | credential_source | web_identity_token_file  -> STS (chained roles allowed)
//   aws_access_key_id + aws_secret_access_key [+ aws_session_token]          -> those keys
//   credential_process                                                       -> the command's output
// in that order of precedence. The files are read (off the loop) at the first get() and the provider tree built
// then is kept; a different AWS_PROFILE later builds a new one. Role credentials are refreshed through caches.
// Errors name the profile, the file and what is missing. Thread-safe.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/credentials_context.h"
#include "aws/profile_file.h"

namespace pk::aws {

class ProfileCredentialsProvider final : public CredentialsProvider {
 public:
  // `profile` empty: AWS_PROFILE, else "default" (looked up at each get()).
  ProfileCredentialsProvider(std::string profile, const CredentialsContext& context);

  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string name() const override;
  void invalidate() override;

  // Builds the provider for `profile` from parsed files (exposed for tests).
  static Result<std::shared_ptr<CredentialsProvider>> resolve(const ProfileSet& files, const std::string& profile,
                                                              const CredentialsContext& context);

 private:
  std::string profile_;
  CredentialsContext context_;
  mutable std::mutex mutex_;
  std::shared_ptr<CredentialsProvider> resolved_;  // guarded by mutex_
  std::string resolved_for_;                       // guarded by mutex_: the profile name it was built for
};

}  // namespace pk::aws
