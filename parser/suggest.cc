#include "parser/suggest.h"

#include <algorithm>
#include <cctype>

namespace smtpspec::transcript {
namespace {

bool Same(char a, char b) {
  return std::tolower(static_cast<unsigned char>(a)) ==
         std::tolower(static_cast<unsigned char>(b));
}

// Edit distance ignoring case, where swapping two neighbours counts as one
// edit ("titel" is one edit from "title"). Names are short; inputs longer
// than 64 bytes are never typos of them.
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

}  // namespace

std::string ClosestName(std::string_view word,
                        const std::vector<std::string>& candidates) {
  if (word.size() > 64) return "";
  std::string best;
  std::size_t best_distance = 0;
  for (const std::string& c : candidates) {
    std::size_t d = Distance(word, c);
    // A third of the length, and at least 1: "titel"->"title", not "x"->"id".
    std::size_t limit =
        std::max<std::size_t>(1, std::max(word.size(), c.size()) / 3);
    if (d <= limit && (best.empty() || d < best_distance)) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string DidYouMean(std::string_view word,
                       const std::vector<std::string>& candidates,
                       std::string_view prefix, std::string_view suffix) {
  std::string best = ClosestName(word, candidates);
  if (best.empty()) return "";
  return "; did you mean '" + std::string(prefix) + best + std::string(suffix) +
         "'?";
}

}  // namespace smtpspec::transcript
