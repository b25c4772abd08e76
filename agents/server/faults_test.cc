// Each deliberate fault of the broken test server, on the wire over real
// loopback sockets, next to what the conformant server says. These are the
// deviations issue 6's interpreter must catch; the RFC section each one
// breaks is named in its test.
#include "agents/server/faults.h"

#include <chrono>

#include "agents/server/testing/running_server.h"
#include "gtest/gtest.h"

namespace smtpspec::agents::server {
namespace {

using testing::Peer;
using testing::RunningServer;
using testing::TestConfig;
using namespace std::chrono_literals;

TEST(ParseFaultsTest, ListsAndErrors) {
  Result<std::vector<Fault>> all = ParseFaults(
      "wrong-codes, rcpt-before-mail,broken-multiline,bare-lf-end,stall,"
      "early-close,reject-postmaster,no-vrfy");
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
  void Start(std::vector<Fault> faults) {
    auto server = RunningServer::Start(TestConfig(), faults);
    ASSERT_TRUE(server.ok()) << server.error().reason;
    server_ = std::move(*server);
    peer_ = std::make_unique<Peer>(server_->address());
    ASSERT_TRUE(peer_->connected());
    ASSERT_NE(peer_->ReadUntil("\r\n").find("220 "), std::string::npos);
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

}  // namespace
}  // namespace smtpspec::agents::server
