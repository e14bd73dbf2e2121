#include "aws/profile_file.h"

#include <pwd.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "common/text.h"

namespace pk::aws {
namespace {

// "value ; comment" / "value # comment": a comment starts at ';' or '#' preceded by whitespace.
std::string_view strip_inline_comment(std::string_view v) {
  for (size_t i = 1; i < v.size(); ++i) {
    if ((v[i] == '#' || v[i] == ';') && (v[i - 1] == ' ' || v[i - 1] == '\t')) return trim_whitespace(v.substr(0, i));
  }
  return v;
}

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? std::string(v) : std::move(fallback);
}

std::string expand_home(const std::string& path) {
  if (path == "~" || path.starts_with("~/")) return home_directory() + path.substr(1);
  return path;
}

// nullopt: the file does not exist.
Result<std::optional<std::string>> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (access(path.c_str(), F_OK) != 0) return std::optional<std::string>();
    return make_error(ErrorCode::kIo, fmt::format("cannot read {}", path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return std::optional<std::string>(ss.str());
}

}  // namespace

std::string_view Profile::get(std::string_view key) const {
  auto it = properties.find(std::string(key));
  return it == properties.end() ? std::string_view{} : std::string_view(it->second);
}

const Profile* ProfileSet::find(std::string_view name) const {
  auto it = profiles.find(std::string(name));
  return it == profiles.end() ? nullptr : &it->second;
}

Status parse_profile_file(std::string_view text, bool config_format, std::string_view path, ProfileSet& into) {
  Profile* current = nullptr;  // null: outside any profile section (or in a section kind we ignore)
  bool in_section = false;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    const std::string_view line = trim_whitespace(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      const size_t close = line.find(']');
      if (close == std::string_view::npos) {
        return make_error(ErrorCode::kInvalidArgument, fmt::format("{} line {}: section without ']'", path, line_no));
      }
      std::string_view section = trim_whitespace(line.substr(1, close - 1));
      in_section = true;
      current = nullptr;
      std::string name;
      if (config_format) {
        if (section == "default") {
          name = "default";
        } else if (section.starts_with("profile ") || section.starts_with("profile\t")) {
          name = std::string(trim_whitespace(section.substr(8)));
        } else {
          continue;  // [sso-session x], [services x], ...: not profiles
        }
      } else {
        name = std::string(section);
      }
      if (name.empty()) {
        return make_error(ErrorCode::kInvalidArgument, fmt::format("{} line {}: empty profile name", path, line_no));
      }
      Profile& p = into.profiles[name];
      if (p.name.empty()) {
        p.name = name;
        p.source = std::string(path);
      }
      current = &p;
      continue;
    }
    if (raw.front() == ' ' || raw.front() == '\t') continue;  // a sub-section property
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("{} line {}: expected 'key = value' or '[section]'", path, line_no));
    }
    if (!in_section) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("{} line {}: property outside of any [section]", path, line_no));
    }
    if (current == nullptr) continue;
    const std::string key = ascii_lower(trim_whitespace(line.substr(0, eq)));
    if (key.empty()) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{} line {}: empty key", path, line_no));
    }
    current->properties[key] = std::string(strip_inline_comment(trim_whitespace(line.substr(eq + 1))));
  }
  return ok_status();
}

std::string home_directory() {
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') return home;
  const passwd* pw = getpwuid(getuid());
  return pw != nullptr && pw->pw_dir != nullptr ? std::string(pw->pw_dir) : std::string();
}

std::string default_profile_name() {
  return env_or("AWS_PROFILE", "default");
}

Result<ProfileSet> load_profile_files() {
  ProfileSet set;
  set.config_path = expand_home(env_or("AWS_CONFIG_FILE", "~/.aws/config"));
  set.credentials_path = expand_home(env_or("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"));
  // Config first, then credentials: a key defined in both takes the credentials file's value.
  PK_ASSIGN_OR_RETURN(auto config, read_file(set.config_path));
  if (config) PK_TRY(parse_profile_file(*config, true, set.config_path, set));
  PK_ASSIGN_OR_RETURN(auto credentials, read_file(set.credentials_path));
  if (credentials) PK_TRY(parse_profile_file(*credentials, false, set.credentials_path, set));
  return set;
}

}  // namespace pk::aws
