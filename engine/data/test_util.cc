#include "engine/data/test_util.h"

#include <cstdio>

#include "gtest/gtest.h"

namespace smtpspec::data::testing {
namespace {

// The chunks of `bytes` between the cut points.
std::vector<std::string_view> Cut(std::string_view bytes,
                                  const std::vector<std::size_t>& cuts) {
  std::vector<std::string_view> chunks;
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    chunks.push_back(bytes.substr(from, cut - from));
    from = cut;
  }
  chunks.push_back(bytes.substr(from));
  return chunks;
}

std::string Describe(const std::vector<std::size_t>& cuts) {
  if (cuts.empty()) return "whole";
  std::string s = "cut at";
  for (std::size_t cut : cuts) s += " " + std::to_string(cut);
  return s;
}

}  // namespace

std::vector<std::vector<std::size_t>> Chunkings(std::size_t n) {
  std::vector<std::vector<std::size_t>> all = {{}};
  std::vector<std::size_t> bytewise;
  for (std::size_t k = 1; k < n; ++k) {
    bytewise.push_back(k);
    all.push_back({k});
  }
  if (n > 2) all.push_back(bytewise);
  return all;
}

ReadOutcome ReadChunks(std::string_view wire,
                       const std::vector<std::size_t>& cuts,
                       const ReaderOptions& options) {
  Reader reader(options);
  ReadOutcome out;
  for (std::string_view chunk : Cut(wire, cuts)) {
    const std::size_t n = reader.Feed(chunk);
    EXPECT_LE(n, chunk.size());
    out.consumed += n;
    out.content += reader.TakeContent();
    if (reader.done()) break;
    EXPECT_EQ(n, chunk.size()) << "stopped early without being done";
  }
  if (reader.done()) {
    EXPECT_EQ(reader.Feed("MAIL FROM:<>\r\n"), 0u);
  }
  EXPECT_EQ(reader.consumed(), out.consumed);
  out.done = reader.done();
  out.size = reader.size();
  out.too_big = reader.too_big();
  out.notices = reader.notices();
  out.dropped_notices = reader.dropped_notices();
  out.ended_by = reader.ended_by();
  return out;
}

ReadOutcome ReadEverySplit(std::string_view wire,
                           const ReaderOptions& options) {
  const ReadOutcome whole = ReadChunks(wire, {}, options);
  for (const auto& cuts : Chunkings(wire.size())) {
    const ReadOutcome split = ReadChunks(wire, cuts, options);
    EXPECT_TRUE(split == whole)
        << "reading \"" << Escape(wire) << "\" " << Describe(cuts)
        << " gave content \"" << Escape(split.content) << "\", consumed "
        << split.consumed << ", " << split.notices.size()
        << " notices; whole gave \"" << Escape(whole.content) << "\", consumed "
        << whole.consumed << ", " << whole.notices.size() << " notices";
  }
  return whole;
}

Result<std::string> StuffChunks(std::string_view content,
                                const std::vector<std::size_t>& cuts,
                                LineEndings policy) {
  Stuffer stuffer(policy);
  std::string out;
  for (std::string_view chunk : Cut(content, cuts)) {
    if (Status s = stuffer.Feed(chunk, &out); !s.ok()) return s.error();
  }
  if (Status s = stuffer.Finish(&out); !s.ok()) return s.error();
  return out;
}

Result<std::string> StuffEverySplit(std::string_view content,
                                    LineEndings policy) {
  const Result<std::string> whole = StuffChunks(content, {}, policy);
  for (const auto& cuts : Chunkings(content.size())) {
    const Result<std::string> split = StuffChunks(content, cuts, policy);
    EXPECT_EQ(split.ok(), whole.ok()) << Describe(cuts);
    if (split.ok() && whole.ok()) {
      EXPECT_EQ(*split, *whole)
          << "stuffing \"" << Escape(content) << "\" " << Describe(cuts);
    } else if (!split.ok() && !whole.ok()) {
      EXPECT_EQ(split.error(), whole.error()) << Describe(cuts);
    }
  }
  return whole;
}

std::string Escape(std::string_view bytes) {
  std::string s;
  for (unsigned char c : bytes) {
    if (c == '\r') {
      s += "\\r";
    } else if (c == '\n') {
      s += "\\n";
    } else if (c < 0x20 || c >= 0x7f || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      s += buf;
    } else {
      s += static_cast<char>(c);
    }
  }
  return s;
}

}  // namespace smtpspec::data::testing
