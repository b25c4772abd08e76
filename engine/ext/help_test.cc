// HELP (RFC 5321 4.1.1.8): 214 listing the minimum implementation and the
// verbs the offered, available modules add.
#include "engine/ext/help.h"

#include "engine/ext/registry.h"
#include "gtest/gtest.h"

namespace smtpspec::ext {
namespace {

std::string Text(const List& list, bool tls) {
  const Extension* help = Find(list, "help");
  if (help == nullptr) return "<no help module>";
  std::optional<Reply> reply =
      help->Answer(Command{Verb::kHelp, "HELP", ""}, Context{0, tls, list});
  if (!reply || reply->lines.size() != 1) return "<not one line>";
  return std::to_string(reply->code) + " " + reply->lines[0];
}

TEST(Help, ListsTheVerbsOfTheOfferedModules) {
  List list = Defaults();
  EXPECT_EQ(Text(list, false),
            "214 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP "
            "BDAT");
  ASSERT_TRUE(Enable(list, "starttls"));
  EXPECT_EQ(Text(list, false),
            "214 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP "
            "STARTTLS BDAT");
  // RFC 3207 4.2: no STARTTLS once TLS is active.
  EXPECT_EQ(Text(list, true),
            "214 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP "
            "BDAT");
  Disable(list, "chunking");
  EXPECT_EQ(Text(list, true),
            "214 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP");
}

TEST(Help, HasNoEhloLineAndAddsHelp) {
  Help help;
  EXPECT_EQ(help.EhloLine(Context{}), std::nullopt);
  ASSERT_EQ(help.verbs().size(), 1u);
  EXPECT_EQ(help.verbs()[0], Verb::kHelp);
}

}  // namespace
}  // namespace smtpspec::ext
