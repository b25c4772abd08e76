#include "cli/capture.h"

#include <charconv>
#include <cmath>

namespace smtpspec::cli::capture {
namespace {

constexpr std::string_view kHeader = "smtpspec-capture 1";

int Nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The next space-separated word of `line`, taken off it.
std::string_view Word(std::string_view& line) {
  const std::size_t end = line.find(' ');
  std::string_view word = line.substr(0, end);
  line.remove_prefix(end == std::string_view::npos ? line.size() : end + 1);
  return word;
}

bool Seconds(std::string_view word, double* out) {
  // from_chars for double is in gcc 12's libstdc++.
  const char* end = word.data() + word.size();
  auto [ptr, ec] = std::from_chars(word.data(), end, *out);
  return !word.empty() && ec == std::errc() && ptr == end &&
         std::isfinite(*out) && *out >= 0;
}

Result<std::string> Hex(std::string_view word) {
  if (word.empty() || word.size() % 2 != 0) {
    return Error{0, "the bytes must be an even, non-zero number of hex digits"};
  }
  std::string out;
  out.reserve(word.size() / 2);
  for (std::size_t i = 0; i < word.size(); i += 2) {
    const int hi = Nibble(word[i]);
    const int lo = Nibble(word[i + 1]);
    if (hi < 0 || lo < 0) {
      return Error{
          i, "'" + std::string(word.substr(i, 2)) + "' is not a hex byte"};
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

Result<Event> ParseLine(std::string_view line) {
  const std::string_view kind = Word(line);
  Event event;
  std::string_view side;
  if (kind == "eof") side = Word(line);
  if (!Seconds(Word(line), &event.seconds)) {
    return Error{0, "'" + std::string(kind) +
                        "' needs the seconds since the connection began"};
  }
  if (kind == "C" || kind == "S") {
    event.kind = kind == "C" ? Event::Kind::kClient : Event::Kind::kServer;
    Result<std::string> bytes = Hex(Word(line));
    if (!bytes.ok()) return bytes.error();
    event.bytes = std::move(*bytes);
  } else if (kind == "tls") {
    event.kind = Event::Kind::kTls;
  } else if (kind == "passthrough") {
    event.kind = Event::Kind::kPassthrough;
  } else if (kind == "eof") {
    if (side != "C" && side != "S") {
      return Error{0, "eof needs the side that closed, C or S"};
    }
    event.kind = Event::Kind::kEof;
    event.client = side == "C";
  } else if (kind == "stop") {
    event.kind = Event::Kind::kStop;
    event.bytes = std::string(line);
    line = {};
  } else {
    return Error{0, "unknown event '" + std::string(kind.substr(0, 40)) +
                        "' (events: C, S, tls, passthrough, eof, stop)"};
  }
  if (!line.empty()) return Error{0, "unexpected text after the event"};
  return event;
}

}  // namespace

Result<std::vector<Event>> Parse(std::string_view text) {
  std::vector<Event> events;
  std::size_t start = 0;
  int number = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    ++number;
    const std::size_t at = start;
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (number == 1) {
      if (line != kHeader) {
        return Error{at, "line 1: not a capture (it starts with '" +
                             std::string(kHeader) + "')"};
      }
      continue;
    }
    if (line.empty() || line.front() == '#') continue;
    Result<Event> event = ParseLine(line);
    if (!event.ok()) {
      return Error{
          at, "line " + std::to_string(number) + ": " + event.error().reason};
    }
    events.push_back(std::move(*event));
  }
  if (number == 0) return Error{0, "line 1: the capture is empty"};
  return events;
}

}  // namespace smtpspec::cli::capture
