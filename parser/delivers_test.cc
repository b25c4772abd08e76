// Whether a scenario may complete a mail transaction (parser/delivers.h),
// from its steps: each way to end a transaction, and the near misses that
// deliver nothing.
#include "parser/delivers.h"

#include <string>

#include "gtest/gtest.h"
#include "parser/parser.h"

namespace smtpspec::parser {
namespace {

constexpr char kHead[] =
    "---\nid: t.delivers\ntests: server\n---\nS: 220 ...\n"
    "C: EHLO c.example\nS: 250 ...\nC: MAIL FROM:<a@c.example>\n"
    "S: 250 ...\nC: RCPT TO:<postmaster@s.example>\nS: 250 ...\n";

// The line of the delivering step, 0 for none; -1 if the text is broken.
int DeliversAt(const std::string& steps, const std::string& head = kHead) {
  ParseResult r = Parse(head + steps, "t.smtp");
  if (!r.scenario) {
    ADD_FAILURE() << (r.diagnostics.empty() ? std::string("no scenario")
                                            : r.diagnostics[0].message);
    return -1;
  }
  const Step* step = DeliveringStep(*r.scenario);
  return step ? step->position.line : 0;
}

TEST(DeliversTest, DataWithABodyDelivers) {
  EXPECT_EQ(DeliversAt("C: DATA\nS: 354 ...\n!body\nhello\n!end\n"
                       "S: 250 ...\nC: QUIT\nS: 221 ...\n"),
            14);
}

TEST(DeliversTest, DataWithRawContentDelivers) {
  // The smuggling and split-write scenarios send the content raw.
  EXPECT_EQ(DeliversAt("C: DATA\nS: 354 ...\nC! \"hi\\r\\n.\\r\\n\"\n"
                       "S: 250 ...\n"),
            14);
  // A raw DATA command, then raw content.
  EXPECT_EQ(DeliversAt("C! \"data\\r\\n\"\nS: 354 ...\nC! \"x\\r\\n.\\r\\n\"\n"
                       "S: 250 ...\n"),
            14);
  // DATA in a pipeline, then the body.
  EXPECT_EQ(DeliversAt("!pipeline\nC: RSET\nC: data\n!end\nS: 250 ...\n"
                       "S: 354 ...\n!body\nx\n!end\nS: 250 ...\n"),
            18);
}

TEST(DeliversTest, BdatLastDelivers) {
  EXPECT_EQ(DeliversAt("!bdat 3 \"abc\"\nS: 250 ...\n"), 0);
  EXPECT_EQ(DeliversAt("!bdat 3 \"abc\"\nS: 250 ...\n!bdat 0 last\n"
                       "S: 250 ...\n"),
            14);
}

TEST(DeliversTest, ARefusedDataFollowedByCommandsDeliversNothing) {
  EXPECT_EQ(DeliversAt("C: DATA\nS: 503 ...\nC: QUIT\nS: 221 ...\n"), 0);
  EXPECT_EQ(DeliversAt("C: NOOP\nS: 250 ...\nC: QUIT\nS: 221 ...\n"), 0);
  // Raw commands before any DATA are commands, not content.
  EXPECT_EQ(DeliversAt("C! \"RSET \\r\\n\"\nS: 250 ...\n"), 0);
  // A verb that starts with DATA is not DATA.
  EXPECT_EQ(DeliversAt("C: DATAX\nS: 500 ...\nC! \"x\\r\\n\"\nS: 500 ...\n"),
            0);
}

TEST(DeliversTest, AClientScenarioDeliversNothingToItsTarget) {
  EXPECT_EQ(DeliversAt("S: 220 ok\nC: EHLO *\nS: 250 ok\nC: MAIL *\n"
                       "S: 250 ok\nC: RCPT *\nS: 250 ok\nC: DATA\n"
                       "S: 354 go\n!body\nx\n!end\nS: 250 ok\n",
                       "---\nid: t.client\ntests: client\n---\n"),
            0);
  // The same steps delivered by the harness, in server mode.
  EXPECT_EQ(DeliversAt("S: 220 ok\nC: EHLO *\nS: 250 ok\nC: MAIL *\n"
                       "S: 250 ok\nC: RCPT *\nS: 250 ok\nC: DATA\n"
                       "S: 354 go\n!body\nx\n!end\nS: 250 ok\n",
                       "---\nid: t.server\ntests: server\n---\n"),
            14);
}

}  // namespace
}  // namespace smtpspec::parser
