// The message sink: an accepted message (RFC 5321 4.1.1.4: 250 only once
// it is safe) is durable, readable back with its envelope, and failures
// come back as errors the server turns into 451 (RFC 5321 4.2.3).
#include "agents/sink.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>

#include "agents/sink_record.h"
#include "agents/testing/certs.h"
#include "gtest/gtest.h"

namespace smtpspec::agents::sink {
namespace {

using std::chrono::milliseconds;

std::vector<std::string> List(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (dirent* entry = readdir(d)) {
    if (entry->d_name[0] != '.') names.push_back(entry->d_name);
  }
  closedir(d);
  return names;
}

Envelope SomeEnvelope() {
  Envelope envelope;
  envelope.reverse_path = "alice@example.test";
  envelope.recipients = {"bob@example.test",
                         "\"odd \\\"quoted\\\"\"@example.test",
                         "j\xC3\xB6rg@b\xC3\xBC"
                         "cher.example"};  // RFC 6531 UTF-8 mailbox
  envelope.received =
      std::chrono::system_clock::time_point(milliseconds(1795000000123));
  envelope.helo = "client.example.test";
  envelope.peer = "127.0.0.1:40000";
  envelope.tls = true;
  return envelope;
}

const std::string kText =
    "From: alice@example.test\r\nSubject: hi\r\n\r\nhello\r\n";
// 8BITMIME / BDAT bodies are bytes, not text: NUL, bare CR, invalid UTF-8.
const std::string kBinary = std::string("bin\0ary\r\xff\xfe\xc3(\r\n", 13);

class SinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::string> dir = testing::MakeTempDir("sink_test");
    ASSERT_TRUE(dir.ok());
    dir_ = *dir;
  }
  std::string dir_;
};

TEST_F(SinkTest, MaildirStoresViaTmpAndNewAndReadsBack) {
  std::string maildir = dir_ + "/Maildir";
  Result<std::unique_ptr<Sink>> sink = Open(Kind::kMaildir, maildir);
  ASSERT_TRUE(sink.ok()) << sink.error().reason;
  Envelope null_sender = SomeEnvelope();
  null_sender.reverse_path = "";  // <>, RFC 5321 4.5.5
  null_sender.tls = false;
  ASSERT_TRUE((*sink)->Deliver(SomeEnvelope(), kText).ok());
  ASSERT_TRUE((*sink)->Deliver(null_sender, kBinary).ok());
  // Renamed out of tmp/ into new/ (the maildir protocol).
  EXPECT_TRUE(List(maildir + "/tmp").empty());
  EXPECT_EQ(List(maildir + "/new").size(), 2u);
  EXPECT_TRUE(List(maildir + "/cur").empty());

  Result<std::vector<Message>> read = ReadMaildir(maildir);
  ASSERT_TRUE(read.ok()) << read.error().reason;
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0], (Message{SomeEnvelope(), kText}));
  EXPECT_EQ((*read)[1], (Message{null_sender, kBinary}));

  // The file itself: one envelope header line, then the message verbatim.
  std::string name = List(maildir + "/new")[0];
  std::ifstream file(maildir + "/new/" + name, std::ios::binary);
  std::string first_line;
  std::getline(file, first_line);
  EXPECT_EQ(first_line.rfind("X-Smtpspec-Envelope: {\"received\":", 0), 0u)
      << first_line;
}

// What a crashed delivery left in tmp/ goes when a server opens the maildir:
// this host's files whose writer is gone, and anyone's older than 36 hours.
// A live writer's file, perhaps mid-delivery, and messages in new/ stay.
TEST_F(SinkTest, OpeningAMaildirRemovesStaleTemporaries) {
  {
    Result<std::unique_ptr<Sink>> sink = Open(Kind::kMaildir, dir_);
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE((*sink)->Deliver(SomeEnvelope(), kText).ok());
  }
  char host[256] = "localhost";
  gethostname(host, sizeof(host) - 1);
  // A child that has exited: its pid names no process now.
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  ASSERT_GT(dead, 0);
  waitpid(dead, nullptr, 0);
  auto write = [&](const std::string& name) {
    std::ofstream(dir_ + "/tmp/" + name) << "half a message";
    return name;
  };
  const std::string crashed =
      write("1795000000.M000001P" + std::to_string(dead) + "Q1." + host);
  const std::string live =
      write("1795000000.M000002P" + std::to_string(getppid()) + "Q1." + host);
  const std::string other_host = write("1795000000.M000003P1Q1.elsewhere");
  const std::string old = write("1600000000.M000004P1Q1.elsewhere");
  struct timespec times[2] = {{1600000000, 0}, {1600000000, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, (dir_ + "/tmp/" + old).c_str(), times, 0), 0);

  Result<std::unique_ptr<Sink>> reopened = Open(Kind::kMaildir, dir_);
  ASSERT_TRUE(reopened.ok());
  std::vector<std::string> left = List(dir_ + "/tmp");
  std::sort(left.begin(), left.end());
  std::vector<std::string> want = {live, other_host};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(left, want);
  EXPECT_EQ(List(dir_ + "/new").size(), 1u);
}

