#include "util/json_writer.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace smtpspec::util {
namespace {

// Decodes UTF-8 (as a JSON parser would read the writer's output) into
// code points; -1 for a malformed sequence.
std::vector<long> CodePoints(std::string_view utf8) {
  std::vector<long> out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    std::size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    long cp = len == 1 ? c : c & (0x7f >> len);
    for (std::size_t k = 1; k < len; ++k) {
      const auto d = static_cast<unsigned char>(utf8[i + k]);
      if ((d & 0xc0) != 0x80) return {-1};
      cp = cp << 6 | (d & 0x3f);
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string S(std::string_view text) {
  return JsonWriter().String(text).Take();
}
std::string B(std::string_view bytes) {
  return JsonWriter().Bytes(bytes).Take();
}

TEST(JsonWriterTest, PlacesCommasInObjectsAndArrays) {
  JsonWriter w;
  w.BeginObject();
  w.Key("a").Int(1);
  w.Key("b").BeginArray().Int(-2).Bool(true).Bool(false).Null().EndArray();
  w.Key("c").BeginObject().EndObject();
  w.Key("d").BeginArray().BeginObject().Key("x").String("y").EndObject();
  w.BeginArray().EndArray().EndArray();
  w.Key("e").Strings({"p", "q"});
  w.Key("f").Strings({});
  w.EndObject();
  EXPECT_EQ(w.str(),
            R"({"a":1,"b":[-2,true,false,null],"c":{},"d":[{"x":"y"},[]],)"
            R"("e":["p","q"],"f":[]})");
}

TEST(JsonWriterTest, NumbersHaveThreeDecimals) {
  EXPECT_EQ(JsonWriter().Number(12.5).str(), "12.500");
  EXPECT_EQ(JsonWriter().Number(0).str(), "0.000");
  EXPECT_EQ(JsonWriter().Number(-0.0004).str(), "-0.000");
  EXPECT_EQ(JsonWriter().Number(1.0 / 0.0).str(), "null");
  EXPECT_EQ(JsonWriter().Number(1e300).str().size(), 301u + 4u);
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndNamedControls) {
  EXPECT_EQ(S("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(S("\r\n\t"), R"("\r\n\t")");
  EXPECT_EQ(B("\r\n\t\"\\"), R"("\r\n\t\"\\")");
}

TEST(JsonWriterTest, EscapesEveryOtherControlByteAndDel) {
  for (int c = 0; c < 0x20; ++c) {
    if (c == '\n' || c == '\r' || c == '\t') continue;
    char expected[16];
    std::snprintf(expected, sizeof expected, "\"\\u%04x\"", c);
    const std::string byte(1, static_cast<char>(c));
    EXPECT_EQ(S(byte), expected) << c;
    EXPECT_EQ(B(byte), expected) << c;
  }
  EXPECT_EQ(S("\x7f"), R"("\u007f")");
  EXPECT_EQ(B("\x7f"), R"("\u007f")");
  EXPECT_EQ(S(std::string("a\0b", 3)), R"("a\u0000b")");
}

TEST(JsonWriterTest, PrintableAsciiIsCopied) {
  std::string ascii;
  for (int c = 0x20; c < 0x7f; ++c) {
    if (c != '"' && c != '\\') ascii += static_cast<char>(c);
  }
  EXPECT_EQ(S(ascii), "\"" + ascii + "\"");
  EXPECT_EQ(B(ascii), "\"" + ascii + "\"");
}

// docs/results-schema.md: each byte 0x00-0xFF is the code point
// U+0000-U+00FF, whatever the bytes are.
TEST(JsonWriterTest, BytesAreOneCodePointEach) {
  EXPECT_EQ(B("\xe9"), "\"\xc3\xa9\"");
  EXPECT_EQ(B("\x80"), "\"\xc2\x80\"");
  EXPECT_EQ(B("\xff"), "\"\xc3\xbf\"");
  // Valid UTF-8 is not kept as such: its bytes are the data.
  EXPECT_EQ(B("\xc3\xa9"), "\"\xc3\x83\xc2\xa9\"");
  for (int c = 0x80; c <= 0xff; ++c) {
    const std::string out = B(std::string(1, static_cast<char>(c)));
    EXPECT_EQ(CodePoints(out.substr(1, out.size() - 2)), std::vector<long>{c})
        << c;
  }
}

TEST(JsonWriterTest, TextKeepsValidUtf8AndReplacesBadBytes) {
  EXPECT_EQ(S("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(S("\xe2\x82\xac"), "\"\xe2\x82\xac\"");          // U+20AC
  EXPECT_EQ(S("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");  // U+1F600
  EXPECT_EQ(S("caf\xe9"), "\"caf\xef\xbf\xbd\"");            // Latin-1 é
  EXPECT_EQ(S("\xc0\xaf"), "\"\xef\xbf\xbd\xef\xbf\xbd\"");  // overlong
  EXPECT_EQ(S("\xf5\x80\x80\x80").substr(0, 4), "\"\xef\xbf\xbd");
  EXPECT_EQ(S("\xe2\x82"), "\"\xef\xbf\xbd\xef\xbf\xbd\"");  // cut short
  EXPECT_EQ(S("\x80"), "\"\xef\xbf\xbd\"");  // a lone continuation byte
}

TEST(JsonWriterTest, KeysAreTextStrings) {
  JsonWriter w;
  w.BeginObject().Key("k\"\x01").String("v").EndObject();
  EXPECT_EQ(w.str(), R"({"k\"\u0001":"v"})");
}

}  // namespace
}  // namespace smtpspec::util
