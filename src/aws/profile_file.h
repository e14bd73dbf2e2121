#pragma once
// The AWS shared config and credentials files (INI): `~/.aws/config` with sections "[default]" and
// "[profile name]", `~/.aws/credentials` with "[name]"; AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE move them.
// Keys are lower-cased; a key in the credentials file wins over the same key in the config file. Indented lines
// (sub-sections such as "s3 =\n  max_concurrent_requests = 10") and other section kinds ("[sso-session x]") are
// ignored. Pure parsing plus a loader that reads the two files (blocking: call it off the event loop).

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pk::aws {

struct Profile {
  std::string name;
  std::map<std::string, std::string> properties;  // lower-case keys
  std::string source;  // "~/.aws/credentials" or "~/.aws/config" (the first file that defined it), for messages

  // The value of `key`, empty if absent.
  std::string_view get(std::string_view key) const;
  bool has(std::string_view key) const { return !get(key).empty(); }
};

struct ProfileSet {
  std::map<std::string, Profile> profiles;
  std::string config_path;  // the files that were looked at, for messages
  std::string credentials_path;
  const Profile* find(std::string_view name) const;
};

// Adds the sections of one file to `into`. `config_format`: sections are "[profile x]"/"[default]". Errors
// (kInvalidArgument) name the file and line.
Status parse_profile_file(std::string_view text, bool config_format, std::string_view path, ProfileSet& into);

// Reads both files (a missing file is not an error; an unreadable one is).
Result<ProfileSet> load_profile_files();

// AWS_PROFILE, else "default".
std::string default_profile_name();

// The user's home directory ($HOME, else the password database); empty if unknown.
std::string home_directory();

}  // namespace pk::aws
