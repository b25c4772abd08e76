// Properties over many generated inputs, with a deterministic seed:
//  - stuffing then reading gives the content back (RFC 5321 4.5.2, 4.1.1.4);
//  - the streaming Reader agrees with a plain, whole-input model of RFC 5321
//    4.1.1.4 / 4.5.2 / 2.3.8 / 4.5.3.1.6 on random wire bytes, strict and
//    lenient, however the input is chunked.
#include <algorithm>
#include <iterator>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "engine/data/dot_stuffer.h"
#include "engine/data/reader.h"
#include "engine/data/test_util.h"
#include "gtest/gtest.h"

namespace smtpspec::data {
namespace {

using notice::Kind;
using testing::Escape;
using testing::ReadChunks;
using testing::ReadOutcome;

// Random text built from the pieces that matter: dots, line breaks of all
// kinds, 8-bit bytes, NUL and the odd long run.
std::string RandomText(std::mt19937& rng, std::size_t pieces) {
  static constexpr std::string_view kPieces[] = {
      ".",     "..",       ".x", "\r\n", "\r\n", "\n",
      "\r",    "a",        "bc", " ",    "\xff", std::string_view("\0", 1),
      "\r\n.", "\r\n.\r\n"};
  std::string s;
  std::uniform_int_distribution<std::size_t> pick(0, std::size(kPieces));
  for (std::size_t i = 0; i < pieces; ++i) {
    const std::size_t k = pick(rng);
    if (k == std::size(kPieces)) {
      s += std::string(rng() % 1200, 'L');  // sometimes over 998
    } else {
      s += kPieces[k];
    }
  }
  return s;
}

// Random cut points for a stream of n bytes.
std::vector<std::size_t> RandomCuts(std::mt19937& rng, std::size_t n) {
  std::vector<std::size_t> cuts;
  for (std::size_t k = 1; k < n; ++k) {
    if (rng() % 4 == 0) cuts.push_back(k);
  }
  return cuts;
}

// RFC 5321 2.3.8 as kConvert applies it: every bare CR or LF becomes CRLF.
std::string NormalizeLineEnds(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      out += "\r\n";
      ++i;
    } else if (s[i] == '\r' || s[i] == '\n') {
      out += "\r\n";
    } else {
      out += s[i];
    }
  }
  return out;
}

// RFC 5321 4.5.2 and 4.1.1.4: stuff, read back, get the content (with
// CRLF line ends, and a final CRLF when it had none), whatever chunking.
TEST(RoundTripTest, StuffThenReadGivesContentBack) {
  std::mt19937 rng(5321);
  for (int round = 0; round < 3000; ++round) {
    const std::string content = RandomText(rng, rng() % 24);
    Result<std::string> wire = testing::StuffChunks(
        content, RandomCuts(rng, content.size()), LineEndings::kConvert);
    ASSERT_TRUE(wire.ok());
    std::string expected = NormalizeLineEnds(content);
    if (!expected.empty() && !expected.ends_with("\r\n")) expected += "\r\n";

    const std::string stream = *wire + "QUIT\r\n";
    ReadOutcome r = ReadChunks(stream, RandomCuts(rng, stream.size()));
    ASSERT_TRUE(r.done) << Escape(content);
    EXPECT_EQ(r.consumed, wire->size()) << Escape(content);
    EXPECT_EQ(r.content, expected) << Escape(content);
    EXPECT_EQ(r.size, expected.size());
    // Nothing bare and no look-alike survives stuffing; long lines may.
    for (const Notice& n : r.notices) {
      EXPECT_EQ(n.kind, Kind::kLongLine) << Escape(content);
    }
  }
}

