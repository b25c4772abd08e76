// A whole client (client::Connection) against a whole server
// (server::Session) in memory: bytes shuttled between them in chunks of
// every size, for several message shapes. The server's backend must receive
// exactly the message the client was given (RFC 5321 4.5.2: dot-stuffing
// is transparent; 4.1.1.4: the CRLF before the final dot belongs to the
// content).
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/client/connection.h"
#include "engine/client/test_util.h"
#include "engine/esmtp.h"
#include "engine/server/session.h"
#include "engine/server/test_util.h"
#include "gtest/gtest.h"

namespace smtpspec {
namespace {

using client::testing::Mail;
using client::testing::P;
using server::testing::FakeHandler;

// How bytes are cut on their way: every chunk whole, one byte at a time, or
// random sizes from a seeded generator (a different cut every seed, the
// same cut every run).
struct Cut {
  std::size_t max_chunk = client::Connection::kAll;  // 1: byte by byte
  unsigned seed = 0;                                 // 0: fixed chunk size
};

class Shuttle {
 public:
  explicit Shuttle(Cut cut) : cut_(cut), random_(cut.seed) {}

  std::size_t Next() {
    if (cut_.seed == 0) return cut_.max_chunk;
    return std::uniform_int_distribution<std::size_t>(1,
                                                      cut_.max_chunk)(random_);
  }

