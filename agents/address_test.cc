#include "agents/address.h"

#include "gtest/gtest.h"

namespace smtpspec::agents {
namespace {

TEST(AddressTest, ParsesIpv4AndIpv6AndLocalhost) {
  Result<Address> v4 = ParseAddress("127.0.0.1:2525");
  ASSERT_TRUE(v4.ok()) << v4.error().reason;
  EXPECT_EQ(*v4, (Address{"127.0.0.1", 2525}));
  Result<Address> v6 = ParseAddress("[::1]:0");
  ASSERT_TRUE(v6.ok()) << v6.error().reason;
  EXPECT_EQ(*v6, (Address{"::1", 0}));
  EXPECT_TRUE(IsIpv6(*v6));
  Result<Address> local = ParseAddress("localhost:25");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->host, "127.0.0.1");
}

TEST(AddressTest, FormatsBackToTheSameText) {
  for (const char* text : {"127.0.0.1:25", "[::1]:2525", "0.0.0.0:0"}) {
    Result<Address> parsed = ParseAddress(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_EQ(FormatAddress(*parsed), text);
  }
}

TEST(AddressTest, RejectsBadAddressesWithReasons) {
  struct Case {
    const char* text;
    std::size_t offset;
    const char* reason_part;
  };
  for (const Case& c : std::vector<Case>{
           {"127.0.0.1", 9, "HOST:PORT"},
           {"::1:25", 0, "brackets"},
           {"[::1", 0, "closing ']'"},
           {"[::1]25", 5, "':PORT'"},
           {"127.0.0.1:65536", 10, "0 to 65535"},
           {"127.0.0.1:", 10, "0 to 65535"},
           {"127.0.0.1:2x", 10, "0 to 65535"},
           {"mx.example.org:25", 0, "not a numeric IPv4"},
       }) {
    Result<Address> parsed = ParseAddress(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.error().offset, c.offset) << c.text;
    EXPECT_NE(parsed.error().reason.find(c.reason_part), std::string::npos)
        << c.text << ": " << parsed.error().reason;
  }
}

}  // namespace
}  // namespace smtpspec::agents
