#include "engine/client/outcome.h"

#include "gtest/gtest.h"

namespace smtpspec::client {
namespace {

// RFC 5321 4.2.1: the first digit decides.
TEST(ClientOutcomeTest, Classify) {
  EXPECT_EQ(Classify(220), ReplyClass::kPositive);
  EXPECT_EQ(Classify(354), ReplyClass::kIntermediate);
  EXPECT_EQ(Classify(452), ReplyClass::kTransient);
  EXPECT_EQ(Classify(554), ReplyClass::kPermanent);
  EXPECT_EQ(Classify(199), ReplyClass::kInvalid);
  EXPECT_EQ(Classify(600), ReplyClass::kInvalid);
}

}  // namespace
}  // namespace smtpspec::client
