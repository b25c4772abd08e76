// STARTTLS (RFC 3207) and the timers (RFC 5321 4.5.3.2) on the server
// machine, at the command level. The byte-level side of STARTTLS (plaintext
// pipelined after the command) is in session_test.cc.
#include <chrono>
#include <string>
#include <vector>

#include "engine/server/machine.h"
#include "engine/server/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::server {
namespace {

using testing::At;
using ::testing::Contains;
using testing::Driver;
using testing::HasEvent;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Summary;

Config TlsConfig() {
  Config config;
  ext::Enable(config.extensions, "starttls");
  return config;
}

// RFC 3207 4: 220 to STARTTLS, then the agent starts TLS; 4.2: afterwards
// the server forgets the EHLO and stops offering STARTTLS.
TEST(ServerStartTls, UpgradeForgetsEverything) {
  Driver d(TlsConfig());
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_THAT(d.last().lines, Contains("STARTTLS"));
  EXPECT_EQ(d.Say("STARTTLS"), "220 2.0.0 Ready to start TLS");
  EXPECT_TRUE(HasEvent(d.events(), event::Kind::kStartTls));
  EXPECT_EQ(d.machine().state(), State::kStartingTls);

  // Commands before the handshake completes are never executed.
  EXPECT_EQ(d.Say("MAIL FROM:<a@example.org>"), "<none>");
  EXPECT_TRUE(HasEvent(d.events(), event::Kind::kPlaintextAfterStarttls));
  EXPECT_THAT(d.handler().calls, Not(Contains(HasSubstr("MAIL"))));

  d.machine().TlsEstablished(At(2));
  EXPECT_TRUE(d.machine().tls());
  EXPECT_EQ(d.machine().state(), State::kConnected);
  EXPECT_TRUE(d.machine().envelope().helo.empty());
  // The EHLO before TLS no longer counts (RFC 3207 4.2).
  EXPECT_EQ(d.Say("MAIL FROM:<a@example.org>"), "503 Send EHLO or HELO first");
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_THAT(d.last().lines, Not(Contains("STARTTLS")));
  EXPECT_EQ(d.Say("STARTTLS"), "503 5.5.1 TLS already active");
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Code("DATA"), 354);
  d.machine().FinishData("x\r\n", false, At(3));
  d.Take();
  ASSERT_EQ(d.handler().messages.size(), 1u);
  EXPECT_TRUE(d.handler().messages[0].envelope.tls);
}

TEST(ServerStartTls, Refusals) {
  Driver plain;  // TLS not available: not offered, not implemented
  ASSERT_EQ(plain.Code("EHLO client.example"), 250);
  EXPECT_EQ(plain.Say("STARTTLS"), "502 5.5.1 STARTTLS not available");

  Driver d(TlsConfig());
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  // RFC 3207 4: "501 Syntax error (no parameters allowed)".
  EXPECT_EQ(d.Say("STARTTLS now"),
            "501 5.5.4 Syntax error (no parameters allowed)");
  ASSERT_EQ(d.Code("MAIL FROM:<a@example.org>"), 250);
  EXPECT_EQ(d.Code("STARTTLS"), 503);  // not inside a transaction
  EXPECT_EQ(d.machine().state(), State::kMail);
  EXPECT_FALSE(HasEvent(d.events(), event::Kind::kStartTls));
}

// Implicit TLS (RFC 8314) is the agent's business; TlsEstablished outside
// kStartingTls changes nothing.
TEST(ServerStartTls, EstablishedOnlyAfterStartTls) {
  Driver d(TlsConfig());
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  d.machine().TlsEstablished(At(1));
  EXPECT_FALSE(d.machine().tls());
  EXPECT_EQ(d.machine().state(), State::kReady);
}

