#include "aws/profile_credentials_provider.h"

#include <fmt/format.h>

#include "aws/caching_credentials_provider.h"
#include "aws/container_credentials_provider.h"
#include "aws/environment_credentials_provider.h"
#include "aws/imds_credentials_provider.h"
#include "aws/process_credentials_provider.h"
#include "aws/static_credentials_provider.h"
#include "aws/sts_assume_role_credentials_provider.h"
#include "aws/web_identity_credentials_provider.h"
#include "net/blocking.h"

namespace pk::aws {
namespace {

constexpr size_t kMaxRoleChain = 8;

Error missing(const std::string& profile, const ProfileSet& files, std::string what) {
  return make_error(ErrorCode::kUnauthenticated, fmt::format("profile {}: {} (files {} and {})", profile, what,
                                                             files.config_path, files.credentials_path));
}

std::shared_ptr<CredentialsProvider> cached(std::shared_ptr<CredentialsProvider> p, const CredentialsContext& ctx) {
  return std::make_shared<CachingCredentialsProvider>(
      std::move(p), CacheOptions{ctx.refresh_check_interval, ctx.refresh_margin}, *ctx.clock);
}

Result<std::shared_ptr<CredentialsProvider>> static_keys(const Profile& p, const ProfileSet& files) {
  if (!p.has("aws_secret_access_key")) return missing(p.name, files, "aws_access_key_id without aws_secret_access_key");
  Credentials c;
  c.access_key_id = std::string(p.get("aws_access_key_id"));
  c.secret_access_key = std::string(p.get("aws_secret_access_key"));
  c.session_token = std::string(p.get("aws_session_token"));
  return std::shared_ptr<CredentialsProvider>(
      std::make_shared<StaticCredentialsProvider>(std::move(c), "profile " + p.name));
}

Result<std::shared_ptr<CredentialsProvider>> resolve_in(const ProfileSet& files, const std::string& name,
                                                        std::vector<std::string>& visiting,
                                                        const CredentialsContext& context) {
  const Profile* p = files.find(name);
  if (p == nullptr) return missing(name, files, "not found");
  if (visiting.size() > kMaxRoleChain) return missing(name, files, "role chain longer than 8 profiles");
  visiting.push_back(name);

  if (p->has("role_arn")) {
    const std::string role_arn(p->get("role_arn"));
    if (p->has("web_identity_token_file")) {
      WebIdentityConfig config{std::string(p->get("web_identity_token_file")), role_arn,
                               std::string(p->get("role_session_name"))};
      return std::shared_ptr<CredentialsProvider>(
          std::make_shared<WebIdentityCredentialsProvider>(std::move(config), context));
    }
    std::shared_ptr<CredentialsProvider> base;
    if (p->has("source_profile")) {
      const std::string source(p->get("source_profile"));
      if (source == name) {
        if (!p->has("aws_access_key_id")) return missing(name, files, "source_profile is itself but it has no keys");
        PK_ASSIGN_OR_RETURN(base, static_keys(*p, files));
      } else {
        if (std::find(visiting.begin(), visiting.end(), source) != visiting.end()) {
          return missing(name, files, fmt::format("source_profile {} makes a cycle", source));
        }
        PK_ASSIGN_OR_RETURN(base, resolve_in(files, source, visiting, context));
        base = cached(std::move(base), context);
      }
    } else if (p->has("credential_source")) {
      const std::string_view source = p->get("credential_source");
      if (source == "Environment") {
        base = std::make_shared<EnvironmentCredentialsProvider>();
      } else if (source == "Ec2InstanceMetadata") {
        base = cached(std::make_shared<ImdsCredentialsProvider>(context), context);
      } else if (source == "EcsContainer") {
        base = cached(std::make_shared<ContainerCredentialsProvider>(context), context);
      } else {
        return missing(
            name, files,
            fmt::format("credential_source {} is not Environment, Ec2InstanceMetadata or EcsContainer", source));
      }
    } else {
      return missing(name, files, "role_arn without source_profile, credential_source or web_identity_token_file");
    }
    AssumeRoleRequest request;
    request.role_arn = role_arn;
    request.role_session_name = std::string(p->get("role_session_name"));
    request.external_id = std::string(p->get("external_id"));
    if (p->has("duration_seconds")) {
      try {
        request.duration_seconds = std::stoi(std::string(p->get("duration_seconds")));
      } catch (const std::exception&) {
        return missing(name, files, "duration_seconds is not a number");
      }
    }
    CredentialsContext sts_context = context;
    if (sts_context.sts.region.empty() && sts_context.sts.endpoint.empty()) {
      sts_context.sts.region = std::string(p->get("region"));
    }
    return std::shared_ptr<CredentialsProvider>(
        std::make_shared<StsAssumeRoleCredentialsProvider>(std::move(base), std::move(request), sts_context));
  }
  if (p->has("aws_access_key_id")) return static_keys(*p, files);
  if (p->has("credential_process")) {
    return std::shared_ptr<CredentialsProvider>(std::make_shared<ProcessCredentialsProvider>(
        std::string(p->get("credential_process")), name, context.blocking));
  }
  if (p->has("aws_secret_access_key")) return missing(name, files, "aws_secret_access_key without aws_access_key_id");
  return missing(name, files, "no aws_access_key_id, role_arn or credential_process");
}

}  // namespace

ProfileCredentialsProvider::ProfileCredentialsProvider(std::string profile, const CredentialsContext& context)
    : profile_(std::move(profile)), context_(context) {}

std::string ProfileCredentialsProvider::name() const {
  return "profile " + (profile_.empty() ? default_profile_name() : profile_);
}

void ProfileCredentialsProvider::invalidate() {
  std::shared_ptr<CredentialsProvider> r;
  {
    std::lock_guard lock(mutex_);
    r = resolved_;
  }
  if (r) r->invalidate();
}

Result<std::shared_ptr<CredentialsProvider>> ProfileCredentialsProvider::resolve(const ProfileSet& files,
                                                                                 const std::string& profile,
                                                                                 const CredentialsContext& context) {
  std::vector<std::string> visiting;
  return resolve_in(files, profile, visiting, context);
}

boost::asio::awaitable<Result<Credentials>> ProfileCredentialsProvider::get() {
  const std::string profile = profile_.empty() ? default_profile_name() : profile_;
  std::shared_ptr<CredentialsProvider> provider;
  {
    std::lock_guard lock(mutex_);
    if (resolved_ && resolved_for_ == profile) provider = resolved_;
  }
  if (!provider) {
    std::function<Result<ProfileSet>()> load = &load_profile_files;
    auto loading = net::run_blocking<ProfileSet>(context_.blocking, std::move(load));
    auto files = co_await std::move(loading);
    if (!files.ok()) co_return files.error().with_context("profile " + profile);
    auto built = resolve(*files, profile, context_);
    if (!built.ok()) co_return std::move(built).error();
    provider = std::move(*built);
    std::lock_guard lock(mutex_);
    resolved_ = provider;
    resolved_for_ = profile;
  }
  auto getting = provider->get();
  co_return co_await std::move(getting);
}

}  // namespace pk::aws
