// The shape of engine/ext proved: XTEST, a toy extension that exists only
// in this file, is defined here and offered with one registration line
// (below, in Offered()), and the real server machine then advertises it
// and has it check its MAIL parameter, with no other change anywhere.
// Without that line its parameter is unknown: 555 (RFC 5321 4.1.1.11).
#include <string>

#include "engine/ext/extension.h"
#include "engine/ext/registry.h"
#include "engine/server/config.h"
#include "engine/server/test_util.h"
#include "engine/syntax.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::ext {
namespace {

using server::testing::Driver;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// EHLO keyword XTEST; MAIL parameter XTEST=<digits>, noted in the
// transaction; any other value refused 501 5.5.4.
class Xtest final : public Extension {
 public:
  struct Value : State {
    std::string value;
  };

  std::string_view name() const override { return "xtest"; }
  std::optional<std::string> EhloLine(const Context& context) const override {
    return "XTEST";
  }
  std::span<const std::string_view> mail_parameters() const override {
    static constexpr std::string_view kParameters[] = {"XTEST"};
    return kParameters;
  }
  std::optional<Error> CheckMail(const Parameter& parameter,
                                 const Context& context,
                                 State* state) const override {
    const std::string value = parameter.value.value_or("");
    bool digits = !value.empty();
    for (char c : value) digits = digits && syntax::IsDigit(c);
    if (!digits) {
      return Error{501, EnhancedCode{5, 5, 4},
                   "XTEST wants a number, not '" + value + "'"};
    }
    static_cast<Value*>(state)->value = value;
    return std::nullopt;
  }
  std::unique_ptr<State> NewState() const override {
    return std::make_unique<Value>();
  }
};

const Xtest& TheXtest() {
  static const Xtest* const kXtest = new Xtest;
  return *kXtest;
}

// The server's configuration with XTEST offered.
server::Config Offered() {
  server::Config config;
  config.extensions.push_back(&TheXtest());  // the registration line
  return config;
}

std::string XtestValue(Driver& d) {
  const State* state =
      FindState(d.machine().transaction().extensions(), TheXtest());
  return state == nullptr ? "<no state>"
                          : static_cast<const Xtest::Value*>(state)->value;
}

TEST(Xtest, RegisteredItIsAdvertisedAndChecksItsParameter) {
  Driver d(Offered());
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_THAT(d.last().lines, Contains("XTEST"));
  EXPECT_THAT(d.last().lines, Contains("SIZE 10485760"));  // the rest stays
  EXPECT_EQ(d.Say("MAIL FROM:<a@b> XTEST=1"), "250 2.1.0 OK");
  EXPECT_EQ(XtestValue(d), "1");
  EXPECT_EQ(d.Code("RSET"), 250);
  EXPECT_EQ(XtestValue(d), "<no state>");  // it went with the transaction
  EXPECT_EQ(d.Say("MAIL FROM:<a@b> XTEST=bad"),
            "501 5.5.4 XTEST wants a number, not 'bad'");
  EXPECT_FALSE(d.machine().transaction().open());
  EXPECT_EQ(d.Say("MAIL FROM:<a@b> xtest"),
            "501 5.5.4 XTEST wants a number, not ''");
  // Its keyword is its own: other modules' parameters still work, and a
  // repeated XTEST is the machine's 501 as for any parameter.
  EXPECT_EQ(d.Code("MAIL FROM:<a@b> XTEST=1 XTEST=2"), 501);
  EXPECT_EQ(d.Say("MAIL FROM:<a@b> SIZE=10 XTEST=42"), "250 2.1.0 OK");
  EXPECT_EQ(XtestValue(d), "42");
}

TEST(Xtest, NotRegisteredItsParameterIsUnknown) {
  Driver d;  // the default configuration: no XTEST
  ASSERT_EQ(d.Code("EHLO client.example"), 250);
  EXPECT_THAT(d.last().lines, Not(Contains("XTEST")));
  // RFC 5321 4.1.1.11: "555 MAIL FROM/RCPT TO parameters not recognized or
  // not implemented".
  EXPECT_EQ(d.Say("MAIL FROM:<a@b> XTEST=1"),
            "555 5.5.4 Parameter not recognized or not implemented: XTEST");
  EXPECT_EQ(d.Say("MAIL FROM:<a@b> XTEST=bad"),
            "555 5.5.4 Parameter not recognized or not implemented: XTEST");
}

// The same through a whole server session, the input whole, a byte at a
// time and split at every point (engine/server/test_util.h).
TEST(Xtest, ThroughASessionFedEveryWay) {
  server::testing::Transcript t = server::testing::ConverseEveryWay(
      Offered(),
      "EHLO client.example\r\nMAIL FROM:<a@b> XTEST=7\r\nRSET\r\n"
      "MAIL FROM:<a@b> XTEST=x\r\nQUIT\r\n");
  EXPECT_THAT(t.output, HasSubstr("250 XTEST\r\n"));
  EXPECT_THAT(t.output, HasSubstr("250 2.1.0 OK\r\n"));
  EXPECT_THAT(t.output,
              HasSubstr("501 5.5.4 XTEST wants a number, not 'x'\r\n"));
}

}  // namespace
}  // namespace smtpspec::ext
