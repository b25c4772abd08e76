#include "engine/client/extensions.h"

#include "engine/client/test_util.h"
#include "gtest/gtest.h"

namespace smtpspec::client {
namespace {

using testing::MakeReply;

// RFC 5321 4.1.1.1: keywords are case-insensitive; unknown ones ignored.
TEST(ClientExtensionsTest, FromEhlo) {
  Reply reply =
      MakeReply(250, {"server.example hello", "size 12345", "8bitmime",
                      "StartTLS", "X-UNKNOWN a b", "PIPELINING"});
  Extensions e = ExtensionsFromEhlo(reply);
  EXPECT_TRUE(e.starttls);
  EXPECT_TRUE(e.eight_bit_mime);
  EXPECT_TRUE(e.size);
  EXPECT_EQ(e.size_limit, 12345u);
  // The greeting line is not a keyword, even when it looks like one.
  Extensions none = ExtensionsFromEhlo(MakeReply(250, {"SIZE"}));
  EXPECT_EQ(none, Extensions{});
  Extensions garbled = ExtensionsFromEhlo(
      MakeReply(250, {"s", "SIZE 12x", "SIZE 99999999999999999999"}));
  EXPECT_TRUE(garbled.size);
  EXPECT_EQ(garbled.size_limit, 0u);
  Extensions no_limit = ExtensionsFromEhlo(MakeReply(250, {"s", "SIZE"}));
  EXPECT_TRUE(no_limit.size);
  EXPECT_EQ(no_limit.size_limit, 0u);
  Extensions two = ExtensionsFromEhlo(MakeReply(250, {"s", "SIZE 1 2"}));
  EXPECT_EQ(two.size_limit, 0u);
}

// Legacy and sloppy lines read as clients read them (engine/ehlo.h
// kLenient): runs of blanks, leading blanks, "SIZE=n", tabs.
TEST(ClientExtensionsTest, FromLegacyEhlo) {
  Extensions e = ExtensionsFromEhlo(
      MakeReply(250, {"mx", "AUTH=PLAIN LOGIN", "  starttls ", "SIZE\t  2048",
                      "", "8BITMIME=x"}));
  EXPECT_TRUE(e.starttls);
  EXPECT_TRUE(e.eight_bit_mime);
  EXPECT_TRUE(e.size);
  EXPECT_EQ(e.size_limit, 2048u);
  // The first SIZE line counts.
  EXPECT_EQ(ExtensionsFromEhlo(MakeReply(250, {"mx", "SIZE 10", "SIZE 20"}))
                .size_limit,
            10u);
  // Not a prefix match: STARTTLSX is another keyword.
  EXPECT_FALSE(
      ExtensionsFromEhlo(MakeReply(250, {"mx", "STARTTLSX"})).starttls);
}

}  // namespace
}  // namespace smtpspec::client
