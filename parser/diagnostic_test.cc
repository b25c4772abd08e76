#include "parser/diagnostic.h"

#include <string>

#include "gtest/gtest.h"

namespace smtpspec::parser {
namespace {

TEST(EscapeForTerminal, PrintableAsciiAndUtf8StayAsTheyAre) {
  EXPECT_EQ(EscapeForTerminal("EHLO client.example"), "EHLO client.example");
  EXPECT_EQ(EscapeForTerminal("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xA7"),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xA7");
}

TEST(EscapeForTerminal, ControlsAreShownNotSent) {
  // ESC [ 2 J would clear the screen; BEL rings; CR would overwrite.
  EXPECT_EQ(EscapeForTerminal("a\x1b[2Jb\x07\r\n\t\x7f"),
            "a\\x1B[2Jb\\x07\\r\\n\\t\\x7F");
  EXPECT_EQ(EscapeForTerminal(std::string("nul\0end", 7)), "nul\\x00end");
  // U+009B is CSI, a C1 control, even when well-formed UTF-8.
  EXPECT_EQ(EscapeForTerminal("x\xC2\x9B"
                              "2Jy"),
            "x\\xC2\\x9B2Jy");
}

TEST(EscapeForTerminal, MalformedUtf8IsEscapedByteByByte) {
  EXPECT_EQ(EscapeForTerminal("\x9B"), "\\x9B");           // lone continuation
  EXPECT_EQ(EscapeForTerminal("\xC0\xAF"), "\\xC0\\xAF");  // overlong '/'
  EXPECT_EQ(EscapeForTerminal("\xED\xA0\x80"), "\\xED\\xA0\\x80");  // surrogate
  EXPECT_EQ(EscapeForTerminal("\xE2\x82"), "\\xE2\\x82");           // truncated
  EXPECT_EQ(EscapeForTerminal("\xF4\x90\x80\x80"),
            "\\xF4\\x90\\x80\\x80");  // above U+10FFFF
}

TEST(FormatDiagnostic, EscapesTheFileAndTheMessage) {
  Diagnostic d{"evil\x1b]0;t\x07.smtp", 3, 7, "unknown directive '!\x1b[31m'"};
  EXPECT_EQ(FormatDiagnostic(d),
            "evil\\x1B]0;t\\x07.smtp:3:7: unknown directive '!\\x1B[31m'");
}

}  // namespace
}  // namespace smtpspec::parser
