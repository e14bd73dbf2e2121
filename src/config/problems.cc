#include "config/problems.h"

#include <algorithm>
#include <numeric>

#include "common/text.h"

namespace pk::config {

std::string Problem::to_string() const {
  return path.empty() ? message : path + ": " + message;
}

std::string Problems::to_string() const {
  std::string out;
  for (const Problem& p : items_) {
    out += p.to_string();
    out += '\n';
  }
  return out;
}

std::string join_path(std::string_view path, std::string_view key) {
  std::string out(path);
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

namespace {

// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring).
size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  const size_t m = b.size();
  std::vector<size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  std::iota(prev.begin(), prev.end(), size_t{0});
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

}  // namespace

std::string_view closest_key(std::string_view unknown, const std::vector<std::string_view>& candidates) {
  const std::string lower = ascii_lower(unknown);
  std::string_view best;
  size_t best_distance = SIZE_MAX;
  for (std::string_view candidate : candidates) {
    const std::string candidate_lower = ascii_lower(candidate);
    size_t d = edit_distance(lower, candidate_lower);
    if (d == 0 && candidate != unknown) d = 1;  // differs in case only: one edit
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  // Plausible typos only: one edit in a short word, up to a third of a longer one (at least two).
  const size_t limit = unknown.size() <= 4 ? 1 : std::max<size_t>(2, unknown.size() / 3);
  if (best_distance <= limit) return best;
  // A cut-off value ("ONLY_RAW" for ONLY_RAW_PAYLOAD): the one candidate it begins.
  std::string_view prefix_of;
  if (unknown.size() >= 4) {
    for (std::string_view candidate : candidates) {
      if (ascii_lower(candidate).starts_with(lower)) {
        if (!prefix_of.empty()) return {};
        prefix_of = candidate;
      }
    }
  }
  return prefix_of;
}

}  // namespace pk::config