 private:
  Cut cut_;
  std::mt19937 random_;
};

struct LoopResult {
  client::Outcome outcome;
  bool client_tls = false;
  std::vector<FakeHandler::Message> delivered;
  std::vector<server::Event> server_events;
};

// Runs one session to its end. "TLS" is a pass-through: both sides are told
// the handshake succeeded and the bytes go on unchanged.
LoopResult RunSession(client::Config client_config,
                      std::vector<client::Message> messages,
                      server::Config server_config, FakeHandler& handler,
                      Cut cut) {
  const client::Time now{};
  client::Connection c(std::move(client_config), std::move(messages), now);
  server::Session s(std::move(server_config), handler, server::ConnectionInfo{},
                    now);
  Shuttle shuttle(cut);
  LoopResult result;
  bool client_closed = false;
  for (int rounds = 0; rounds < 100000; ++rounds) {
    bool moved = false;
    std::string to_client = s.TakeOutput();
    for (std::size_t i = 0; i < to_client.size();) {
      std::size_t n = std::min(shuttle.Next(), to_client.size() - i);
      c.Feed(std::string_view(to_client).substr(i, n), now);
      i += n;
      moved = true;
    }
    for (server::Event& e : s.TakeEvents()) {
      if (e.kind == server::event::Kind::kStartTls) s.TlsEstablished(now);
      result.server_events.push_back(std::move(e));
    }
    for (const client::Event& e : c.TakeEvents()) {
      if (e.kind == client::Event::Kind::kStartTls) c.TlsEstablished(now);
      if (e.kind == client::Event::Kind::kClose) client_closed = true;
    }
    while (c.pending_output() > 0) {
      s.Feed(c.TakeOutput(now, shuttle.Next()), now);
      moved = true;
    }
    if (!moved) break;
  }
  EXPECT_TRUE(client_closed);
  EXPECT_TRUE(s.closed());
  result.outcome = c.outcome();
  result.client_tls = c.machine().tls_active();
  result.delivered = handler.messages;
  return result;
}

// What the server must store for `body`: the body itself, with the CRLF the
// client adds to an unterminated last line (RFC 5321 4.1.1.4).
std::string Stored(const std::string& body) {
  if (body.empty() || body.ends_with("\r\n")) return body;
  return body + "\r\n";
}

std::vector<Cut> Cuts(bool include_bytewise = true) {
  std::vector<Cut> cuts = {Cut{}};
  if (include_bytewise) cuts.push_back(Cut{1, 0});
  for (unsigned seed = 1; seed <= 4; ++seed) {
    cuts.push_back(Cut{seed % 2 ? 7u : 5000u, seed});
  }
  return cuts;
}

client::Config ClientConfig() { return client::testing::TestConfig(); }

std::string Describe(const Cut& cut) {
  return "max_chunk=" + std::to_string(cut.max_chunk) +
         " seed=" + std::to_string(cut.seed);
}

// Delivers one message with `body` and checks it arrived intact.
void ExpectDelivered(const std::string& body, bool include_bytewise = true) {
  for (const Cut& cut : Cuts(include_bytewise)) {
    SCOPED_TRACE(Describe(cut));
    FakeHandler handler;
    LoopResult r = RunSession(ClientConfig(), {Mail({"bob@example.org"}, body)},
                              server::Config{}, handler, cut);
    EXPECT_EQ(r.outcome.ending, client::Ending::kQuit);
    ASSERT_EQ(r.delivered.size(), 1u);
    EXPECT_TRUE(r.delivered[0].content == Stored(body))
        << "content differs; sizes " << r.delivered[0].content.size() << " and "
        << Stored(body).size();
    EXPECT_EQ(r.outcome.transactions[0].disposition,
              client::Disposition::kAccepted);
  }
}

TEST(LoopbackTest, EmptyBody) { ExpectDelivered(""); }

TEST(LoopbackTest, OneLine) { ExpectDelivered("Subject: hi\r\n\r\nHello\r\n"); }

// RFC 5321 4.5.2: lines starting with "." survive stuffing and unstuffing,
// including a lone "." line that would otherwise end the data.
TEST(LoopbackTest, LeadingDots) {
  ExpectDelivered(".\r\n..\r\n.a\r\nb.\r\n\r\n.\r\n...\r\n.x");
}

// RFC 6152: 8-bit content goes with BODY=8BITMIME to a server that
// advertises 8BITMIME, and arrives byte for byte.
TEST(LoopbackTest, EightBitWith8BitMime) {
  std::string body = "caf\xc3\xa9\r\n\xff\x80\x01\t\r\n";
  ExpectDelivered(body);
  FakeHandler handler;
  LoopResult r = RunSession(ClientConfig(), {Mail({"bob@example.org"}, body)},
                            server::Config{}, handler, Cut{});
  ASSERT_EQ(r.delivered.size(), 1u);
  const Parameter* param =
      FindParameter(r.delivered[0].envelope.mail_parameters, "BODY");
  ASSERT_NE(param, nullptr);
  EXPECT_EQ(param->value, "8BITMIME");
}

// A 1 MB body in lines of every length up to the 1000-octet limit
// (RFC 5321 4.5.3.1.6), many starting with a dot.
TEST(LoopbackTest, OneMegabyte) {
  std::string body;
  std::mt19937 random(42);
  while (body.size() < (1u << 20)) {
    std::size_t length =
        std::uniform_int_distribution<std::size_t>(0, 998)(random);
    std::string line(length, 'a' + static_cast<char>(body.size() % 26));
    if (length > 0 && random() % 3 == 0) line[0] = '.';
    body += line + "\r\n";
  }
  ExpectDelivered(body, /*include_bytewise=*/false);
}

// RFC 5321 4.5.3.1.8: a server accepts at least 100 recipients.
TEST(LoopbackTest, HundredRecipients) {
  std::vector<std::string> recipients;
  for (int i = 0; i < 100; ++i) {
    recipients.push_back("user" + std::to_string(i) + "@example.org");
  }
  for (const Cut& cut : Cuts()) {
    SCOPED_TRACE(Describe(cut));
    FakeHandler handler;
    LoopResult r = RunSession(ClientConfig(), {Mail(recipients, "x\r\n")},
                              server::Config{}, handler, cut);
    ASSERT_EQ(r.delivered.size(), 1u);
    ASSERT_EQ(r.delivered[0].envelope.recipients.size(), 100u);
    EXPECT_EQ(r.delivered[0].envelope.recipients[99].path,
              P("user99@example.org"));
    for (const client::RecipientResult& rr :
         r.outcome.transactions[0].recipients) {
      EXPECT_EQ(rr.disposition, client::Disposition::kAccepted);
    }
  }
}

// RFC 5321 3.3: refused recipients do not stop delivery to the others; a
// message whose recipients are all refused is not sent, and RSET
// (4.1.1.5) clears the way for the next one.
TEST(LoopbackTest, RejectedRecipients) {
  for (const Cut& cut : Cuts()) {
    SCOPED_TRACE(Describe(cut));
    FakeHandler handler;
    handler.rcpt_answer = [](const Path& path) -> std::optional<server::Error> {
      if (path.mailbox.local_part.starts_with("bad")) {
        return server::Error{550, EnhancedCode{5, 1, 1}, "no such user"};
      }
      return std::nullopt;
    };
    LoopResult r = RunSession(
        ClientConfig(),
        {Mail({"good1@example.org", "bad1@example.org", "good2@example.org"},
              "first\r\n"),
         Mail({"bad2@example.org"}, "second\r\n"),
         Mail({"good3@example.org"}, "third\r\n")},
        server::Config{}, handler, cut);
    EXPECT_EQ(r.outcome.ending, client::Ending::kQuit);
    ASSERT_EQ(r.delivered.size(), 2u);
    EXPECT_EQ(r.delivered[0].content, "first\r\n");
    ASSERT_EQ(r.delivered[0].envelope.recipients.size(), 2u);
    EXPECT_EQ(r.delivered[1].content, "third\r\n");
    const client::Transaction& first = r.outcome.transactions[0];
    EXPECT_EQ(first.disposition, client::Disposition::kAccepted);
    EXPECT_EQ(first.recipients[1].disposition,
              client::Disposition::kPermanentFailure);
    EXPECT_EQ(first.recipients[1].reply->enhanced, (EnhancedCode{5, 1, 1}));
    EXPECT_EQ(r.outcome.transactions[1].disposition,
              client::Disposition::kPermanentFailure);
    EXPECT_EQ(r.outcome.transactions[2].disposition,
              client::Disposition::kAccepted);
    bool rset = false;
    for (const client::Step& step : r.outcome.steps) {
      rset |= step.stage == client::Stage::kRset &&
              step.reply_class == client::ReplyClass::kPositive;
    }
    EXPECT_TRUE(rset);
  }
}

// RFC 3207: STARTTLS, handshake (pass-through here), EHLO again, then the
// transaction under "TLS".
TEST(LoopbackTest, StartTls) {
  for (const Cut& cut : Cuts()) {
    SCOPED_TRACE(Describe(cut));
    client::Config config = ClientConfig();
    config.tls = client::TlsPolicy::kRequired;
    server::Config server_config;
    ext::Enable(server_config.extensions, "starttls");
    FakeHandler handler;
    LoopResult r = RunSession(config, {Mail({"bob@example.org"}, ".dot\r\n")},
                              server_config, handler, cut);
    EXPECT_EQ(r.outcome.ending, client::Ending::kQuit);
    EXPECT_TRUE(r.client_tls);
    ASSERT_EQ(r.delivered.size(), 1u);
    EXPECT_TRUE(r.delivered[0].envelope.tls);
    EXPECT_EQ(r.delivered[0].content, ".dot\r\n");
    int ehlos = 0;
    for (const client::Step& step : r.outcome.steps) {
      ehlos += step.stage == client::Stage::kEhlo;
    }
    EXPECT_EQ(ehlos, 2);
  }
}

// RFC 1870 6: the client does not send what the server's SIZE refuses.
TEST(LoopbackTest, TooBigForAdvertisedSize) {
  server::Config server_config;
  server_config.max_message_size = 100;
  FakeHandler handler;
  LoopResult r = RunSession(ClientConfig(),
                            {Mail({"bob@example.org"}, std::string(200, 'x')),
                             Mail({"bob@example.org"}, "small\r\n")},
                            server_config, handler, Cut{});
  ASSERT_EQ(r.delivered.size(), 1u);
  EXPECT_EQ(r.delivered[0].content, "small\r\n");
  EXPECT_EQ(r.outcome.transactions[0].disposition,
            client::Disposition::kPermanentFailure);
}

// RFC 5321 3.1: a refusing server's 554 greeting, QUIT, 221.
TEST(LoopbackTest, RefusedGreeting) {
  server::Config server_config;
  server_config.greeting = server::Greeting::kRefuse;
  FakeHandler handler;
  LoopResult r = RunSession(ClientConfig(), {Mail({"bob@example.org"})},
                            server_config, handler, Cut{});
  EXPECT_EQ(r.outcome.ending, client::Ending::kGreetingRefused);
  EXPECT_TRUE(r.delivered.empty());
  ASSERT_TRUE(r.outcome.steps.back().reply.has_value());
  EXPECT_EQ(r.outcome.steps.back().reply->code, 221);
}

}  // namespace
}  // namespace smtpspec
