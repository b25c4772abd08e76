#include "engine/wire/verb.h"

#include <string>

#include "gtest/gtest.h"

namespace smtpspec::wire {
namespace {

constexpr Verb kAll[] = {
    Verb::kEhlo, Verb::kHelo, Verb::kMail, Verb::kRcpt,     Verb::kData,
    Verb::kRset, Verb::kNoop, Verb::kQuit, Verb::kVrfy,     Verb::kExpn,
    Verb::kHelp, Verb::kAuth, Verb::kBdat, Verb::kStarttls,
};

// RFC 5321 2.4: verbs are case-insensitive.
TEST(VerbTest, RecognisesEveryVerbInAnyCase) {
  for (Verb verb : kAll) {
    const std::string upper(VerbName(verb));
    ASSERT_FALSE(upper.empty());
    std::string lower = upper;
    for (char& c : lower) c = static_cast<char>(c - 'A' + 'a');
    std::string mixed = upper;
    for (std::size_t i = 0; i < mixed.size(); i += 2) mixed[i] = lower[i];
    EXPECT_EQ(VerbFromName(upper), verb) << upper;
    EXPECT_EQ(VerbFromName(lower), verb) << lower;
    EXPECT_EQ(VerbFromName(mixed), verb) << mixed;
  }
}

TEST(VerbTest, NamesAreTheRfcSpellings) {
  EXPECT_EQ(VerbName(Verb::kEhlo), "EHLO");
  EXPECT_EQ(VerbName(Verb::kMail), "MAIL");
  EXPECT_EQ(VerbName(Verb::kStarttls), "STARTTLS");  // RFC 3207 4
  EXPECT_EQ(VerbName(Verb::kBdat), "BDAT");          // RFC 3030 2
  EXPECT_EQ(VerbName(Verb::kUnknown), "");
}

TEST(VerbTest, AnythingElseIsUnknown) {
  for (const char* name :
       {"", "MAI", "MAILS", "MAIL ", " MAIL", "M@IL", "STARTTL", "STARTTLSX",
        "XEXCH50", "\xcd\x41IL", "MA\0L"}) {
    EXPECT_EQ(VerbFromName(name), Verb::kUnknown) << name;
  }
  // Letters outside ASCII never fold onto a verb: 0xC1 is not 'A' + 0x80.
  EXPECT_EQ(VerbFromName("M\xc1IL"), Verb::kUnknown);
  EXPECT_EQ(VerbFromName(std::string("MA\0L", 4)), Verb::kUnknown);
}

}  // namespace
}  // namespace smtpspec::wire

namespace smtpspec::wire {
namespace {

// RFC 5321 4.5.1: the nine commands every receiver MUST support.
TEST(VerbTest, MinimumImplementation) {
  for (Verb verb :
       {Verb::kEhlo, Verb::kHelo, Verb::kMail, Verb::kRcpt, Verb::kData,
        Verb::kRset, Verb::kNoop, Verb::kQuit, Verb::kVrfy}) {
    EXPECT_TRUE(InMinimumImplementation(verb)) << VerbName(verb);
  }
  for (Verb verb : {Verb::kExpn, Verb::kHelp, Verb::kStarttls, Verb::kAuth,
                    Verb::kBdat, Verb::kUnknown}) {
    EXPECT_FALSE(InMinimumImplementation(verb)) << VerbName(verb);
  }
}

}  // namespace
}  // namespace smtpspec::wire
