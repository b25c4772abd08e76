// The reference server over real loopback sockets: durable delivery before
// the 250 (RFC 5321 4.1.1.4, 6.1), 451 when the sink fails (4.2.3),
// hostile clients (over-long lines, garbage, NUL, bare LF, silence), 421 on
// shutdown (3.8), transcripts, and IPv6.
#include "agents/server/server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

#include "agents/server/testing/running_server.h"
#include "agents/sink.h"
#include "agents/testing/certs.h"
#include "engine/ext/registry.h"
#include "gtest/gtest.h"

namespace smtpspec::agents::server {
namespace {

using testing::Peer;
using testing::RunningServer;
using testing::TestConfig;
using namespace std::chrono_literals;

std::string TempDir(const std::string& name) {
  Result<std::string> dir = agents::testing::MakeTempDir(name);
  EXPECT_TRUE(dir.ok());
  return dir.ok() ? *dir : "/tmp";
}

// Sends a whole transaction and returns the reply to the final ".".
std::string Transaction(Peer& peer, const std::string& body) {
  peer.ReadUntil("\r\n");  // greeting
  peer.Send("EHLO client.example\r\n");
  peer.ReadUntil("\r\n250 ");
  peer.ReadUntil("\r\n");
  peer.Send("MAIL FROM:<a@b.example>\r\n");
  peer.ReadUntil("\r\n");
  peer.Send("RCPT TO:<c@d.example>\r\n");
  peer.ReadUntil("\r\n");
  peer.Send("DATA\r\n");
  peer.ReadUntil("354 ");
  peer.ReadUntil("\r\n");
  peer.Send(body + ".\r\n");
  return peer.ReadUntil("\r\n");
}

// RFC 5321 4.1.1.4 / 6.1: once 250 is sent, the message is on disk.
TEST(ServerTest, MessageIsInTheMaildirWhenTwoFiftyArrives) {
  std::string dir = TempDir("server_maildir") + "/md";
  config::Server config = TestConfig();
  config.sink = {sink::Kind::kMaildir, dir};
  auto server = RunningServer::Start(config);
  ASSERT_TRUE(server.ok()) << server.error().reason;
  Peer peer((*server)->address());
  std::string reply = Transaction(peer, "Subject: t\r\n\r\n..dot\r\n");
  ASSERT_EQ(reply.substr(0, 4), "250 ") << reply;
  Result<std::vector<sink::Message>> stored = sink::ReadMaildir(dir);
  ASSERT_TRUE(stored.ok()) << stored.error().reason;
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].data, "Subject: t\r\n\r\n.dot\r\n");
  EXPECT_EQ((*stored)[0].envelope.reverse_path, "a@b.example");
  EXPECT_EQ((*stored)[0].envelope.recipients,
            std::vector<std::string>{"c@d.example"});
  EXPECT_EQ((*stored)[0].envelope.helo, "client.example");
}

// RFC 3030 2 (CHUNKING, on by default): a message sent in pipelined BDAT
// chunks goes through the same sink as DATA's, on disk before the 250 to
// BDAT LAST, byte for byte: no dot-stuffing, and CRLF.CRLF, bare CR and LF
// and NUL are data.
TEST(ServerTest, BdatMessageIsInTheMaildirWhenTwoFiftyArrives) {
  std::string dir = TempDir("server_bdat") + "/md";
  config::Server config = TestConfig();
  config.sink = {sink::Kind::kMaildir, dir};
  auto server = RunningServer::Start(config);
  ASSERT_TRUE(server.ok()) << server.error().reason;
  Peer peer((*server)->address());
  peer.ReadUntil("\r\n");  // greeting
  peer.Send("EHLO client.example\r\n");
  std::string ehlo = peer.ReadUntil("\r\n250 ");
  ehlo += peer.ReadUntil("\r\n");
  EXPECT_NE(ehlo.find("CHUNKING\r\n"), std::string::npos) << ehlo;
  const std::string one = "Subject: t\r\n\r\n.\r\n..dot\r\n";
  const std::string two = std::string("a\rb\nc\0d", 7);
  peer.Send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nBDAT " +
            std::to_string(one.size()) + "\r\n" + one + "BDAT " +
            std::to_string(two.size()) + " LAST\r\n" + two);
  EXPECT_EQ(peer.ReadUntil("\r\n").substr(0, 4), "250 ");
  EXPECT_EQ(peer.ReadUntil("\r\n").substr(0, 4), "250 ");
  EXPECT_EQ(peer.ReadUntil("\r\n"),
            "250 2.0.0 " + std::to_string(one.size()) + " octets received\r\n");
  std::string reply = peer.ReadUntil("\r\n");
  ASSERT_EQ(reply.substr(0, 4), "250 ") << reply;
  Result<std::vector<sink::Message>> stored = sink::ReadMaildir(dir);
  ASSERT_TRUE(stored.ok()) << stored.error().reason;
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].data, one + two);
  EXPECT_EQ((*stored)[0].envelope.recipients,
            std::vector<std::string>{"c@d.example"});
}

