#include "util/did_you_mean.h"

#include <algorithm>
#include <cctype>

namespace smtpspec::util {
namespace {

// Names are short; a longer word is no typo of one, and the distance table
// stays small.
constexpr std::size_t kMaxWord = 64;

bool Same(char a, char b) {
  return std::tolower(static_cast<unsigned char>(a)) ==
         std::tolower(static_cast<unsigned char>(b));
}

// Edit distance ignoring case, where swapping two neighbours counts as one
// edit ("titel" is one edit from "title").
std::size_t Distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(
      a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = Same(a[i - 1], b[j - 1]) ? 0 : 1;
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && Same(a[i - 1], b[j - 2]) &&
          Same(a[i - 2], b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::vector<std::string_view> Views(const std::vector<std::string>& names) {
  return std::vector<std::string_view>(names.begin(), names.end());
}

}  // namespace

std::string Closest(std::string_view word,
                    const std::vector<std::string_view>& candidates) {
  if (word.size() > kMaxWord) return "";
  std::string_view best;
  std::size_t best_distance = 0;
  for (std::string_view c : candidates) {
    std::size_t d = Distance(word, c);
    // A third of the length, and at least 1: "titel"->"title", not "x"->"id".
    std::size_t limit =
        std::max<std::size_t>(1, std::max(word.size(), c.size()) / 3);
    if (d <= limit && (best.empty() || d < best_distance)) {
      best = c;
      best_distance = d;
    }
  }
  return std::string(best);
}

std::string Closest(std::string_view word,
                    const std::vector<std::string>& candidates) {
  return Closest(word, Views(candidates));
}

std::string DidYouMean(std::string_view word,
                       const std::vector<std::string_view>& candidates,
                       std::string_view prefix, std::string_view suffix) {
  std::string best = Closest(word, candidates);
  if (best.empty()) return "";
  return "; did you mean '" + std::string(prefix) + best + std::string(suffix) +
         "'?";
}

std::string DidYouMean(std::string_view word,
                       const std::vector<std::string>& candidates,
                       std::string_view prefix, std::string_view suffix) {
  return DidYouMean(word, Views(candidates), prefix, suffix);
}

std::string DidYouMeanOrList(std::string_view word,
                             const std::vector<std::string_view>& candidates) {
  std::string hint = DidYouMean(word, candidates);
  if (!hint.empty()) return hint;
  std::string out = "; expected one of: ";
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (i > 0) out += ", ";
    out += candidates[i];
  }
  return out;
}

}  // namespace smtpspec::util
