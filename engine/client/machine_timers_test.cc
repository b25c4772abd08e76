// The client machine's timers: RFC 5321 4.5.3.2 deadlines exposed as data,
// fired by the caller's clock.
#include "engine/client/machine.h"
#include "engine/client/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smtpspec::client {
namespace {

using std::chrono::seconds;
using testing::Driver;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::Mail;

// RFC 5321 4.5.3.2: every wait has its own deadline, exposed as data. Each
// case drives the session to one wait and checks the deadline and that it
// fires exactly at it, not a millisecond before.
struct TimeoutCase {
  const char* name;
  int replies;  // how many of the scripted replies to give first
  Duration Timeouts::*timeout;
  const char* section;
};

class ClientTimeoutTest : public ::testing::TestWithParam<TimeoutCase> {};

TEST_P(ClientTimeoutTest, FiresAtDeadline) {
  const TimeoutCase& c = GetParam();
  Config config = testing::TestConfig();
  // Distinct small values, so a wrong timer is caught.
  config.timeouts = Timeouts{.greeting = seconds(1),
                             .mail = seconds(2),
                             .rcpt = seconds(3),
                             .data_initiation = seconds(4),
                             .data_block = seconds(5),
                             .data_termination = seconds(6),
                             .other = seconds(7)};
  Driver s({Mail({"a@x.example"})}, config);
  const int script[] = {220, 250, 250, 250, 354};
  for (int i = 0; i < c.replies; ++i) {
    s.Advance(seconds(100));  // timers restart at every step
    s.Reply(script[i]);
  }
  ASSERT_TRUE(s.machine().deadline().has_value());
  Duration expected = config.timeouts.*(c.timeout);
  EXPECT_EQ(*s.machine().deadline(), s.now() + expected);
  s.machine().OnTimer(s.now() + expected - Duration(1));
  EXPECT_THAT(s.Take(), IsEmpty());
  s.machine().OnTimer(s.now() + expected);
  EXPECT_THAT(s.Take(), ElementsAre("<close>"));
  EXPECT_EQ(s.outcome().ending, Ending::kTimeout);
  EXPECT_NE(s.outcome().error->reason.find(c.section), std::string::npos)
      << s.outcome().error->reason;
  Disposition expected_disposition = c.replies >= 2
                                         ? Disposition::kTransientFailure
                                         : Disposition::kNotAttempted;
  EXPECT_EQ(s.outcome().transactions[0].disposition, expected_disposition);
}

INSTANTIATE_TEST_SUITE_P(
    Stages, ClientTimeoutTest,
    ::testing::Values(
        TimeoutCase{"Greeting", 0, &Timeouts::greeting, "4.5.3.2.1"},
        TimeoutCase{"Ehlo", 1, &Timeouts::other, "4.5.3.2"},
        TimeoutCase{"Mail", 2, &Timeouts::mail, "4.5.3.2.2"},
        TimeoutCase{"Rcpt", 3, &Timeouts::rcpt, "4.5.3.2.3"},
        TimeoutCase{"DataInitiation", 4, &Timeouts::data_initiation,
                    "4.5.3.2.4"},
        TimeoutCase{"DataBlock", 5, &Timeouts::data_block, "4.5.3.2.5"}),
    [](const auto& info) { return std::string(info.param.name); });

// RFC 5321 4.5.3.2.5-6: each block written restarts the data block timer;
// once "." is out, the longer DATA termination timer runs.
TEST(ClientMachineTest, BodyTimers) {
  Config config = testing::TestConfig();
  config.timeouts.data_block = seconds(3);
  config.timeouts.data_termination = seconds(10);
  Driver s({Mail({"a@x.example"})}, config);
  s.Open();
  s.Reply(250);
  s.Reply(250);
  s.Reply(354);
  EXPECT_EQ(s.machine().deadline(), s.now() + seconds(3));
  s.Advance(seconds(2));
  s.machine().OnBodyProgress(s.now());
  EXPECT_EQ(s.machine().deadline(), s.now() + seconds(3));
  s.Advance(seconds(2));
  s.machine().OnBodySent(s.now());
  EXPECT_EQ(s.machine().deadline(), s.now() + seconds(10));
  s.machine().OnTimer(s.now() + seconds(9));
  EXPECT_THAT(s.Take(), IsEmpty());
  s.machine().OnTimer(s.now() + seconds(10));
  EXPECT_THAT(s.Take(), ElementsAre("<close>"));
  EXPECT_NE(s.outcome().error->reason.find("4.5.3.2.6"), std::string::npos);
}

TEST(ClientMachineTest, DefaultTimeoutsAreTheRfcMinimums) {
  Timeouts t;
  EXPECT_EQ(t.greeting, std::chrono::minutes(5));
  EXPECT_EQ(t.mail, std::chrono::minutes(5));
  EXPECT_EQ(t.rcpt, std::chrono::minutes(5));
  EXPECT_EQ(t.data_initiation, std::chrono::minutes(2));
  EXPECT_EQ(t.data_block, std::chrono::minutes(3));
  EXPECT_EQ(t.data_termination, std::chrono::minutes(10));
}

}  // namespace
}  // namespace smtpspec::client