// `extensions.chunking: false`: CHUNKING is not advertised and BDAT is not
// implemented (RFC 5321 4.2.4); its chunk is still not run as commands.
TEST(ServerTest, ChunkingCanBeSwitchedOff) {
  config::Server config = TestConfig();
  ext::Disable(config.extensions, "chunking");
  auto server = RunningServer::Start(config);
  ASSERT_TRUE(server.ok()) << server.error().reason;
  Peer peer((*server)->address());
  peer.ReadUntil("\r\n");
  peer.Send("EHLO client.example\r\n");
  std::string ehlo = peer.ReadUntil("\r\n250 ");
  ehlo += peer.ReadUntil("\r\n");
  EXPECT_EQ(ehlo.find("CHUNKING"), std::string::npos) << ehlo;
  peer.Send("BDAT 6 LAST\r\nQUIT\r\nNOOP\r\n");
  EXPECT_EQ(peer.ReadUntil("\r\n").substr(0, 4), "502 ");
  EXPECT_EQ(peer.ReadUntil("\r\n").substr(0, 4), "250 ");  // the NOOP
}

// RFC 5321 4.2.3: a sink that cannot store gives 451, not 250.
TEST(ServerTest, SinkFailureIsFourFiftyOne) {
  std::string dir = TempDir("server_sinkfail") + "/md";
  config::Server config = TestConfig();
  config.sink = {sink::Kind::kMaildir, dir};
  auto server = RunningServer::Start(config);
  ASSERT_TRUE(server.ok()) << server.error().reason;
  // Break the maildir under the running server: tmp/ becomes a file.
  ASSERT_EQ(rmdir((dir + "/tmp").c_str()), 0);
  std::ofstream(dir + "/tmp") << "not a directory";
  Peer peer((*server)->address());
  std::string reply = Transaction(peer, "Subject: t\r\n\r\nx\r\n");
  EXPECT_EQ(reply.substr(0, 4), "451 ") << reply;
}

// Local domains and mailboxes decide RCPT (RFC 5321 4.1.1.3), VRFY answers
// from the same list (3.5.3), and postmaster is always taken (4.5.1).
TEST(ServerTest, MailboxesAndVrfy) {
  config::Server config = TestConfig();
  config.local_domains = {"d.example"};
  config.mailboxes = {"known@d.example"};
  config.vrfy = config::VrfyMode::k250;
  auto server = RunningServer::Start(config);
  ASSERT_TRUE(server.ok()) << server.error().reason;
  Peer peer((*server)->address());
  peer.ReadUntil("\r\n");
  peer.Send("HELO c.example\r\nMAIL FROM:<>\r\n");
  peer.ReadUntil("\r\n");
  peer.ReadUntil("\r\n");
  auto ask = [&](const std::string& line) {
    peer.Send(line + "\r\n");
    return peer.ReadUntil("\r\n");
  };
  EXPECT_EQ(ask("RCPT TO:<known@D.EXAMPLE>").substr(0, 4), "250 ");
  EXPECT_EQ(ask("RCPT TO:<Known@d.example>").substr(0, 4), "550 ");
  EXPECT_EQ(ask("RCPT TO:<x@elsewhere.example>").substr(0, 4), "550 ");
  EXPECT_EQ(ask("RCPT TO:<postmaster@d.example>").substr(0, 4), "250 ");
  EXPECT_EQ(ask("VRFY known@d.example"), "250 <known@d.example>\r\n");
  EXPECT_EQ(ask("VRFY nobody@d.example").substr(0, 4), "550 ");
}

