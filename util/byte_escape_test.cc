#include "util/byte_escape.h"

#include <cstdio>
#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace smtpspec::util {
namespace {

constexpr EscapeStyle kScenario{};
constexpr EscapeStyle kLog{.escape_high = true, .escape_every_dollar = true};

std::string Escaped(std::string_view bytes, EscapeStyle style) {
  std::string out;
  AppendEscaped(bytes, style, out);
  return out;
}

TEST(ByteEscapeTest, NamedEscapesInBothStyles) {
  const std::string bytes("\r\n\t\0\\\"", 6);
  EXPECT_EQ(Escaped(bytes, kScenario), R"(\r\n\t\0\\\")");
  EXPECT_EQ(Escaped(bytes, kLog), R"(\r\n\t\0\\\")");
}

TEST(ByteEscapeTest, OtherControlBytesAndDelAreHex) {
  for (int c = 1; c < 0x20; ++c) {
    if (c == '\r' || c == '\n' || c == '\t') continue;
    char expected[8];
    std::snprintf(expected, sizeof expected, "\\x%02x", c);
    const std::string byte(1, static_cast<char>(c));
    EXPECT_EQ(Escaped(byte, kScenario), expected) << c;
    EXPECT_EQ(Escaped(byte, kLog), expected) << c;
  }
  EXPECT_EQ(Escaped("\x7f", kScenario), "\\x7f");
  EXPECT_EQ(Escaped("\x1b", kLog), "\\x1b");
}

TEST(ByteEscapeTest, PrintableAsciiIsKept) {
  EXPECT_EQ(Escaped("MAIL FROM:<a@b> ~{}", kScenario), "MAIL FROM:<a@b> ~{}");
  EXPECT_EQ(Escaped("MAIL FROM:<a@b> ~{}", kLog), "MAIL FROM:<a@b> ~{}");
}

TEST(ByteEscapeTest, HighBytesKeptInScenariosHexInLogs) {
  EXPECT_EQ(Escaped("caf\xc3\xa9", kScenario), "caf\xc3\xa9");
  EXPECT_EQ(Escaped("caf\xc3\xa9", kLog), "caf\\xc3\\xa9");
  EXPECT_EQ(Escaped("\x80\xff", kLog), "\\x80\\xff");
}

TEST(ByteEscapeTest, DollarOnlyBeforeBraceInScenarios) {
  EXPECT_EQ(Escaped("$5 ${x} $", kScenario), "$5 \\${x} $");
  EXPECT_EQ(Escaped("$5 ${x} $", kLog), "\\$5 \\${x} \\$");
  std::string out;
  AppendEscapedByte('$', /*brace_follows=*/true, kScenario, out);
  AppendEscapedByte('$', /*brace_follows=*/false, kScenario, out);
  EXPECT_EQ(out, "\\$$");
}

}  // namespace
}  // namespace smtpspec::util