TEST_F(SinkTest, JsonLinesAppendsOneParsableObjectPerMessage) {
  std::string path = dir_ + "/messages.jsonl";
  Result<std::unique_ptr<Sink>> sink = Open(Kind::kJsonLines, path);
  ASSERT_TRUE(sink.ok()) << sink.error().reason;
  ASSERT_TRUE((*sink)->Deliver(SomeEnvelope(), kText).ok());
  ASSERT_TRUE((*sink)->Deliver(SomeEnvelope(), kBinary).ok());
  // Reopening appends.
  sink = Open(Kind::kJsonLines, path);
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->Deliver(SomeEnvelope(), "").ok());

  std::ifstream file(path, std::ios::binary);
  std::vector<YAML::Node> lines;
  for (std::string line; std::getline(file, line);) {
    ASSERT_NE(line.find('{'), std::string::npos);
    lines.push_back(YAML::Load(line));  // throws if it does not parse
  }
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["data"].as<std::string>(), kText);
  EXPECT_EQ(lines[0]["rcpt_to"].size(), 3u);
  EXPECT_EQ(lines[0]["received"].as<std::string>(), "2026-11-18T11:06:40.123Z");
  EXPECT_TRUE(lines[1]["data_base64"].IsDefined());
  EXPECT_FALSE(lines[1]["data"].IsDefined());
  EXPECT_EQ(lines[2]["size"].as<int>(), 0);

  Result<std::vector<Message>> read = ReadJsonLines(path);
  ASSERT_TRUE(read.ok()) << read.error().reason;
  ASSERT_EQ(read->size(), 3u);
  EXPECT_EQ((*read)[0], (Message{SomeEnvelope(), kText}));
  EXPECT_EQ((*read)[1], (Message{SomeEnvelope(), kBinary}));
}

TEST_F(SinkTest, EveryByteValueSurvivesTheRoundTrip) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (const std::string& data :
       {all, std::string("caf\xC3\xA9\r\n"), std::string("\"\\\t\x7f")}) {
    Decoded decoded = *DecodeRecord(EncodeRecord(SomeEnvelope(), data, true));
    EXPECT_EQ(decoded.message.data, data);
    EXPECT_EQ(decoded.size, data.size());
  }
}

// A HELO argument is the client's to choose: a byte that is not UTF-8 there
// becomes U+FFFD, so the record stays valid JSON that any reader parses.
TEST_F(SinkTest, EnvelopeBytesThatAreNotUtf8StayValidJson) {
  Envelope envelope = SomeEnvelope();
  envelope.helo = "bad\xff\x01name";
  const std::string record = EncodeRecord(envelope, "x", true);
  EXPECT_NE(record.find("\"helo\":\"bad\xEF\xBF\xBD\\u0001name\""),
            std::string::npos)
      << record;
  Result<Decoded> decoded = DecodeRecord(record);
  ASSERT_TRUE(decoded.ok()) << decoded.error().reason;
  EXPECT_EQ(decoded->message.envelope.helo, "bad\xEF\xBF\xBD\x01name");
}

TEST_F(SinkTest, DiskFullIsAnErrorAndLeavesNoPartialRecord) {
  Result<std::unique_ptr<Sink>> sink = Open(Kind::kJsonLines, "/dev/full");
  ASSERT_TRUE(sink.ok()) << sink.error().reason;
  Status delivered = (*sink)->Deliver(SomeEnvelope(), kText);
  ASSERT_FALSE(delivered.ok());
  EXPECT_NE(delivered.error().reason.find("No space left on device"),
            std::string::npos)
      << delivered.error().reason;
}

TEST_F(SinkTest, MaildirFailureLeavesNothingInNew) {
  std::string maildir = dir_ + "/Broken";
  Result<std::unique_ptr<Sink>> sink = Open(Kind::kMaildir, maildir);
  ASSERT_TRUE(sink.ok());
  ASSERT_EQ(rmdir((maildir + "/tmp").c_str()), 0);
  Status delivered = (*sink)->Deliver(SomeEnvelope(), kText);
  ASSERT_FALSE(delivered.ok());
  EXPECT_NE(delivered.error().reason.find("/tmp/"), std::string::npos)
      << delivered.error().reason;
  EXPECT_TRUE(List(maildir + "/new").empty());
}

TEST_F(SinkTest, OpeningWhereNothingCanBeStoredFails) {
  std::string file = dir_ + "/plain-file";
  std::ofstream(file) << "x";
  Result<std::unique_ptr<Sink>> maildir = Open(Kind::kMaildir, file);
  ASSERT_FALSE(maildir.ok());
  EXPECT_NE(maildir.error().reason.find("not a directory"), std::string::npos)
      << maildir.error().reason;
  Result<std::unique_ptr<Sink>> jsonl =
      Open(Kind::kJsonLines, file + "/sub.jsonl");
  ASSERT_FALSE(jsonl.ok());
  EXPECT_NE(jsonl.error().reason.find("Not a directory"), std::string::npos)
      << jsonl.error().reason;
  EXPECT_FALSE(Open(Kind::kMaildir, "").ok());
}

TEST_F(SinkTest, DiscardAcceptsEverything) {
  Result<std::unique_ptr<Sink>> sink = Open(Kind::kDiscard, "");
  ASSERT_TRUE(sink.ok());
  EXPECT_TRUE((*sink)->Deliver(SomeEnvelope(), kBinary).ok());
}

TEST_F(SinkTest, CorruptRecordsAreReportedWithTheirLine) {
  std::string path = dir_ + "/bad.jsonl";
  std::ofstream(path) << EncodeRecord(SomeEnvelope(), "x", true) << "\n"
                      << "{not json\n";
  Result<std::vector<Message>> read = ReadJsonLines(path);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().reason.find("bad.jsonl:2:"), std::string::npos)
      << read.error().reason;
}

}  // namespace
}  // namespace smtpspec::agents::sink
