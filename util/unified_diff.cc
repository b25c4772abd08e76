#include "util/unified_diff.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace smtpspec::util {
namespace {

// Each line with its "\n" (the last one may have none).
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::size_t len = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(0, len));
    text.remove_prefix(len);
  }
  return lines;
}

enum class Op : char { kKeep = ' ', kRemove = '-', kAdd = '+' };

struct Edit {
  Op op;
  std::size_t a;  // line index in `from` (kKeep, kRemove)
  std::size_t b;  // line index in `to` (kKeep, kAdd)
};

// Beyond this many cells the changed middle is not aligned (memory).
constexpr std::size_t kMaxCells = std::size_t{1} << 22;

// The edit script turning a into b: the common prefix and suffix kept, the
// middle aligned on a longest common subsequence.
std::vector<Edit> Script(const std::vector<std::string_view>& a,
                         const std::vector<std::string_view>& b) {
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) {
    ++tail;
  }
  const std::size_t n = a.size() - head - tail;
  const std::size_t m = b.size() - head - tail;
  std::vector<Edit> edits;
  for (std::size_t i = 0; i < head; ++i) edits.push_back({Op::kKeep, i, i});
  if ((n + 1) * (m + 1) <= kMaxCells) {
    // lcs[i][j]: the longest common subsequence of a[head+i..] and
    // b[head+j..] (the middle only).
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& {
      return lcs[i * (m + 1) + j];
    };
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        at(i, j) = a[head + i] == b[head + j]
                       ? at(i + 1, j + 1) + 1
                       : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[head + i] == b[head + j]) {
        edits.push_back({Op::kKeep, head + i++, head + j++});
      } else if (j < m && (i == n || at(i, j + 1) > at(i + 1, j))) {
        edits.push_back({Op::kAdd, head + i, head + j++});
      } else {
        edits.push_back({Op::kRemove, head + i++, head + j});
      }
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      edits.push_back({Op::kRemove, head + i, head});
    }
    for (std::size_t j = 0; j < m; ++j) {
      edits.push_back({Op::kAdd, head + n, head + j});
    }
  }
  for (std::size_t k = 0; k < tail; ++k) {
    edits.push_back({Op::kKeep, head + n + k, head + m + k});
  }
  return edits;
}

// "l,n" as GNU diff writes a range: "l" for one line, "l-1,0" for none.
std::string Range(std::size_t first, std::size_t count) {
  if (count == 1) return std::to_string(first + 1);
  return std::to_string(count == 0 ? first : first + 1) + "," +
         std::to_string(count);
}

}  // namespace

std::string UnifiedDiff(std::string_view from, std::string_view to,
                        std::string_view from_name, std::string_view to_name,
                        std::size_t context) {
  if (from == to) return "";
  const std::vector<std::string_view> a = Lines(from);
  const std::vector<std::string_view> b = Lines(to);
  const std::vector<Edit> edits = Script(a, b);
  std::string out =
      "--- " + std::string(from_name) + "\n+++ " + std::string(to_name) + "\n";
  std::size_t k = 0;
  while (k < edits.size()) {
    if (edits[k].op == Op::kKeep) {
      ++k;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines
    // after the last change that is at most 2 * context lines further.
    const std::size_t begin = k - std::min(k, context);
    std::size_t end = k;  // one past the last change
    for (std::size_t j = k; j < edits.size(); ++j) {
      if (edits[j].op != Op::kKeep) {
        end = j + 1;
      } else if (j - end + 1 > 2 * context) {
        break;
      }
    }
    end = std::min(edits.size(), end + context);
    std::size_t a_count = 0, b_count = 0;
    for (std::size_t j = begin; j < end; ++j) {
      if (edits[j].op != Op::kAdd) ++a_count;
      if (edits[j].op != Op::kRemove) ++b_count;
    }
    out += "@@ -" + Range(edits[begin].a, a_count) + " +" +
           Range(edits[begin].b, b_count) + " @@\n";
    for (std::size_t j = begin; j < end; ++j) {
      const std::string_view line =
          edits[j].op == Op::kAdd ? b[edits[j].b] : a[edits[j].a];
      out += static_cast<char>(edits[j].op);
      out += line;
      if (!line.ends_with('\n')) out += "\n\\ No newline at end of file\n";
    }
    k = end;
  }
  return out;
}

}  // namespace smtpspec::util
