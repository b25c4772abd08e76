// lint and fmt on real files in a temporary directory: exit statuses,
// listings and rewrites.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/dispatch.h"
#include "cli/ehlo.h"
#include "gtest/gtest.h"

namespace smtpspec::cli {
namespace {

namespace fs = std::filesystem;

class CommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    dir_ = fs::path(tmp ? tmp : "/tmp") /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sub");
  }

  std::string Write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

  std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return Dispatch(args, out_, err_);
  }

  fs::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

constexpr char kCanonical[] = "S: 220 *\nC: QUIT\nS: 221 *\n";
constexpr char kMessy[] = "  S: 220 *\r\nC:  QUIT\n\n\n   S: 221 *   \n";

TEST_F(CommandsTest, UsageErrorsExitTwoWithOneLine) {
  EXPECT_EQ(Run({}), 2);
  EXPECT_EQ(Run({"frobnicate"}), 2);
  EXPECT_EQ(err_.str().find("did you mean"), std::string::npos);
  EXPECT_EQ(Run({"lnit"}), 2);
  EXPECT_EQ(err_.str(),
            "smtpspec: unknown command 'lnit'; did you mean 'lint'? "
            "(commands: lint, fmt, run, serve, list, variables, template, "
            "files and record; try 'smtpspec help')\n");
  EXPECT_EQ(Run({"lint"}), 2);
  EXPECT_EQ(Run({"fmt", "--check"}), 2);
  EXPECT_EQ(Run({"fmt", "--chek", "x.smtp"}), 2);
  EXPECT_EQ(err_.str(),
            "smtpspec fmt: unknown option '--chek'; usage: smtpspec fmt "
            "[--check] FILE|DIR...\n");
  EXPECT_EQ(Run({"lint", (dir_ / "missing.smtp").string()}), 2);
  std::string one_line = err_.str();
  EXPECT_EQ(std::count(one_line.begin(), one_line.end(), '\n'), 1);
  EXPECT_EQ(Run({"help"}), 0);
  EXPECT_NE(out_.str().find("lint FILE|DIR"), std::string::npos);
}

TEST_F(CommandsTest, LintListsEveryErrorOfEveryFile) {
  std::string good = Write("good.smtp", kCanonical);
  std::string bad = Write("sub/bad.smtp", "S: 2x *\nC:\n!nope\n");
  EXPECT_EQ(Run({"lint", good}), 0);
  EXPECT_EQ(out_.str(), "lint: 1 file, no problems\n");
  EXPECT_EQ(Run({"lint", dir_.string()}), 1);
  EXPECT_EQ(out_.str(),
            bad +
                ":1:4: reply code '2x': a code is three characters, each a "
                "digit or 'x', like 250 or 2xx\n" +
                bad +
                ":2:4: empty command; write what the client sends after "
                "'C: ', like 'C: NOOP'\n" +
                bad + ":3:1: unknown directive '!nope'\n");
}

TEST_F(CommandsTest, FilesExpandsFoldersAsEveryCommandDoes) {
  std::string b = Write("sub/b.smtp", kCanonical);
  std::string a = Write("sub/a.smtp", kCanonical);
  Write("sub/notes.txt", "not a transcript\n");
  std::string top = Write("top.smtp", kCanonical);
  EXPECT_EQ(Run({"files", top, (dir_ / "sub").string()}), 0);
  EXPECT_EQ(out_.str(), top + "\n" + a + "\n" + b + "\n");
  fs::create_directories(dir_ / "empty");
  EXPECT_EQ(Run({"files", (dir_ / "empty").string()}), 0);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(Run({"files", (dir_ / "missing").string()}), 2);
  EXPECT_EQ(err_.str(), "smtpspec_cli files: " + (dir_ / "missing").string() +
                            ": no such file or directory\n");
  EXPECT_EQ(Run({"files", "--all", top}), 2);
}

TEST_F(CommandsTest, LintResolvesIncludesFromDisk) {
  Write("sub/greet.smtp", "S: 220 *\n");
  std::string main = Write("main.smtp", "!include sub/greet.smtp\nC: QUIT\n");
  EXPECT_EQ(Run({"lint", main}), 0) << out_.str();
  std::string broken = Write("broken.smtp", "!include sub/nope.smtp\n");
  EXPECT_EQ(Run({"lint", broken}), 1);
  EXPECT_EQ(out_.str(),
            broken + ":1:1: cannot include 'sub/nope.smtp': no such file\n");
}

// A scenario outside the current folder may include only from its own
// folder: not an absolute path, not ../ out of it.
TEST_F(CommandsTest, IncludesStayInsideTheScenarioFolder) {
  Write("outside.smtp", "S: 220 *\n");
  Write("corpus/common/greet.smtp", "S: 220 *\n");
  std::string ok = Write("corpus/ok.smtp", "!include common/greet.smtp\n");
  EXPECT_EQ(Run({"lint", ok}), 0) << out_.str();
  const std::string root = (dir_ / "corpus").string();
  for (const std::string& include :
       {std::string("../outside.smtp"), (dir_ / "outside.smtp").string(),
        std::string("/etc/passwd"), std::string("common/../../outside.smtp")}) {
    std::string bad = Write("corpus/bad.smtp", "!include " + include + "\n");
    EXPECT_EQ(Run({"lint", bad}), 1) << include;
    EXPECT_EQ(out_.str(), bad + ":1:1: cannot include '" + include +
                              "': it is outside " + root +
                              " (includes stay inside the current folder, or "
                              "the folder of a scenario run from outside "
                              "it)\n");
  }
}

