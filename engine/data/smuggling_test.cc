// The SMTP smuggling family (RFC 5321 2.3.8 and 4.1.1.4; SEC Consult,
// "SMTP Smuggling", December 2023): end-of-data look-alikes built from bare
// CR and LF, read strictly (content, noticed) and leniently (end of data).
#include <set>
#include <string>

#include "engine/data/notice.h"
#include "engine/data/reader.h"
#include "engine/data/test_util.h"
#include "gtest/gtest.h"

namespace smtpspec::data {
namespace {

using notice::Kind;
using testing::ReadEverySplit;
using testing::ReadOutcome;

struct Variant {
  Kind kind;
  std::string_view before;  // the line break before the '.'
  std::string_view after;   // the line break after it
};

constexpr Variant kVariants[] = {
    {Kind::kLfDotLf, "\n", "\n"},     {Kind::kLfDotCrLf, "\n", "\r\n"},
    {Kind::kLfDotCr, "\n", "\r"},     {Kind::kCrLfDotLf, "\r\n", "\n"},
    {Kind::kCrLfDotCr, "\r\n", "\r"}, {Kind::kCrDotCr, "\r", "\r"},
    {Kind::kCrDotCrLf, "\r", "\r\n"}, {Kind::kCrDotLf, "\r", "\n"},
};

// The notice a bare break gives at `offset`, if it is bare.
void AddBare(std::string_view brk, std::size_t offset,
             std::vector<Notice>* out) {
  if (brk == "\n") out->push_back({Kind::kBareLf, offset});
  if (brk == "\r") out->push_back({Kind::kBareCr, offset});
}

ReaderOptions Lenient() {
  ReaderOptions options;
  options.accepted_ends = notice::EndLookAlikes();
  return options;
}

// RFC 5321 4.1.1.4 and 2.3.8: strictly, every look-alike is content. The
// content is byte-exact (a '.' after a bare break is no line start and
// stays; after a CRLF it is a stuffed '.' and goes, 4.5.2) and the
// look-alike is noticed at its '.'.
TEST(SmugglingTest, StrictReadsEveryVariantAsContent) {
  for (const Variant& v : kVariants) {
    SCOPED_TRACE(notice::Spelling(v.kind));
    const std::string wire = "a" + std::string(v.before) + "." +
                             std::string(v.after) + "b\r\n.\r\nQUIT\r\n";
    const std::size_t dot = 1 + v.before.size();
    ReadOutcome r = ReadEverySplit(wire);
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.consumed, wire.size() - 6);
    const std::string kept_dot = v.before == "\r\n" ? "" : ".";
    EXPECT_EQ(r.content, "a" + std::string(v.before) + kept_dot +
                             std::string(v.after) + "b\r\n");
    std::vector<Notice> want;
    AddBare(v.before, 1, &want);
    want.push_back({v.kind, dot});
    AddBare(v.after, dot + 1, &want);
    EXPECT_EQ(r.notices, want);
    EXPECT_EQ(r.ended_by, std::nullopt);
  }
}

// RFC 5321 4.1.1.4: the DATA command's CRLF is the first CRLF, so right
// after the 354 ".<LF>" and ".<CR>" are the <CRLF>-led look-alikes.
TEST(SmugglingTest, LookAlikeRightAfterThe354) {
  ReadOutcome lf = ReadEverySplit(".\nb\r\n.\r\n");
  EXPECT_EQ(lf.content, "\nb\r\n");
  std::vector<Notice> want = {{Kind::kCrLfDotLf, 0}, {Kind::kBareLf, 1}};
  EXPECT_EQ(lf.notices, want);

  ReadOutcome lenient = ReadEverySplit(".\rQUIT\r\n", Lenient());
  EXPECT_TRUE(lenient.done);
  EXPECT_EQ(lenient.consumed, 2u);
  EXPECT_EQ(lenient.content, "");
  EXPECT_EQ(lenient.ended_by, Kind::kCrLfDotCr);
}

// The lenient reader (a deliberately broken server, for testing relays and
// clients) ends the data on every look-alike: the content keeps the line
// break before the '.', the rest is left for the command reader.
TEST(SmugglingTest, LenientEndsDataOnEveryVariant) {
  for (const Variant& v : kVariants) {
    SCOPED_TRACE(notice::Spelling(v.kind));
    const std::string head =
        "a" + std::string(v.before) + "." + std::string(v.after);
    const std::string wire = head + "MAIL FROM:<x@y>\r\n";
    ReadOutcome r = ReadEverySplit(wire, Lenient());
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.consumed, head.size());
    EXPECT_EQ(r.content, "a" + std::string(v.before));
    EXPECT_EQ(r.ended_by, v.kind);
    std::vector<Notice> want;
    AddBare(v.before, 1, &want);
    want.push_back({v.kind, 1 + v.before.size()});
    EXPECT_EQ(r.notices, want);
  }
}

