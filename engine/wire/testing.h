// Test helpers for the wire readers: feed an input in every chunking the
// tests promise (whole, one byte at a time, two pieces at every split
// point) and collect the events, which must not depend on the chunking.
#ifndef SMTPSPEC_ENGINE_WIRE_TESTING_H_
#define SMTPSPEC_ENGINE_WIRE_TESTING_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/command.h"
#include "engine/reply.h"
#include "engine/wire/line_reader.h"
#include "engine/wire/verb.h"
#include "engine/wire/wire.h"
#include "gtest/gtest.h"

namespace smtpspec::wire {

namespace testing_util {

// `input` cut before each offset in `cuts` (ascending).
inline std::vector<std::string_view> Cut(std::string_view input,
                                         const std::vector<std::size_t>& cuts) {
  std::vector<std::string_view> pieces;
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    pieces.push_back(input.substr(from, cut - from));
    from = cut;
  }
  pieces.push_back(input.substr(from));
  return pieces;
}

// Every event up to the next NeedData.
template <typename Reader>
auto Drain(Reader& reader) {
  std::vector<decltype(reader.Next())> events;
  for (auto event = reader.Next(); !std::holds_alternative<NeedData>(event);
       event = reader.Next()) {
    events.push_back(std::move(event));
  }
  return events;
}

// One line per event, for ElementsAre: `"text" @offset` for a line (then
// " LF" when it ended in a bare LF), `!fault @offset` for a Problem,
// `MAIL "mail" "FROM:<>" @0` for a command (`?` for an unknown verb),
// `250 2.0.0 ["a", "b"] @0` for a reply; notices follow as ` +fault @offset`.
// `text` in double quotes, with CR, LF, TAB, NUL, '"', '\\' and bytes
// outside printable ASCII escaped C-style ("\xC3").
inline std::string Quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\0') {
      out += "\\0";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

inline std::string Describe(const NeedData&) { return "NeedData"; }

inline std::string Describe(const Problem& p) {
  return "!" + std::string(FaultName(p.fault)) + " @" +
         std::to_string(p.offset);
}

inline std::string DescribeNotices(const std::vector<Problem>& notices) {
  std::string out;
  for (const Problem& notice : notices) {
    out += " +" + std::string(FaultName(notice.fault)) + " @" +
           std::to_string(notice.offset);
  }
  return out;
}

inline std::string Describe(const Line& line) {
  return Quote(line.text) + " @" + std::to_string(line.offset) +
         (line.end == LineEnd::kBareLf ? " LF" : "") +
         DescribeNotices(line.notices);
}

inline std::string DescribeValue(const Command& c) {
  const std::string_view verb = VerbName(c.verb);
  return (verb.empty() ? std::string("?") : std::string(verb)) + " " +
         Quote(c.name) + " " + Quote(c.argument);
}

inline std::string DescribeValue(const Reply& r) {
  std::string out = std::to_string(r.code);
  if (r.enhanced) {
    out += " " + std::to_string(r.enhanced->klass) + "." +
           std::to_string(r.enhanced->subject) + "." +
           std::to_string(r.enhanced->detail);
  }
  out += " [";
  for (std::size_t i = 0; i < r.lines.size(); ++i) {
    out += (i == 0 ? "" : ", ") + Quote(r.lines[i]);
  }
  return out + "]";
}

template <typename T>
std::string Describe(const Received<T>& item) {
  return DescribeValue(item.value) + " @" + std::to_string(item.offset) +
         DescribeNotices(item.notices);
}

template <typename... T>
std::string Describe(const std::variant<T...>& event) {
  return std::visit([](const auto& e) { return Describe(e); }, event);
}

template <typename... T>
std::vector<std::string> Describe(
    const std::vector<std::variant<T...>>& events) {
  std::vector<std::string> out;
  for (const auto& event : events) {
    out.push_back(Describe(event));
  }
  return out;
}

}  // namespace testing_util

// Readable failure messages: gtest finds these by ADL.
inline void PrintTo(const NeedData&, std::ostream* os) { *os << "NeedData"; }
inline void PrintTo(const Problem& p, std::ostream* os) {
  *os << testing_util::Describe(p) << " " << testing_util::Quote(p.line) << ": "
      << p.reason;
}
inline void PrintTo(const Line& line, std::ostream* os) {
  *os << testing_util::Describe(line);
}
template <typename T>
void PrintTo(const Received<T>& item, std::ostream* os) {
  *os << testing_util::Describe(item);
}

namespace testing_util {

// A new reader from `make()` fed `input` in the pieces `cuts` makes,
// drained after every piece, as a server loop would.
template <typename Make>
auto ReadChunks(Make make, std::string_view input,
                const std::vector<std::size_t>& cuts) {
  auto reader = make();
  std::vector<decltype(reader.Next())> events;
  for (std::string_view piece : Cut(input, cuts)) {
    reader.Feed(piece);
    for (auto& event : Drain(reader)) events.push_back(std::move(event));
  }
  return events;
}

// Reads `input` whole, one byte at a time, and in two pieces at every split
// point; expects the same events each time and returns them.
template <typename Make>
auto ReadEverySplit(Make make, std::string_view input) {
  const auto whole = ReadChunks(make, input, {});
  std::vector<std::size_t> bytewise;
  for (std::size_t i = 1; i < input.size(); ++i) bytewise.push_back(i);
  EXPECT_EQ(ReadChunks(make, input, bytewise), whole) << "byte at a time";
  for (std::size_t i = 1; i < input.size(); ++i) {
    EXPECT_EQ(ReadChunks(make, input, {i}), whole) << "split at " << i;
  }
  return whole;
}

}  // namespace testing_util
}  // namespace smtpspec::wire

#endif  // SMTPSPEC_ENGINE_WIRE_TESTING_H_