// RFC 5321 4.5.3.2.7: the server waits at least 5 minutes for a command;
// then it may close with 421 (4.2.3). Deadlines are data: the caller
// passes `now` in and reads Deadline() back.
TEST(ServerTimer, CommandTimeout) {
  Driver d;
  ASSERT_TRUE(d.machine().Deadline());
  EXPECT_EQ(*d.machine().Deadline(), At(0) + std::chrono::minutes(5));
  ASSERT_EQ(d.Code("EHLO client.example", 10), 250);
  EXPECT_EQ(*d.machine().Deadline(), At(10) + std::chrono::minutes(5));

  d.machine().Tick(At(10 + 299));
  EXPECT_TRUE(d.Take().empty());
  EXPECT_EQ(d.machine().state(), State::kReady);

  d.machine().Tick(At(10 + 300));
  std::vector<Reply> replies = d.Take();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(Summary(replies[0]), "421 4.4.2 localhost Error: timeout exceeded");
  EXPECT_TRUE(HasEvent(d.events(), event::Kind::kTimeout));
  EXPECT_TRUE(HasEvent(d.events(), event::Kind::kClose));
  EXPECT_EQ(d.machine().state(), State::kClosed);
  EXPECT_FALSE(d.machine().Deadline());
  EXPECT_EQ(d.handler().logouts, 1);
  d.machine().Tick(At(1000));
  EXPECT_TRUE(d.Take().empty());
}

// Touch (bytes arrived) restarts the inactivity timer.
TEST(ServerTimer, TouchRestarts) {
  Config config;
  config.timeouts.command = std::chrono::seconds(30);
  Driver d(config);
  d.machine().Touch(At(20));
  d.machine().Tick(At(40));
  EXPECT_TRUE(d.Take().empty());
  EXPECT_EQ(*d.machine().Deadline(), At(50));
  d.machine().Tick(At(50));
  ASSERT_EQ(d.Take().size(), 1u);
  EXPECT_EQ(d.machine().state(), State::kClosed);
}

// While the DATA block is read, the data-block timeout applies (RFC 5321
// 4.5.3.2.5 gives the client 3 minutes a block; the server waits as long).
TEST(ServerTimer, DataBlockTimeout) {
  Config config;
  config.timeouts.data_block = std::chrono::seconds(60);
  Driver d(config);
  ASSERT_TRUE(d.OpenTransaction());
  ASSERT_EQ(d.Code("DATA", 100), 354);
  d.machine().Touch(At(100));
  EXPECT_EQ(*d.machine().Deadline(), At(160));
  d.machine().Touch(At(150));  // a chunk of content
  EXPECT_EQ(*d.machine().Deadline(), At(210));
  d.machine().Tick(At(210));
  std::vector<Reply> replies = d.Take();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].code, 421);
  EXPECT_TRUE(d.handler().messages.empty());
  EXPECT_EQ(d.handler().resets, 1);  // transaction abandoned
}

// The TLS handshake gets its own timeout, and bytes do not extend it.
TEST(ServerTimer, TlsHandshakeTimeout) {
  Config config = TlsConfig();
  config.timeouts.tls_handshake = std::chrono::seconds(10);
  Driver d(config);
  ASSERT_EQ(d.Code("EHLO client.example", 1), 250);
  ASSERT_EQ(d.Code("STARTTLS", 2), 220);
  d.machine().Tick(At(2));
  EXPECT_EQ(*d.machine().Deadline(), At(12));
  d.machine().Touch(At(11));
  EXPECT_EQ(*d.machine().Deadline(), At(12));
  d.machine().Tick(At(12));
  EXPECT_EQ(d.machine().state(), State::kClosed);
}

// Lost connection: the backend hears Logout once, with Reset for an open
// transaction; destroying the machine does not call it again.
TEST(ServerTimer, ConnectionLost) {
  testing::FakeHandler handler;
  {
    Machine machine(Config{}, handler);
    machine.Start(At(0));
    machine.Handle(testing::ParseTestCommand("EHLO c.example"), At(1));
    machine.Handle(testing::ParseTestCommand("MAIL FROM:<a@example.org>"),
                   At(1));
    machine.ConnectionLost();
    EXPECT_EQ(handler.resets, 1);
    EXPECT_EQ(handler.logouts, 1);
    EXPECT_EQ(machine.state(), State::kClosed);
  }
  EXPECT_EQ(handler.logouts, 1);
  {
    Machine machine(Config{}, handler);  // destroyed without goodbye
  }
  EXPECT_EQ(handler.logouts, 2);
}

}  // namespace
}  // namespace smtpspec::server