// A lenient reader accepting one look-alike reads the others as content:
// enough to model a particular broken server.
TEST(SmugglingTest, LenientAcceptsOnlyTheListedVariants) {
  for (const Variant& accepted : kVariants) {
    ReaderOptions options;
    options.accepted_ends = {accepted.kind};
    for (const Variant& v : kVariants) {
      SCOPED_TRACE(std::string(notice::Spelling(accepted.kind)) + " vs " +
                   std::string(notice::Spelling(v.kind)));
      const std::string head =
          "a" + std::string(v.before) + "." + std::string(v.after);
      ReadOutcome r = ReadEverySplit(head + "b\r\n.\r\n", options);
      EXPECT_TRUE(r.done);
      if (v.kind == accepted.kind) {
        EXPECT_EQ(r.consumed, head.size());
        EXPECT_EQ(r.ended_by, v.kind);
      } else {
        EXPECT_EQ(r.consumed, head.size() + 6);
        EXPECT_EQ(r.ended_by, std::nullopt);
      }
    }
  }
}

// A look-alike ending in CR is only known when the byte after the CR comes:
// <CR>.<CR> followed by LF is <CR>.<CRLF>. The reader waits rather than
// guess, and consumes nothing of the next chunk when the CR was bare.
TEST(SmugglingTest, CrEndedLookAlikesWaitForTheNextByte) {
  ReaderOptions only_cr_cr;
  only_cr_cr.accepted_ends = {Kind::kCrDotCr};
  Reader a(only_cr_cr);
  EXPECT_EQ(a.Feed("x\r.\r"), 4u);
  EXPECT_FALSE(a.done());
  EXPECT_EQ(a.Feed("\n"), 1u);  // <CR>.<CRLF>: not accepted, content
  EXPECT_FALSE(a.done());

  Reader b(only_cr_cr);
  EXPECT_EQ(b.Feed("x\r.\r"), 4u);
  EXPECT_EQ(b.Feed("QUIT\r\n"), 0u);
  EXPECT_TRUE(b.done());
  EXPECT_EQ(b.consumed(), 4u);
  EXPECT_EQ(b.content(), "x\r");
  EXPECT_EQ(b.ended_by(), Kind::kCrDotCr);
}

// RFC 5321 4.1.1.4: chained look-alikes are each noticed; the real end
// after them is still found.
TEST(SmugglingTest, ChainedLookAlikes) {
  ReadOutcome r = ReadEverySplit("\n.\n.\n\r.\r.\r\n.\r\n");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "\n.\n.\n\r.\r.\r\n");
  std::vector<Kind> kinds;
  for (const Notice& n : r.notices) kinds.push_back(n.kind);
  std::vector<Kind> want = {Kind::kBareLf,  Kind::kLfDotLf, Kind::kBareLf,
                            Kind::kLfDotLf, Kind::kBareLf,  Kind::kBareCr,
                            Kind::kCrDotCr, Kind::kBareCr,  Kind::kCrDotCrLf};
  EXPECT_EQ(kinds, want);
}

// The attack end to end: a second transaction hidden behind <LF>.<LF>.
// Strictly it is one message; leniently the reader stops where the forged
// commands begin, which is exactly the bug a harness must be able to show.
TEST(SmugglingTest, SmuggledTransaction) {
  const std::string first = "Subject: hi\r\n\r\nhello\r\n\n.\n";
  const std::string forged =
      "MAIL FROM:<admin@victim.example>\r\nRCPT TO:<x@y>\r\nDATA\r\n"
      "Subject: forged\r\n\r\nbad\r\n.\r\n";
  const std::string wire = first + forged + "QUIT\r\n";

  ReadOutcome strict = ReadEverySplit(wire);
  EXPECT_TRUE(strict.done);
  EXPECT_EQ(strict.consumed, first.size() + forged.size());
  EXPECT_EQ(strict.content, first + forged.substr(0, forged.size() - 3));
  ASSERT_FALSE(strict.notices.empty());
  EXPECT_EQ(strict.notices[1], (Notice{Kind::kLfDotLf, first.size() - 2}));

  ReadOutcome lenient = ReadEverySplit(wire, Lenient());
  EXPECT_TRUE(lenient.done);
  EXPECT_EQ(wire.substr(lenient.consumed, 10), "MAIL FROM:");
  EXPECT_EQ(lenient.ended_by, Kind::kLfDotLf);
}

// Every kind has a description citing its RFC section; the look-alikes are
// eight distinct kinds with their spelling.
TEST(NoticeTest, KindsAreDescribed) {
  const std::vector<Kind> all = notice::EndLookAlikes();
  EXPECT_EQ(std::set<Kind>(all.begin(), all.end()).size(), 8u);
  for (const Variant& v : kVariants) {
    EXPECT_TRUE(notice::IsEndLookAlike(v.kind));
    EXPECT_NE(notice::Describe(v.kind).find(notice::Spelling(v.kind)),
              std::string::npos);
    EXPECT_NE(notice::Describe(v.kind).find("4.1.1.4"), std::string::npos);
  }
  for (Kind k : {Kind::kBareCr, Kind::kBareLf, Kind::kLongLine}) {
    EXPECT_FALSE(notice::IsEndLookAlike(k));
    EXPECT_NE(notice::Describe(k).find("RFC 5321"), std::string::npos);
  }
  EXPECT_EQ(notice::Spelling(Kind::kCrDotLf), "<CR>.<LF>");
}

}  // namespace
}  // namespace smtpspec::data
