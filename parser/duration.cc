#include "parser/duration.h"

#include <cstdint>

namespace smtpspec::parser {

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  std::size_t i = 0;
  std::int64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (i >= 9) return std::nullopt;  // far beyond 24h in any unit
    n = n * 10 + (text[i] - '0');
    ++i;
  }
  if (i == 0) return std::nullopt;
  std::string_view unit = text.substr(i);
  std::int64_t scale;
  if (unit == "ms") {
    scale = 1;
  } else if (unit == "s") {
    scale = 1000;
  } else if (unit == "m") {
    scale = 60 * 1000;
  } else if (unit == "h") {
    scale = 3600 * 1000;
  } else {
    return std::nullopt;
  }
  std::chrono::milliseconds d(n * scale);
  if (d > kMaxDuration) return std::nullopt;
  return d;
}

std::string FormatDuration(std::chrono::milliseconds d) {
  std::int64_t ms = d.count();
  if (ms != 0 && ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms != 0 && ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace smtpspec::parser
