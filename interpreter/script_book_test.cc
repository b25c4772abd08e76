#include "interpreter/script_book.h"

#include <gtest/gtest.h>

namespace smtpspec::interp {
namespace {

using Kind = ScriptBook::Choice::Kind;

ScriptBook Book(std::vector<std::string> ids) {
  Result<ScriptBook> book = ScriptBook::Make(std::move(ids));
  EXPECT_TRUE(book.ok()) << book.error().reason;
  return std::move(book).value();
}

TEST(ScriptBookTest, NamesAreShortFormsWhenUnique) {
  ScriptBook book = Book({"serve.ok", "serve.rcpt-452", "bare"});
  EXPECT_EQ(book.name(0), "ok");
  EXPECT_EQ(book.name(1), "rcpt-452");
  EXPECT_EQ(book.name(2), "bare");
  EXPECT_EQ(book.ListNames(100), "ok, rcpt-452, bare");
  EXPECT_EQ(book.ListNames(10), "ok, ...");
}

TEST(ScriptBookTest, ASharedShortFormLeavesTheIds) {
  // Both end in "ok", and "x.data" would take the id "data" away.
  ScriptBook book = Book({"a.ok", "b.ok", "data", "x.data"});
  EXPECT_EQ(book.name(0), "a.ok");
  EXPECT_EQ(book.name(1), "b.ok");
  EXPECT_EQ(book.name(2), "data");
  EXPECT_EQ(book.name(3), "x.data");
  ScriptBook::Choice choice = book.Choose("EHLO ok");
  EXPECT_EQ(choice.kind, Kind::kUnknown);
  choice = book.Choose("EHLO data");
  EXPECT_EQ(choice.kind, Kind::kNamed);
  EXPECT_EQ(choice.script, 2u);
  EXPECT_EQ(book.Choose("EHLO x.data").script, 3u);
}

TEST(ScriptBookTest, EhloOrHeloNamesAScriptInAnyCase) {
  ScriptBook book = Book({"serve.ok", "serve.rcpt-452", "serve.data-554"});
  ScriptBook::Choice choice = book.Choose("EHLO rcpt-452");
  EXPECT_EQ(choice.kind, Kind::kNamed);
  EXPECT_EQ(choice.script, 1u);
  EXPECT_EQ(choice.name, "rcpt-452");
  // The whole id, any case, HELO, a lower-case verb (RFC 5321 2.4).
  choice = book.Choose("helo SERVE.Data-554");
  EXPECT_EQ(choice.kind, Kind::kNamed);
  EXPECT_EQ(choice.script, 2u);
  EXPECT_EQ(choice.name, "SERVE.Data-554");
  // Extra words after the domain are the script's business.
  choice = book.Choose("EHLO  ok more");
  EXPECT_EQ(choice.kind, Kind::kNamed);
  EXPECT_EQ(choice.script, 0u);
  EXPECT_EQ(choice.name, "ok");
}

TEST(ScriptBookTest, AnUnknownOrMissingNameIsUnknownWithSeveral) {
  ScriptBook book = Book({"serve.ok", "serve.rcpt-452"});
  ScriptBook::Choice choice = book.Choose("EHLO client.example");
  EXPECT_EQ(choice.kind, Kind::kUnknown);
  EXPECT_EQ(choice.name, "client.example");
  EXPECT_EQ(book.Choose("EHLO").kind, Kind::kUnknown);
  EXPECT_EQ(book.Choose("EHLO ").name, "");
  // A prefix or a label of a name is no name.
  EXPECT_EQ(book.Choose("EHLO rcpt").kind, Kind::kUnknown);
  EXPECT_EQ(book.Choose("EHLO rcpt-452.client.example").kind, Kind::kUnknown);
}

TEST(ScriptBookTest, OtherFirstCommandsNameNothing) {
  ScriptBook book = Book({"serve.ok", "serve.rcpt-452"});
  for (const char* line : {"QUIT", "NOOP rcpt-452", "", " EHLO ok",
                           "MAIL FROM:<a@b>", "EHLOX ok", "\x01"}) {
    ScriptBook::Choice choice = book.Choose(line);
    EXPECT_EQ(choice.kind, Kind::kNotNamed) << line;
    EXPECT_EQ(choice.script, 0u) << line;
  }
}

TEST(ScriptBookTest, OneScriptTakesAnyName) {
  ScriptBook book = Book({"serve.ok"});
  ScriptBook::Choice choice = book.Choose("EHLO mail.client.example");
  EXPECT_EQ(choice.kind, Kind::kNamed);
  EXPECT_EQ(choice.script, 0u);
  EXPECT_EQ(choice.name, "mail.client.example");
  EXPECT_EQ(book.Choose("EHLO").kind, Kind::kNotNamed);
  EXPECT_EQ(book.Choose("QUIT").kind, Kind::kNotNamed);
}

TEST(ScriptBookTest, IdsThatDifferOnlyInCaseAreAnError) {
  Result<ScriptBook> book = ScriptBook::Make({"serve.ok", "Serve.OK"});
  ASSERT_FALSE(book.ok());
  EXPECT_EQ(book.error().reason,
            "two scripts have the id 'serve.ok' ('Serve.OK' differs only in "
            "case): a client's EHLO name could not tell them apart");
  book = ScriptBook::Make({"a", "b", "a"});
  ASSERT_FALSE(book.ok());
  EXPECT_EQ(book.error().reason,
            "two scripts have the id 'a': a client's EHLO name could not "
            "tell them apart");
}

TEST(ScriptBookTest, PrintableKeepsReplyTextSafe) {
  EXPECT_EQ(Printable("ok-name", 10), "ok-name");
  EXPECT_EQ(Printable("a\r\nb\x80 c", 10), "a??b??c");
  EXPECT_EQ(Printable("abcdefghijkl", 5), "abcde...");
}

}  // namespace
}  // namespace smtpspec::interp