TEST_F(CommandsTest, LintEscapesControlBytesFromTheFile) {
  std::string evil = Write("evil.smtp", "S: 220 *\n!\x1b[2J\x07\n");
  EXPECT_EQ(Run({"lint", evil}), 1);
  EXPECT_EQ(out_.str().find('\x1b'), std::string::npos) << out_.str();
  EXPECT_EQ(out_.str().find('\x07'), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("\\x1B[2J\\x07"), std::string::npos) << out_.str();
}

TEST_F(CommandsTest, LintChecksDeliversAgainstTheSteps) {
  const std::string steps =
      "S: 220 *\nC: EHLO c.example\nS: 250 *\nC: MAIL FROM:<a@c.example>\n"
      "S: 250 *\nC: RCPT TO:<postmaster@s.example>\nS: 250 *\nC: DATA\n"
      "S: 354 *\n!body\nhi\n!end\nS: 250 *\nC: QUIT\nS: 221 *\n";
  auto file = [&](const std::string& name, const std::string& delivers) {
    return Write(name, "---\nid: t." + name.substr(0, 1) + "\ntests: server\n" +
                           delivers + "---\n" + steps);
  };
  EXPECT_EQ(Run({"lint", file("a.smtp", "delivers: true\n")}), 0) << out_.str();
  EXPECT_EQ(Run({"lint", file("b.smtp", "")}), 0) << out_.str();
  const std::string lying = file("c.smtp", "delivers: false\n");
  EXPECT_EQ(Run({"lint", lying}), 1);
  // The step is line 15: four lines of front matter, then !body tenth.
  EXPECT_EQ(out_.str(), lying +
                            ":15:1: the front matter says 'delivers: false', "
                            "but this step may complete a mail transaction\n");
  const std::string quiet =
      Write("d.smtp",
            "---\nid: t.d\ndelivers: true\n---\n" + std::string(kCanonical));
  EXPECT_EQ(Run({"lint", quiet}), 1);
  EXPECT_NE(out_.str().find(quiet + ":1:1: the front matter says 'delivers: "
                                    "true', but no step"),
            std::string::npos)
      << out_.str();
}

TEST_F(CommandsTest, FmtCheckShowsWhatItWouldChangeAndWritesNothing) {
  std::string clean = Write("clean.smtp", kCanonical);
  std::string messy = Write("messy.smtp", kMessy);
  EXPECT_EQ(Run({"fmt", "--check", clean}), 0);
  EXPECT_EQ(out_.str(), "fmt: 1 file, all formatted\n");
  EXPECT_EQ(Run({"fmt", "--check", clean, messy}), 1);
  // What fmt would change, as `diff -u` shows it.
  EXPECT_EQ(out_.str(), "--- " + messy + "\n+++ " + messy +
                            " (formatted)\n"
                            "@@ -1,5 +1,4 @@\n"
                            "-  S: 220 *\r\n"
                            "+S: 220 *\n"
                            " C:  QUIT\n"
                            " \n"
                            "-\n"
                            "-   S: 221 *   \n"
                            "+S: 221 *\n"
                            "fmt: 1 of 2 files would be reformatted\n");
  EXPECT_EQ(Read(messy), kMessy);
}

TEST_F(CommandsTest, FmtRewritesToCanonicalFormAndIsIdempotent) {
  std::string messy = Write("messy.smtp", kMessy);
  EXPECT_EQ(Run({"fmt", messy}), 0);
  EXPECT_EQ(out_.str(), "fmt: 1 file, 1 reformatted\n");
  // Leading spaces after "C: " belong to the command, so they stay.
  EXPECT_EQ(Read(messy), "S: 220 *\nC:  QUIT\n\nS: 221 *\n");
  EXPECT_EQ(Run({"fmt", "--check", messy}), 0);
}

TEST_F(CommandsTest, FmtLeavesFilesWithErrorsAlone) {
  std::string bad = Write("bad.smtp", "S:250\n");
  EXPECT_EQ(Run({"fmt", bad}), 1);
  EXPECT_EQ(out_.str(),
            bad + ":1:3: write a space after 'S:', as in 'S: 250'\n");
  EXPECT_EQ(Read(bad), "S:250\n");
}

}  // namespace
}  // namespace smtpspec::cli

namespace smtpspec::cli {
namespace {

TEST(EhloCommandTest, ReadsTheReplyAsTheEngineDoes) {
  std::istringstream in(
      "250-mx.example.org hello\r\n250-SIZE 10240000\r\n"
      "250-AUTH=PLAIN LOGIN\r\n250 pipelining\r\n");
  std::ostringstream out, err;
  EXPECT_EQ(RunEhlo({}, in, out, err), 0) << err.str();
  // Lenient keywords (the legacy AUTH= line read as AUTH), strict problems.
  EXPECT_EQ(out.str().substr(0, out.str().find(",\"params\":[]}]")),
            "{\"code\":250,\"domain\":\"mx.example.org\",\"greeting\":"
            "\"hello\",\"keywords\":[{\"keyword\":\"SIZE\",\"params\":["
            "\"10240000\"]},{\"keyword\":\"AUTH\",\"params\":[\"PLAIN\","
            "\"LOGIN\"]},{\"keyword\":\"PIPELINING\"");
  EXPECT_NE(out.str().find("\"problems\":[{\"offset\":"), std::string::npos)
      << out.str();
  std::istringstream garbage("hello\r\n");
  EXPECT_EQ(RunEhlo({}, garbage, out, err), 2);
  std::istringstream empty("");
  EXPECT_EQ(RunEhlo({}, empty, out, err), 2);
  EXPECT_EQ(RunEhlo({"x"}, empty, out, err), 2);
}

}  // namespace
}  // namespace smtpspec::cli
