// Test helpers for the DATA transforms: feeding a stream in every way it
// can arrive (whole, one byte at a time, split in two at every point) and
// checking that nothing depends on the split.
#ifndef SMTPSPEC_ENGINE_DATA_TEST_UTIL_H_
#define SMTPSPEC_ENGINE_DATA_TEST_UTIL_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/data/dot_stuffer.h"
#include "engine/data/notice.h"
#include "engine/data/reader.h"
#include "engine/result.h"

namespace smtpspec::data::testing {

// Everything a Reader reports after a stream, as plain data to compare.
struct ReadOutcome {
  bool done = false;
  std::size_t consumed = 0;
  std::string content;
  std::size_t size = 0;
  bool too_big = false;
  std::vector<Notice> notices;
  std::size_t dropped_notices = 0;
  std::optional<notice::Kind> ended_by;

  bool operator==(const ReadOutcome&) const = default;
};

// Ways to cut a stream of n bytes into chunks, each a sorted list of cut
// points: none (whole), every byte, and each single cut 1..n-1.
std::vector<std::vector<std::size_t>> Chunkings(std::size_t n);

// Feeds `wire` to a new Reader in the chunks `cuts` makes, stopping at the
// end of data like a server would (and checking that the Reader then
// consumes nothing more).
ReadOutcome ReadChunks(std::string_view wire,
                       const std::vector<std::size_t>& cuts,
                       const ReaderOptions& options = {});

// Reads `wire` in every chunking and expects the same outcome each time
// (a gtest failure names the chunking otherwise). Returns the outcome of
// reading it whole.
ReadOutcome ReadEverySplit(std::string_view wire,
                           const ReaderOptions& options = {});

// Stuffs `content` (Feed per chunk, then Finish) with a new Stuffer.
Result<std::string> StuffChunks(std::string_view content,
                                const std::vector<std::size_t>& cuts,
                                LineEndings policy);

// Stuffs `content` in every chunking and expects the same result each
// time. Returns the result of stuffing it whole.
Result<std::string> StuffEverySplit(std::string_view content,
                                    LineEndings policy = LineEndings::kConvert);

// Renders bytes with CR, LF and non-printables escaped, for messages.
std::string Escape(std::string_view bytes);

}  // namespace smtpspec::data::testing

#endif  // SMTPSPEC_ENGINE_DATA_TEST_UTIL_H_
