#include "engine/xtext.h"

#include <random>
#include <string>
#include <vector>

#include "engine/syntax_test_util.h"
#include "gtest/gtest.h"

namespace smtpspec {
namespace {

// RFC 3461 section 4: "+", "=", and octets outside 33..126 become "+HH".
TEST(XtextTest, EncodesWhatIsNotAnXchar_Rfc3461_4) {
  EXPECT_EQ(EncodeXtext(""), "");
  EXPECT_EQ(EncodeXtext("rfc822;user@example.org"), "rfc822;user@example.org");
  EXPECT_EQ(EncodeXtext("a+b=c d"), "a+2Bb+3Dc+20d");
  EXPECT_EQ(EncodeXtext("\r\n\x7F\xFF"), "+0D+0A+7F+FF");
  EXPECT_EQ(EncodeXtext(std::string("\0", 1)), "+00");
  EXPECT_EQ(EncodeXtext("!~"), "!~");
}

TEST(XtextTest, Decodes_Rfc3461_4) {
  EXPECT_EQ(*DecodeXtext("a+2Bb+3Dc+20d"), "a+b=c d");
  EXPECT_EQ(*DecodeXtext("+00+FF"), std::string("\0\xFF", 2));
  // Escaping an octet that needs none is still valid xtext.
  EXPECT_EQ(*DecodeXtext("+41"), "A");
}

TEST(XtextTest, RejectsBadXtext_Rfc3461_4) {
  const std::vector<std::tuple<std::string, std::size_t, std::string>> cases = {
      {"+", 1, "ends inside"},
      {"a+4", 3, "ends inside"},
      {"+2b", 2, "lower case"},
      {"+g0", 1, "not a hex digit"},
      {"+ 0", 1, "not a hex digit"},
      {"a=b", 1, "'=' must be encoded"},
      {"a b", 1, "space must be encoded"},
      {"\x7F", 0, "byte 0x7F must be encoded"},
      {"\xC3\xA9", 0, "byte 0xC3 must be encoded"},
      {"ok\r\n", 2, "byte 0x0D"},
  };
  for (const auto& [text, offset, reason] : cases) {
    testing::ExpectError(DecodeXtext(text), offset, reason, text);
  }
}

// Round trips over every octet and over random strings (fixed seed); the
// encoding is always an esmtp-value's worth of xchars and hexchars.
TEST(XtextTest, RoundTrips_Rfc3461_4) {
  std::string every;
  for (int c = 0; c < 256; ++c) every += static_cast<char>(c);
  std::mt19937 rng(3461);
  std::vector<std::string> inputs = {every};
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    const int n = rng() % 20;
    for (int k = 0; k < n; ++k) s += static_cast<char>(rng() % 256);
    inputs.push_back(s);
  }
  for (const std::string& s : inputs) {
    const std::string encoded = EncodeXtext(s);
    for (char c : encoded) {
      EXPECT_TRUE(c >= 33 && c <= 126 && c != '=') << encoded;
    }
    Result<std::string> decoded = DecodeXtext(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded << ": " << decoded.error().reason;
    EXPECT_EQ(*decoded, s);
    // Fed byte by byte, a prefix fails only inside a "+HH".
    testing::CountAcceptedPrefixes(
        encoded, [](std::string_view t) { return DecodeXtext(t); });
  }
}

}  // namespace
}  // namespace smtpspec
