// smtpspec_cli record: captures (cli/capture.h) in, scenarios out; the
// volatile parts of reply text (cli/record_text.h).
#include "cli/record.h"

#include <string>
#include <vector>

#include "cli/capture.h"
#include "cli/record_text.h"
#include "gtest/gtest.h"
#include "parser/parser.h"

namespace smtpspec::cli::record {
namespace {

using capture::Event;

Event C(std::string bytes) { return {Event::Kind::kClient, 0, bytes, false}; }
Event S(std::string bytes) { return {Event::Kind::kServer, 0, bytes, false}; }
Event Tls(Event::Kind kind) { return {kind, 0, "", false}; }

std::vector<Event> Session(std::vector<Event> middle) {
  std::vector<Event> out = {
      S("220 mx.example.org ESMTP ready\r\n"), C("EHLO c.example\r\n"),
      S("250-mx.example.org\r\n250-PIPELINING\r\n250 STARTTLS\r\n")};
  out.insert(out.end(), middle.begin(), middle.end());
  return out;
}

std::string Convert(const std::vector<Event>& events, bool client = false) {
  Options options;
  options.id = "recorded.test";
  options.client_under_test = client;
  Result<std::string> text = record::Convert(events, options);
  EXPECT_TRUE(text.ok()) << text.error().reason;
  if (!text.ok()) return "";
  // What record writes lints.
  EXPECT_TRUE(parser::Parse(*text, "t").scenario.has_value()) << *text;
  return *text;
}

TEST(Record, ServerUnderTestGetsPatternsVariablesAndPipelines) {
  const std::string text = Convert(Session({
      C("MAIL FROM:<a@c.example>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n"),
      S("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go ahead\r\n"),
      C("Subject: x\r\n\r\n..dot\r\n!end\r\n.\r\n"),
      S("250 2.0.0 Ok: queued as 4WJ2Xq0Jz4z9rwL\r\n"),
      C("QUIT\r\n"),
      S("221 2.0.0 Bye\r\n"),
  }));
  EXPECT_NE(text.find("vars: {domain: example.org, mailbox: bob@example.org, "
                      "client_domain: c.example, sender: a@c.example}"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("tests: server\n"), std::string::npos) << text;
  EXPECT_NE(text.find("delivers: true\n"), std::string::npos) << text;
  EXPECT_NE(text.find("S: 220 ...\nC: EHLO ${client_domain}\n"
                      "S: 250 ... +PIPELINING +STARTTLS\n"
                      "!pipeline\n  C: MAIL FROM:<${sender}>\n"
                      "  C: RCPT TO:<${mailbox}>\n  C: DATA\n!end\n"
                      "S: 250 2.1.0 Ok\nS: 250 2.1.5 Ok\nS: 354 go ahead\n"
                      "!body\nSubject: x\n\n.dot\n\\!end\n!end\n"
                      "S: 250 2.0.0 Ok: queued as *\nC: QUIT\n"
                      "S: 221 2.0.0 Bye\n"),
            std::string::npos)
      << text;
}

TEST(Record, ClientUnderTestGetsTheRepliesAsTheyWere) {
  const std::string text =
      Convert(Session({
                  C("MAIL FROM:<a@c.example> SIZE=1234\r\n"),
                  S("250 2.1.0 Ok\r\n"),
                  C("RCPT TO:<bob@example.org>\r\n"),
                  S("250 2.1.5 Ok\r\n"),
                  C("DATA\r\n"),
                  S("354 go ahead\r\n"),
                  C("Date: Mon, 7 Dec 2026 20:00:00 +0000\r\n\r\nhi\r\n.\r\n"),
                  S("250 2.0.0 Ok: queued as 4WJ2Xq0Jz4z9rwL\r\n"),
              }),
              /*client=*/true);
  EXPECT_NE(text.find("tests: client\n"), std::string::npos) << text;
  EXPECT_NE(text.find("delivers: false\n"), std::string::npos) << text;
  EXPECT_NE(text.find("S: 220 mx.example.org ESMTP ready\n"
                      "C: EHLO ${client_domain}\nS: 250-mx.example.org\n"
                      "S: 250-PIPELINING\nS: 250 STARTTLS\n"
                      "C: MAIL FROM:<${sender}> SIZE=*\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("S: 250 2.0.0 Ok: queued as 4WJ2Xq0Jz4z9rwL\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("!body"), std::string::npos) << text;
}

TEST(Record, BytesThatAreNoPlainLineAreRaw) {
  const std::string text = Convert(Session({
      C("NOOP\n"),
      S("250 ok\r\n"),
      C("NOOP \x01\r\n"),
      S("500 what\r\nnot a reply\r\n"),
  }));
  EXPECT_NE(text.find("C! \"NOOP\\n\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("C! \"NOOP \\x01\\r\\n\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("S: 500 what\nS! \"not a reply\\r\\n\"\n"),
            std::string::npos)
      << text;
}

TEST(Record, PassthroughEndsWhatIsRecorded) {
  const std::string text = Convert(Session({
      C("STARTTLS\r\n"),
      S("220 2.0.0 go\r\n"),
      Tls(Event::Kind::kPassthrough),
      C("\x16\x03\x01 tls bytes"),
  }));
  const std::size_t at =
      text.find("S: 220 2.0.0 go\n!starttls\n# Not recorded");
  ASSERT_NE(at, std::string::npos) << text;
  EXPECT_EQ(text.find("C", at + 20), std::string::npos) << text;
}

TEST(Record, TerminatedTlsGoesOn) {
  const std::string text = Convert(Session({
      C("STARTTLS\r\n"),
      S("220 2.0.0 go\r\n"),
      Tls(Event::Kind::kTls),
      C("EHLO c.example\r\n"),
      S("250 mx.example.org\r\n"),
  }));
  EXPECT_NE(text.find("inside it.\n!starttls\nC: EHLO ${client_domain}\n"
                      "S: 250 ...\n"),
            std::string::npos)
      << text;
}

TEST(Record, NothingRecordedIsAnError) {
  Result<std::string> text = record::Convert({}, Options{.id = "x"});
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().reason.find("nothing was recorded"),
            std::string::npos);
}

TEST(Capture, ParsesEventsAndNamesTheBadLine) {
  Result<std::vector<Event>> events = capture::Parse(
      "smtpspec-capture 1\nC 0.5 4e4f4f500d0a\n# note\ntls 1\neof S 2\n"
      "stop 3 too big\n");
  ASSERT_TRUE(events.ok()) << events.error().reason;
  ASSERT_EQ(events->size(), 4u);
  EXPECT_EQ((*events)[0].bytes, "NOOP\r\n");
  EXPECT_EQ((*events)[1].kind, Event::Kind::kTls);
  EXPECT_FALSE((*events)[2].client);
  EXPECT_EQ((*events)[3].bytes, "too big");
  EXPECT_EQ(capture::Parse("smtpspec-capture 1\nC 0 4g\n").error().reason,
            "line 2: '4g' is not a hex byte");
  EXPECT_EQ(capture::Parse("hello\n").error().reason,
            "line 1: not a capture (it starts with 'smtpspec-capture 1')");
  EXPECT_EQ(capture::Parse("smtpspec-capture 1\nX 0\n").error().reason,
            "line 2: unknown event 'X' (events: C, S, tls, passthrough, eof, "
            "stop)");
}

std::string Marked(std::string_view text) {
  std::string out;
  for (const Piece& p : MarkVolatile(text)) {
    out += p.kind == Piece::Kind::kAny ? "*" : p.text;
  }
  return out;
}

TEST(RecordText, VolatileReplyTextBecomesAStar) {
  EXPECT_EQ(Marked("Ok: queued as 4WJ2Xq0Jz4z9rwL"), "Ok: queued as *");
  EXPECT_EQ(Marked("OK id=1sBcDe-0001Ab-2F"), "OK id=*");
  EXPECT_EQ(Marked("mx ESMTP Mon, 7 Dec 2026 21:00:00 +0000"), "mx ESMTP *");
  EXPECT_EQ(Marked("hello [127.0.0.1]"), "hello [*]");
  EXPECT_EQ(Marked("8BITMIME SMTPUTF8 mx1 ready"),
            "8BITMIME SMTPUTF8 mx1 ready");
}

}  // namespace
}  // namespace smtpspec::cli::record
