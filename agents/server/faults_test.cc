// Each deliberate fault of the broken test server, on the wire over real
// loopback sockets, next to what the conformant server says. These are the
// deviations issue 6's interpreter must catch; the RFC section each one
// breaks is named in its test.
#include "agents/server/faults.h"

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "agents/server/testing/running_server.h"
#include "gtest/gtest.h"

namespace smtpspec::agents::server {
namespace {

using testing::Peer;
using testing::RunningServer;
using testing::TestConfig;
using namespace std::chrono_literals;

// The messages in maildir `dir`/new, without the sink's first header line
// (X-Smtpspec-Envelope, agents/sink.h): what the client sent, as stored.
std::vector<std::string> ReadStored(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry :
       std::filesystem::directory_iterator(dir + "/new")) {
    std::ifstream file(entry.path(), std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    std::string data = text.str();
    std::size_t first = data.find('\n');
    out.push_back(first == std::string::npos ? "" : data.substr(first + 1));
  }
  return out;
}

TEST(ParseFaultsTest, ListsAndErrors) {
  Result<std::vector<Fault>> all = ParseFaults(
      "wrong-codes, rcpt-before-mail,broken-multiline,bare-lf-end,stall,"
      "early-close,reject-postmaster,no-vrfy,no-unstuff,nested-mail,"
      "greet-554-serve,long-line-close,ignore-size");
  ASSERT_TRUE(all.ok()) << all.error().reason;
  EXPECT_EQ(*all, AllFaults());
  Result<std::vector<Fault>> none = ParseFaults("");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  Result<std::vector<Fault>> typo = ParseFaults("stall,no-vrfi");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.error().offset, 6u);
  EXPECT_NE(typo.error().reason.find("did you mean 'no-vrfy'"),
            std::string::npos)
      << typo.error().reason;
  for (Fault fault : AllFaults()) {
    Result<std::vector<Fault>> one = ParseFaults(FaultName(fault));
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(*one, std::vector<Fault>{fault});
  }
}

// A server with `faults`, a connected peer past the greeting.
class FaultTest : public ::testing::Test {
 protected:
  void Start(std::vector<Fault> faults,
             const config::Server& config = TestConfig()) {
    auto server = RunningServer::Start(config, faults);
    ASSERT_TRUE(server.ok()) << server.error().reason;
    server_ = std::move(*server);
    peer_ = std::make_unique<Peer>(server_->address());
    ASSERT_TRUE(peer_->connected());
    greeting_ = peer_->ReadUntil("\r\n");
    if (!greet554_) {
      ASSERT_NE(greeting_.find("220 "), std::string::npos);
    }
  }
  // A server whose accepted messages go to a fresh maildir, maildir_.
  void StartWithMaildir(std::vector<Fault> faults) {
    const char* tmp = getenv("TEST_TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr ? tmp : "/tmp") + "/faults_md.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    maildir_ = pattern + "/md";
    config::Server config = TestConfig();
    config.sink = {sink::Kind::kMaildir, maildir_};
    Start(std::move(faults), config);
  }
  // One message through DATA; `content` is sent as is, then CRLF.CRLF.
  std::string Stored(const std::string& content) {
    Ask("EHLO client.example");
    Ask("MAIL FROM:<a@b.example>");
    Ask("RCPT TO:<c@d.example>");
    EXPECT_EQ(Ask("DATA").substr(0, 4), "354 ");
    EXPECT_EQ(Ask(content + "\r\n.").substr(0, 4), "250 ");
    std::vector<std::string> stored = ReadStored(maildir_);
    EXPECT_EQ(stored.size(), 1u);
    return stored.size() == 1 ? stored.front() : "";
  }
  // Sends `command` and returns the reply through its last line.
  std::string Ask(const std::string& command) {
    EXPECT_TRUE(peer_->Send(command + "\r\n"));
    std::string out;
    while (true) {
      std::string line = peer_->ReadUntil("\r\n", 3s);
      out += line;
      if (line.size() < 4 || line[3] != '-') return out;
    }
  }

  std::unique_ptr<RunningServer> server_;
  std::unique_ptr<Peer> peer_;
  std::string greeting_;
  bool greet554_ = false;
  std::string maildir_;
};

// RFC 5321 4.3.2: QUIT -> 221, NOOP -> 250.
TEST_F(FaultTest, Conformant) {
  Start({});
  EXPECT_EQ(Ask("NOOP").substr(0, 4), "250 ");
  EXPECT_EQ(Ask("RCPT TO:<a@b.example>").substr(0, 4), "503 ");
  EXPECT_EQ(Ask("VRFY a@b.example").substr(0, 4), "252 ");
  std::string ehlo = Ask("EHLO client.example");
  EXPECT_EQ(ehlo.find("251"), std::string::npos);
  EXPECT_EQ(Ask("MAIL FROM:<a@b.example>").substr(0, 4), "250 ");
  EXPECT_EQ(Ask("RCPT TO:<postmaster>").substr(0, 4), "250 ");
  EXPECT_EQ(Ask("QUIT").substr(0, 4), "221 ");
}

// RFC 5321 4.3.2 / 4.2.1: wrong codes.
TEST_F(FaultTest, WrongCodes) {
  Start({Fault::kWrongCodes});
  EXPECT_EQ(Ask("NOOP").substr(0, 4), "200 ");
  EXPECT_EQ(Ask("EHLO client.example").substr(0, 4), "250-");
  EXPECT_EQ(Ask("QUIT").substr(0, 4), "250 ");
}

// The faults rewrite replies to commands, never to a BDAT chunk's octets
// (RFC 3030 2): a chunk holding "NOOP" is answered as a chunk.
TEST_F(FaultTest, WrongCodesLeaveBdatChunksAlone) {
  Start({Fault::kWrongCodes});
  Ask("EHLO client.example");
  Ask("MAIL FROM:<a@b.example>");
  Ask("RCPT TO:<c@d.example>");
  EXPECT_EQ(Ask("BDAT 6\r\nNOOP"), "250 2.0.0 6 octets received\r\n");
  EXPECT_EQ(Ask("BDAT 0 LAST").substr(0, 4), "250 ");
  EXPECT_EQ(Ask("NOOP").substr(0, 4), "200 ");
}

// RFC 5321 4.1.4: RCPT before MAIL must get 503.
TEST_F(FaultTest, RcptBeforeMail) {
  Start({Fault::kRcptBeforeMail});
  Ask("EHLO client.example");
  EXPECT_EQ(Ask("RCPT TO:<a@b.example>").substr(0, 4), "250 ");
}

// RFC 5321 4.2.1: every line of a multiline reply has the same code.
TEST_F(FaultTest, BrokenMultiline) {
  Start({Fault::kBrokenMultiline});
  std::string ehlo = Ask("EHLO client.example");
  EXPECT_EQ(ehlo.substr(0, 4), "250-");
  EXPECT_NE(ehlo.find("\r\n251-"), std::string::npos) << ehlo;
  // The final line keeps 250 and a space, so the reply still ends.
  EXPECT_NE(ehlo.rfind("\r\n250 "), std::string::npos) << ehlo;
}

// RFC 5321 2.3.8 / 4.1.1.4: only CRLF.CRLF ends DATA ("SMTP smuggling").
TEST_F(FaultTest, BareLfEndsData) {
  Start({Fault::kBareLfEnd});
  Ask("EHLO client.example");
  Ask("MAIL FROM:<a@b.example>");
  Ask("RCPT TO:<c@d.example>");
  EXPECT_EQ(Ask("DATA").substr(0, 4), "354 ");
  EXPECT_EQ(Ask("Subject: x\r\n\r\nbody\n.").substr(0, 4), "250 ");
  // What follows the look-alike is read as commands: smuggled.
  EXPECT_EQ(Ask("NOOP").substr(0, 4), "250 ");
}

TEST_F(FaultTest, BareLfDoesNotEndDataWithoutTheFault) {
  Start({});
  Ask("EHLO client.example");
  Ask("MAIL FROM:<a@b.example>");
  Ask("RCPT TO:<c@d.example>");
  Ask("DATA");
  ASSERT_TRUE(peer_->Send("Subject: x\r\n\r\nbody\n.\nNOOP\r\n"));
  EXPECT_EQ(peer_->ReadFor(300ms), "");
  EXPECT_EQ(Ask("\r\n.").substr(0, 4), "250 ");
}

// RFC 5321 4.5.3.2: the server stops answering after EHLO.
TEST_F(FaultTest, Stall) {
  Start({Fault::kStall});
  EXPECT_EQ(Ask("EHLO client.example").substr(0, 4), "250-");
  ASSERT_TRUE(peer_->Send("NOOP\r\n"));
  EXPECT_EQ(peer_->ReadFor(500ms), "");
  EXPECT_FALSE(peer_->closed());
}

// RFC 5321 3.8: a server must not close without 421.
TEST_F(FaultTest, EarlyClose) {
  Start({Fault::kEarlyClose});
  EXPECT_EQ(Ask("EHLO client.example").substr(0, 4), "250-");
  ASSERT_TRUE(peer_->Send("NOOP\r\n") || true);
  EXPECT_EQ(peer_->ReadFor(2s), "");
  EXPECT_TRUE(peer_->closed());
}

// RFC 5321 4.5.1: postmaster must be accepted.
TEST_F(FaultTest, RejectPostmaster) {
  Start({Fault::kRejectPostmaster});
  Ask("EHLO client.example");
  Ask("MAIL FROM:<a@b.example>");
  EXPECT_EQ(Ask("RCPT TO:<Postmaster>").substr(0, 4), "550 ");
  EXPECT_EQ(Ask("RCPT TO:<postmaster@localhost>").substr(0, 4), "550 ");
  EXPECT_EQ(Ask("RCPT TO:<c@d.example>").substr(0, 4), "250 ");
}

// RFC 5321 4.5.1: VRFY is in the minimum implementation.
TEST_F(FaultTest, NoVrfy) {
  Start({Fault::kNoVrfy});
  Ask("EHLO client.example");
  EXPECT_EQ(Ask("VRFY a@b.example").substr(0, 4), "500 ");
  EXPECT_EQ(Ask("NOOP").substr(0, 4), "250 ");
}

// Faults combine; pipelined commands are each rewritten in order
// (RFC 2920: the replies keep the order of the commands).
TEST_F(FaultTest, TogetherAndPipelined) {
  Start({Fault::kWrongCodes, Fault::kNoVrfy, Fault::kRcptBeforeMail});
  ASSERT_TRUE(peer_->Send(
      "EHLO c.example\r\nRCPT TO:<a@b.example>\r\nNOOP\r\nVRFY x\r\nQUIT\r\n"));
  std::string all = peer_->ReadFor(1s);
  std::size_t rcpt = all.find("\r\n250 2.1.5");
  std::size_t noop = all.find("\r\n200 ");
  std::size_t vrfy = all.find("\r\n500 ");
  std::size_t quit = all.find("\r\n250 ", vrfy);
  ASSERT_NE(rcpt, std::string::npos) << all;
  ASSERT_NE(noop, std::string::npos) << all;
  ASSERT_NE(vrfy, std::string::npos) << all;
  ASSERT_NE(quit, std::string::npos) << all;
  EXPECT_LT(rcpt, noop);
  EXPECT_LT(noop, vrfy);
}

// RFC 5321 4.5.2: the receiver deletes the first of a line's leading dots.
// The replies stay correct; only the stored message shows the fault.
TEST_F(FaultTest, NoUnstuffKeepsTheStuffedDot) {
  StartWithMaildir({Fault::kNoUnstuff});
  EXPECT_EQ(Stored("Subject: x\r\n\r\n..hidden\r\n...two\r\n..\r\nend"),
            "Subject: x\r\n\r\n..hidden\r\n...two\r\n..\r\nend\r\n");
  EXPECT_EQ(Ask("NOOP").substr(0, 4), "250 ");
}

TEST_F(FaultTest, UnstuffedWithoutTheFault) {
  StartWithMaildir({});
  EXPECT_EQ(Stored("Subject: x\r\n\r\n..hidden\r\n...two\r\n..\r\nend"),
            "Subject: x\r\n\r\n.hidden\r\n..two\r\n.\r\nend\r\n");
}

// A leading "." that arrives alone (the rest of its line in the next write)
// is still a stuffed dot, and a lone "." still ends the data.
TEST_F(FaultTest, NoUnstuffAcrossWrites) {
  StartWithMaildir({Fault::kNoUnstuff});
  Ask("EHLO client.example");
  Ask("MAIL FROM:<a@b.example>");
  Ask("RCPT TO:<c@d.example>");
  ASSERT_EQ(Ask("DATA").substr(0, 4), "354 ");
  ASSERT_TRUE(peer_->Send("Subject: x\r\n\r\n."));
  EXPECT_EQ(peer_->ReadFor(100ms), "");
  ASSERT_TRUE(peer_->Send(".split\r\n."));
  EXPECT_EQ(peer_->ReadFor(100ms), "");
  EXPECT_EQ(Ask("").substr(0, 4), "250 ");
  std::vector<std::string> stored = ReadStored(maildir_);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored.front(), "Subject: x\r\n\r\n..split\r\n");
}

// RFC 5321 4.1.4: MAIL inside an open transaction gets 503.
TEST_F(FaultTest, NestedMail) {
  Start({});
  Ask("EHLO client.example");
  Ask("MAIL FROM:<a@b.example>");
  EXPECT_EQ(Ask("MAIL FROM:<c@b.example>").substr(0, 4), "503 ");
  Start({Fault::kNestedMail});
  Ask("EHLO client.example");
  // Before any transaction, 503 stays (MAIL before EHLO is another case).
  EXPECT_EQ(Ask("MAIL FROM:<a@b.example>").substr(0, 4), "250 ");
  EXPECT_EQ(Ask("MAIL FROM:<c@b.example>").substr(0, 4), "250 ");
  Ask("RCPT TO:<c@d.example>");
  EXPECT_EQ(Ask("MAIL FROM:<e@b.example>").substr(0, 4), "250 ");
  // The first transaction is still the one that goes on.
  EXPECT_EQ(Ask("DATA").substr(0, 4), "354 ");
}

TEST_F(FaultTest, NestedMailLeavesOtherSequenceErrors) {
  Start({Fault::kNestedMail});
  Ask("EHLO client.example");
  EXPECT_EQ(Ask("DATA").substr(0, 4), "503 ");
  EXPECT_EQ(Ask("RCPT TO:<c@d.example>").substr(0, 4), "503 ");
}

// RFC 5321 3.1: after a 554 greeting, 503 to all but QUIT. This server
// greets 554 and then answers as if it had greeted 220.
TEST_F(FaultTest, Greet554Serve) {
  greet554_ = true;
  Start({Fault::kGreet554Serve});
  EXPECT_EQ(greeting_.substr(0, 4), "554 ") << greeting_;
  EXPECT_EQ(Ask("EHLO client.example").substr(0, 4), "250-");
  EXPECT_EQ(Ask("MAIL FROM:<a@b.example>").substr(0, 4), "250 ");
  EXPECT_EQ(Ask("QUIT").substr(0, 4), "221 ");
}

// RFC 5321 4.5.3.1.4: a command line of 512 octets (CRLF included) must be
// accepted; this server closes the connection on one, without a reply.
TEST_F(FaultTest, LongLineClose) {
  const std::string noop510 = "NOOP " + std::string(505, 'x');  // + CRLF
  Start({});
  EXPECT_EQ(Ask(noop510).substr(0, 4), "250 ");
  Start({Fault::kLongLineClose});
  Ask("EHLO client.example");
  EXPECT_EQ(Ask("NOOP " + std::string(504, 'x')).substr(0, 4), "250 ");
  ASSERT_TRUE(peer_->Send(noop510 + "\r\n"));
  EXPECT_EQ(peer_->ReadFor(2s), "");
  EXPECT_TRUE(peer_->closed());
}

// Content lines are not command lines: a long text line is fine.
TEST_F(FaultTest, LongLineCloseLeavesContentAlone) {
  Start({Fault::kLongLineClose});
  Ask("EHLO client.example");
  Ask("MAIL FROM:<a@b.example>");
  Ask("RCPT TO:<c@d.example>");
  ASSERT_EQ(Ask("DATA").substr(0, 4), "354 ");
  EXPECT_EQ(Ask(std::string(900, 'y') + "\r\n.").substr(0, 4), "250 ");
}

// RFC 1870 6: MAIL with SIZE above the advertised maximum gets 552.
TEST_F(FaultTest, IgnoreSize) {
  const std::string big = "MAIL FROM:<a@b.example> SIZE=999999999999";
  Start({});
  Ask("EHLO client.example");
  EXPECT_EQ(Ask(big).substr(0, 4), "552 ");
  Start({Fault::kIgnoreSize});
  Ask("EHLO client.example");
  EXPECT_EQ(Ask(big).substr(0, 4), "250 ");
  // The transaction is open, as if SIZE had not been given.
  EXPECT_EQ(Ask("RCPT TO:<c@d.example>").substr(0, 4), "250 ");
  EXPECT_EQ(Ask("DATA").substr(0, 4), "354 ");
}

}  // namespace
}  // namespace smtpspec::agents::server
