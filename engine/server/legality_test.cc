// The legality table (legality.cc): its cells, and the machine
// answering each verb in each phase as the table says.
#include "engine/server/legality.h"

#include <string>
#include <vector>

#include "engine/server/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::server {
namespace {

using testing::Driver;

constexpr Verb kVerbs[] = {
    Verb::kUnknown, Verb::kEhlo, Verb::kHelo, Verb::kMail,     Verb::kRcpt,
    Verb::kData,    Verb::kRset, Verb::kNoop, Verb::kQuit,     Verb::kVrfy,
    Verb::kExpn,    Verb::kHelp, Verb::kAuth, Verb::kStarttls, Verb::kBdat};
constexpr Phase kAll[] = {Phase::kRefused, Phase::kConnected, Phase::kReady,
                          Phase::kMail,    Phase::kRcpt,      Phase::kChunks,
                          Phase::kSpoilt};

std::string Name(Verb verb) {
  const char* names[] = {"unknown", "EHLO", "HELO",     "MAIL", "RCPT",
                         "DATA",    "RSET", "NOOP",     "QUIT", "VRFY",
                         "EXPN",    "HELP", "STARTTLS", "AUTH", "BDAT"};
  return names[static_cast<int>(verb)];
}

// Every refusal is RFC 5321 4.2.2's "503 Bad sequence of commands", with
// RFC 3463's 5.5.1 and a reason.
TEST(Legality, EveryRefusalIsA503WithAReason) {
  for (Verb verb : kVerbs) {
    for (Phase phase : kAll) {
      const Rule& rule = Legality(verb, phase);
      if (rule.legal) continue;
      EXPECT_EQ(rule.code, 503) << Name(verb);
      EXPECT_EQ(rule.enhanced, (EnhancedCode{5, 5, 1})) << Name(verb);
      EXPECT_FALSE(rule.text.empty()) << Name(verb);
    }
  }
}

// RFC 5321 3.1: after a 554 greeting, 503 to everything but QUIT, before
// anything else about the command.
TEST(Legality, ARefusedSessionTakesOnlyQuit) {
  for (Verb verb : kVerbs) {
    const Rule& rule = Legality(verb, Phase::kRefused);
    if (verb == Verb::kQuit) {
      EXPECT_TRUE(rule.legal);
      continue;
    }
    EXPECT_FALSE(rule.legal) << Name(verb);
    EXPECT_FALSE(rule.after_argument) << Name(verb);
    EXPECT_EQ(rule.text, "No SMTP service here; only QUIT is accepted");
  }
  for (Phase phase : kAll) EXPECT_TRUE(Legality(Verb::kQuit, phase).legal);
}

// RFC 5321 4.1.4: "The NOOP, HELP, EXPN, VRFY, and RSET commands can be
// used at any time during a session".
TEST(Legality, SomeCommandsAreLegalAtAnyTime) {
  for (Verb verb : {Verb::kNoop, Verb::kHelp, Verb::kExpn, Verb::kVrfy,
                    Verb::kRset, Verb::kEhlo, Verb::kHelo}) {
    for (Phase phase : kAll) {
      if (phase == Phase::kRefused) continue;
      EXPECT_TRUE(Legality(verb, phase).legal) << Name(verb);
    }
  }
}

TEST(Legality, TheTransactionRules) {
  EXPECT_EQ(Legality(Verb::kMail, Phase::kConnected).text,
            "Send EHLO or HELO first");  // RFC 5321 4.1.4
  EXPECT_TRUE(Legality(Verb::kMail, Phase::kReady).legal);
  EXPECT_EQ(Legality(Verb::kMail, Phase::kChunks).text, "Nested MAIL command");
  EXPECT_EQ(Legality(Verb::kRcpt, Phase::kReady).text,
            "Need MAIL before RCPT");  // RFC 5321 3.3
  EXPECT_TRUE(Legality(Verb::kRcpt, Phase::kRcpt).legal);
  EXPECT_FALSE(Legality(Verb::kRcpt, Phase::kChunks).legal);
  EXPECT_EQ(Legality(Verb::kData, Phase::kMail).text, "No valid recipients");
  // RFC 3030 2: DATA after BDAT is 503 and leaves the state indeterminate.
  EXPECT_FALSE(Legality(Verb::kData, Phase::kChunks).legal);
  EXPECT_TRUE(Legality(Verb::kData, Phase::kChunks).spoils);
  EXPECT_FALSE(Legality(Verb::kData, Phase::kMail).spoils);
  // BDAT: legal with recipients, but a failure there spoils; decided after
  // its argument's 501.
  EXPECT_TRUE(Legality(Verb::kBdat, Phase::kRcpt).legal);
  EXPECT_TRUE(Legality(Verb::kBdat, Phase::kRcpt).spoils);
  EXPECT_TRUE(Legality(Verb::kBdat, Phase::kChunks).legal);
  EXPECT_FALSE(Legality(Verb::kBdat, Phase::kSpoilt).legal);
  EXPECT_TRUE(Legality(Verb::kBdat, Phase::kReady).after_argument);
  EXPECT_FALSE(Legality(Verb::kBdat, Phase::kReady).spoils);
  EXPECT_TRUE(Legality(Verb::kStarttls, Phase::kMail).after_argument);
  EXPECT_TRUE(Legality(Verb::kStarttls, Phase::kReady).legal);
}

TEST(Legality, PhaseOfTheState) {
  EXPECT_EQ(PhaseOf(State::kRefused, false, false), Phase::kRefused);
  EXPECT_EQ(PhaseOf(State::kConnected, false, false), Phase::kConnected);
  EXPECT_EQ(PhaseOf(State::kReady, false, false), Phase::kReady);
  EXPECT_EQ(PhaseOf(State::kMail, false, false), Phase::kMail);
  EXPECT_EQ(PhaseOf(State::kRcpt, false, false), Phase::kRcpt);
  EXPECT_EQ(PhaseOf(State::kRcpt, true, false), Phase::kChunks);
  EXPECT_EQ(PhaseOf(State::kRcpt, true, true), Phase::kSpoilt);
  EXPECT_EQ(PhaseOf(State::kRcpt, false, true), Phase::kSpoilt);
}

TEST(Legality, NotOfferedAndUnavailable) {
  EXPECT_EQ(
      NotOffered(Verb::kExpn, "expn"),
      (Error{502, EnhancedCode{5, 5, 1}, "Command not implemented: expn"}));
  EXPECT_EQ(NotOffered(Verb::kBdat, "bdat").text,
            "Command not implemented: BDAT");
  EXPECT_EQ(NotOffered(Verb::kHelp, "HELP").code, 502);
  EXPECT_EQ(Unavailable(Verb::kStarttls),
            (Error{503, EnhancedCode{5, 5, 1}, "TLS already active"}));
}

// A Driver brought to `phase`, with STARTTLS offered; false if it could
// not be.
bool Reach(Driver& d, Phase phase) {
  switch (phase) {
    case Phase::kRefused:
      return d.machine().state() == State::kRefused;
    case Phase::kConnected:
      return true;
    case Phase::kReady:
      return d.Code("EHLO client.example") == 250;
    case Phase::kMail:
      return d.Code("EHLO client.example") == 250 &&
             d.Code("MAIL FROM:<a@example.org>") == 250;
    case Phase::kRcpt:
      return d.OpenTransaction();
    case Phase::kChunks:
      return d.OpenTransaction() &&
             d.Bdat("3", "abc") == "250 2.0.0 3 octets received";
    case Phase::kSpoilt:
      return d.OpenTransaction() && d.Bdat("3", "abc").starts_with("250") &&
             d.Code("DATA") == 503;
  }
  return false;
}

// The command line that exercises `verb`, valid in itself.
std::string Line(Verb verb) {
  switch (verb) {
    case Verb::kUnknown:
      return "XYZZY";
    case Verb::kEhlo:
    case Verb::kHelo:
      return Name(verb) + " client.example";
    case Verb::kMail:
      return "MAIL FROM:<c@example.org>";
    case Verb::kRcpt:
      return "RCPT TO:<d@example.org>";
    case Verb::kVrfy:
    case Verb::kExpn:
      return Name(verb) + " someone";
    case Verb::kAuth:
      return "AUTH PLAIN";
    case Verb::kBdat:
      return "BDAT 0";
    default:
      return Name(verb);
  }
}

// The machine answers 503 exactly where the table refuses, with the
// table's reply; a legal verb never gets a 503.
TEST(Legality, TheMachineAnswersAsTheTableSays) {
  for (Phase phase : kAll) {
    for (Verb verb : kVerbs) {
      Config config;
      ext::Enable(config.extensions, "starttls");
      if (phase == Phase::kRefused) config.greeting = Greeting::kRefuse;
      Driver d(config);
      ASSERT_TRUE(Reach(d, phase)) << static_cast<int>(phase);
      const Rule& rule = Legality(verb, phase);
      std::string reply =
          verb == Verb::kBdat ? d.Bdat("0", "") : d.Say(Line(verb));
      const std::string where =
          Name(verb) + " in phase " + std::to_string(static_cast<int>(phase));
      if (rule.legal) {
        EXPECT_FALSE(reply.starts_with("503")) << where << ": " << reply;
      } else {
        // Enhanced codes only once EHLO has advertised them (RFC 2034 3).
        const bool greeted =
            phase != Phase::kRefused && phase != Phase::kConnected;
        EXPECT_EQ(reply, std::string(greeted ? "503 5.5.1 " : "503 ") +
                             std::string(rule.text))
            << where;
      }
    }
  }
}

}  // namespace
}  // namespace smtpspec::server