// Hostile bytes get error replies; the session and the server go on, and
// a well-behaved client is served afterwards.
TEST(ServerTest, HostileBytesThenAWellBehavedClient) {
  auto server = RunningServer::Start(TestConfig());
  ASSERT_TRUE(server.ok()) << server.error().reason;
  {
    Peer peer((*server)->address());
    peer.ReadUntil("\r\n");
    // RFC 5321 4.5.3.1.4: 512 octets; 4.5.3.1.10 "500 line too long".
    peer.Send(std::string(100000, 'A') + "\r\n");
    EXPECT_EQ(peer.ReadUntil("\r\n").substr(0, 1), "5");
    // 2.3.8: a bare LF is not a line end (4.1.1.4), so neither NOOP runs:
    // the first reply to come is an error, and the NOOP after the next
    // CRLF is the first to get 250.
    peer.Send("NOOP\nNOOP\r\nNOOP\r\n");
    std::string replies = peer.ReadUntil("250 ");
    EXPECT_EQ(replies.substr(0, 1), "5") << replies;
    EXPECT_EQ(replies.find("250"), replies.size() - 4) << replies;
    peer.ReadUntil("\r\n");
    // NUL in a command line.
    peer.Send(std::string("NO\0OP\r\n", 7));
    EXPECT_EQ(peer.ReadUntil("\r\n").substr(0, 1), "5");
    peer.Send("NOOP\r\n");
    EXPECT_EQ(peer.ReadUntil("\r\n").substr(0, 4), "250 ");
  }
  {
    // Binary garbage, lines and all.
    Peer peer((*server)->address());
    peer.ReadUntil("\r\n");
    std::mt19937 random(5321);
    std::string garbage;
    for (int i = 0; i < 200000; ++i) garbage += static_cast<char>(random());
    peer.Send(garbage);
    peer.ReadFor(200ms);
  }
  Peer good((*server)->address());
  EXPECT_EQ(Transaction(good, "Subject: ok\r\n\r\nok\r\n").substr(0, 4),
            "250 ");
}

// RFC 5321 4.5.3.2.7: a client that never speaks is timed out with 421.
TEST(ServerTest, SilentClientGetsFourTwentyOne) {
  config::Server config = TestConfig();
  config.timeouts.server = 300ms;
  auto server = RunningServer::Start(config);
  ASSERT_TRUE(server.ok()) << server.error().reason;
  Peer peer((*server)->address());
  EXPECT_EQ(peer.ReadUntil("\r\n").substr(0, 4), "220 ");
  std::string last = peer.ReadUntil("\r\n", 3s);
  EXPECT_EQ(last.substr(0, 4), "421 ") << last;
  peer.ReadFor(1s);
  EXPECT_TRUE(peer.closed());
}

// RFC 5321 3.8: shutting down (SIGTERM) says 421 to every open session.
TEST(ServerTest, ShutdownSaysFourTwentyOne) {
  auto server = RunningServer::Start(TestConfig());
  ASSERT_TRUE(server.ok()) << server.error().reason;
  Peer a((*server)->address());
  Peer b((*server)->address());
  a.ReadUntil("\r\n");
  b.ReadUntil("\r\n");
  a.Send("EHLO a.example\r\n");
  a.ReadUntil("\r\n250 ");
  (*server)->Stop();
  EXPECT_NE(a.ReadFor(1s).find("421 "), std::string::npos);
  EXPECT_EQ(b.ReadFor(1s).substr(0, 4), "421 ");
  EXPECT_TRUE(b.closed());
}

// Transcripts in the C:/S: form, bare LF shown exactly.
TEST(ServerTest, TranscriptLog) {
  std::string log = TempDir("server_transcript") + "/log.txt";
  config::Server config = TestConfig();
  config.transcript_log = log;
  auto server = RunningServer::Start(config);
  ASSERT_TRUE(server.ok()) << server.error().reason;
  {
    Peer peer((*server)->address());
    peer.ReadUntil("\r\n");
    peer.Send("NOOP\nx\r\nQUIT\r\n");
    peer.ReadFor(500ms);
  }
  (*server)->Stop();
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("# session "), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("S: 220 localhost"), std::string::npos);
  EXPECT_NE(text.str().find("C! \"NOOP\\n\"\nC: x\nC: QUIT\n"),
            std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("S: 221 "), std::string::npos);
}

TEST(ServerTest, Ipv6) {
  config::Server config = TestConfig();
  config.listen = {Address{"::1", 0}};
  auto server = RunningServer::Start(config);
  ASSERT_TRUE(server.ok()) << server.error().reason;
  EXPECT_EQ((*server)->address().host, "::1");
  Peer peer((*server)->address());
  ASSERT_TRUE(peer.connected());
  EXPECT_EQ(Transaction(peer, "x\r\n").substr(0, 4), "250 ");
}

}  // namespace
}  // namespace smtpspec::agents::server