// A plain model of a reader over the whole input, written from the RFC
// text rather than as a state machine. P is "\r\n" + wire: the DATA
// command's CRLF leads (4.1.1.4).
struct Model {
  ReadOutcome Read(std::string_view wire) const {
    const std::string p = "\r\n" + std::string(wire);
    ReadOutcome out;
    // The break before position d and the one after it; "" if none.
    auto before = [&](std::size_t d) -> std::string_view {
      if (d >= 2 && p.compare(d - 2, 2, "\r\n") == 0) return "\r\n";
      if (p[d - 1] == '\n') return "\n";
      if (p[d - 1] == '\r') return "\r";
      return "";
    };
    auto after = [&](std::size_t d) -> std::string_view {
      if (p.compare(d + 1, 2, "\r\n") == 0) return "\r\n";
      if (d + 1 < p.size() && p[d + 1] == '\n') return "\n";
      if (d + 2 < p.size() && p[d + 1] == '\r') return "\r";
      return "";  // nothing, or a CR whose next byte is unknown
    };
    std::size_t end = std::string::npos;  // position of the ending '.'
    std::string_view end_after;
    for (std::size_t d = 2; d < p.size() && end == std::string::npos; ++d) {
      if (p[d] != '.') continue;
      const std::string_view b = before(d), a = after(d);
      if (b.empty() || a.empty()) continue;
      if (b == "\r\n" && a == "\r\n") {
        end = d;
        end_after = a;
        break;
      }
      const Kind kind = KindOf(b, a);
      out.notices.push_back({kind, d - 2});
      if (std::find(accepted.begin(), accepted.end(), kind) != accepted.end()) {
        end = d;
        end_after = a;
        out.ended_by = kind;
      }
    }
    if (end == std::string::npos) return out;  // tests always give an end
    out.done = true;
    out.consumed = end - 2 + 1 + end_after.size();
    // Content: P[2, end), a '.' after CRLF removed (4.5.2).
    std::size_t line = 0;  // text octets on the current CRLF line
    for (std::size_t i = 2; i < end; ++i) {
      const char c = p[i];
      const bool crlf_cr = c == '\r' && p[i + 1] == '\n';
      const bool crlf_lf = c == '\n' && p[i - 1] == '\r';
      if (!(c == '.' && p[i - 2] == '\r' && p[i - 1] == '\n')) {
        out.content += c;
      }
      if (c == '\r' && !crlf_cr) out.notices.push_back({Kind::kBareCr, i - 2});
      if (c == '\n' && !crlf_lf) out.notices.push_back({Kind::kBareLf, i - 2});
      if (crlf_lf) {
        line = 0;
      } else if (!crlf_cr && ++line == 999) {
        out.notices.push_back({Kind::kLongLine, i - 2});
      }
    }
    out.size = out.content.size();
    return out;
  }

  static Kind KindOf(std::string_view b, std::string_view a) {
    if (b == "\n") {
      return a == "\n"   ? Kind::kLfDotLf
             : a == "\r" ? Kind::kLfDotCr
                         : Kind::kLfDotCrLf;
    }
    if (b == "\r") {
      return a == "\n"   ? Kind::kCrDotLf
             : a == "\r" ? Kind::kCrDotCr
                         : Kind::kCrDotCrLf;
    }
    return a == "\n" ? Kind::kCrLfDotLf : Kind::kCrLfDotCr;
  }

  std::vector<Kind> accepted;
};

std::vector<Notice> Sorted(std::vector<Notice> v) {
  std::sort(v.begin(), v.end(), [](const Notice& x, const Notice& y) {
    return std::tie(x.offset, x.kind) < std::tie(y.offset, y.kind);
  });
  return v;
}

void ExpectReaderMatchesModel(const std::vector<Kind>& accepted,
                              unsigned seed) {
  std::mt19937 rng(seed);
  ReaderOptions options;
  options.accepted_ends = accepted;
  options.max_notices = 100000;
  const Model model{accepted};
  for (int round = 0; round < 3000; ++round) {
    const std::string wire = RandomText(rng, rng() % 30) + "\r\n.\r\nQUIT\r\n";
    ReadOutcome want = model.Read(wire);
    ASSERT_TRUE(want.done);
    for (const auto& cuts :
         {std::vector<std::size_t>{}, RandomCuts(rng, wire.size())}) {
      ReadOutcome got = ReadChunks(wire, cuts, options);
      EXPECT_TRUE(got.done) << Escape(wire);
      EXPECT_EQ(got.consumed, want.consumed) << Escape(wire);
      EXPECT_EQ(got.content, want.content) << Escape(wire);
      EXPECT_EQ(got.size, want.size) << Escape(wire);
      EXPECT_EQ(got.ended_by, want.ended_by) << Escape(wire);
      EXPECT_EQ(Sorted(got.notices), Sorted(want.notices)) << Escape(wire);
    }
  }
}

// RFC 5321 4.1.1.4, 4.5.2, 2.3.8, 4.5.3.1.6: the strict reader.
TEST(RoundTripTest, StrictReaderMatchesModel) {
  ExpectReaderMatchesModel({}, 1);
}

// The lenient (broken on purpose) reader, all look-alikes ending the data.
TEST(RoundTripTest, LenientReaderMatchesModel) {
  ExpectReaderMatchesModel(notice::EndLookAlikes(), 2);
}

// A reader ending only on the two bare-LF look-alikes, as some servers did.
TEST(RoundTripTest, PartlyLenientReaderMatchesModel) {
  ExpectReaderMatchesModel({Kind::kLfDotLf, Kind::kLfDotCrLf}, 3);
}

}  // namespace
}  // namespace smtpspec::data
