#include "engine/syntax.h"

#include <string>

#include "gtest/gtest.h"

namespace smtpspec::syntax {
namespace {

// RFC 5322 3.2.3 atext: exactly letters, digits and 19 specials.
TEST(SyntaxTest, AtextIsExactlyTheRfc5322Set_Rfc5322_3_2_3) {
  int count = 0;
  for (int c = 0; c < 256; ++c) count += IsAtext(static_cast<char>(c));
  EXPECT_EQ(count, 26 + 26 + 10 + 19);
  for (char c : std::string("()<>[]:;@\\,.\" ")) EXPECT_FALSE(IsAtext(c)) << c;
}

// RFC 5321 4.1.2: qtextSMTP = %d32-33 / %d35-91 / %d93-126.
TEST(SyntaxTest, QtextSmtp_Rfc5321_4_1_2) {
  for (int c = 0; c < 256; ++c) {
    const bool want =
        (c >= 32 && c <= 33) || (c >= 35 && c <= 91) || (c >= 93 && c <= 126);
    EXPECT_EQ(IsQtextSmtp(static_cast<char>(c)), want) << c;
  }
}

// RFC 3629 section 4 (UTF8-2/3/4), including its excluded ranges.
TEST(SyntaxTest, Utf8SequenceLength_Rfc3629_4) {
  EXPECT_EQ(Utf8SequenceLength("\xC3\xA9", 0), 2u);
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82\xAC", 0), 3u);      // U+20AC
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9F\x98\x80", 0), 4u);  // U+1F600
  EXPECT_EQ(Utf8SequenceLength("\xF4\x8F\xBF\xBF", 0), 4u);  // U+10FFFF
  EXPECT_EQ(Utf8SequenceLength("a", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("\x80", 0), 0u);              // continuation
  EXPECT_EQ(Utf8SequenceLength("\xC0\xAF", 0), 0u);          // overlong '/'
  EXPECT_EQ(Utf8SequenceLength("\xE0\x80\xAF", 0), 0u);      // overlong
  EXPECT_EQ(Utf8SequenceLength("\xED\xA0\x80", 0), 0u);      // surrogate
  EXPECT_EQ(Utf8SequenceLength("\xF4\x90\x80\x80", 0), 0u);  // > U+10FFFF
  EXPECT_EQ(Utf8SequenceLength("\xF5\x80\x80\x80", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82", 0), 0u);  // truncated
  EXPECT_EQ(Utf8SequenceLength("\xC3", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("\xC3(", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("x\xC3\xA9", 1), 2u);
  EXPECT_EQ(Utf8SequenceLength("x", 5), 0u);
}

// RFC 5321 4.1.2 esmtp-keyword / 4.1.1.1 ehlo-keyword.
TEST(SyntaxTest, FindKeywordError_Rfc5321_4_1_2) {
  EXPECT_EQ(FindKeywordError("SIZE"), std::string_view::npos);
  EXPECT_EQ(FindKeywordError("8BITMIME"), std::string_view::npos);
  EXPECT_EQ(FindKeywordError("X-A-"), std::string_view::npos);
  EXPECT_EQ(FindKeywordError(""), 0u);
  EXPECT_EQ(FindKeywordError("-X"), 0u);
  EXPECT_EQ(FindKeywordError("AUTH=PLAIN"), 4u);
}

// RFC 6531 3.3: UTF8-non-ascii only with SMTPUTF8, and well-formed.
TEST(SyntaxTest, NonAsciiLength_Rfc6531_3_3) {
  const std::string text = "a\xC3\xA9\xC3";
  Result<std::size_t> ascii = NonAsciiLength(text, 1, Charset::kAscii, "x");
  ASSERT_FALSE(ascii.ok());
  EXPECT_EQ(ascii.error().offset, 1u);
  EXPECT_NE(ascii.error().reason.find("SMTPUTF8"), std::string::npos);
  EXPECT_EQ(*NonAsciiLength(text, 1, Charset::kUtf8, "x"), 2u);
  Result<std::size_t> cut = NonAsciiLength(text, 3, Charset::kUtf8, "x");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().offset, 3u);
  EXPECT_NE(cut.error().reason.find("invalid UTF-8 in x"), std::string::npos);
}

// RFC 5321 2.4: case-insensitive in ASCII only.
TEST(SyntaxTest, CaseInsensitiveAsciiOnly_Rfc5321_2_4) {
  EXPECT_TRUE(EqualsIgnoreCase("PostMaster", "postmaster"));
  EXPECT_FALSE(EqualsIgnoreCase("postmaster", "postmaste"));
  EXPECT_FALSE(EqualsIgnoreCase("\xC3\x89", "\xC3\xA9"));  // É vs é
  EXPECT_TRUE(StartsWithIgnoreCase("from:<>", "FROM:"));
  EXPECT_FALSE(StartsWithIgnoreCase("FRO", "FROM:"));
  EXPECT_EQ(DescribeByte('\r'), "byte 0x0D");
  EXPECT_EQ(DescribeByte('\xFF'), "byte 0xFF");
  EXPECT_EQ(DescribeByte('a'), "'a'");
  EXPECT_EQ(DescribeByte(' '), "space");
}

// 1*DIGIT (RFC 5234 B.1) into 64 bits, nothing else.
TEST(SyntaxTest, ParseDecimal) {
  EXPECT_EQ(ParseDecimal("0"), 0u);
  EXPECT_EQ(ParseDecimal("007"), 7u);
  EXPECT_EQ(ParseDecimal("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(ParseDecimal("18446744073709551616"), std::nullopt);
  EXPECT_EQ(ParseDecimal("99999999999999999999999"), std::nullopt);
  EXPECT_EQ(ParseDecimal(""), std::nullopt);
  EXPECT_EQ(ParseDecimal("-1"), std::nullopt);
  EXPECT_EQ(ParseDecimal("+1"), std::nullopt);
  EXPECT_EQ(ParseDecimal("1 "), std::nullopt);
  EXPECT_EQ(ParseDecimal("1e3"), std::nullopt);
  EXPECT_EQ(ParseDecimal("\xD9\xA1"), std::nullopt);  // ARABIC-INDIC DIGIT ONE
}

}  // namespace
}  // namespace smtpspec::syntax
