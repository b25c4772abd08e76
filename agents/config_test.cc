// The server configuration: every key read from YAML and from flags, and
// every mistake reported as file:line:col with a reason.
#include "agents/config.h"

#include <fstream>

#include "agents/testing/certs.h"
#include "engine/ext/registry.h"
#include "gtest/gtest.h"

namespace smtpspec::agents::config {
namespace {

using std::chrono::milliseconds;

// The error from applying `yaml` to a default configuration.
std::string ErrorOf(const std::string& yaml) {
  Server server;
  Status applied = Apply(yaml, "test.yaml", server);
  if (applied.ok()) applied = Validate(server, "test.yaml");
  return applied.ok() ? "" : applied.error().reason;
}

TEST(ConfigTest, DefaultsAreTheDocumentedOnes) {
  Server server;
  ASSERT_TRUE(Apply("", "empty.yaml", server).ok());
  EXPECT_EQ(server, Server{});
  ASSERT_EQ(server.listen.size(), 1u);
  EXPECT_EQ(FormatAddress(server.listen[0]), "127.0.0.1:2525");
  // Every built-in module (docs/reference-server.md), in EHLO order.
  std::vector<std::string_view> offered;
  for (const ext::Extension* module : server.extensions) {
    offered.push_back(module->name());
  }
  EXPECT_EQ(offered,
            (std::vector<std::string_view>{
                "help", "8bitmime", "pipelining", "size", "enhancedstatuscodes",
                "starttls", "smtputf8", "chunking"}));
  EXPECT_TRUE(server.vrfy_enabled);
  EXPECT_EQ(server.limits.recipients, 100u);    // RFC 5321 4.5.3.1.8
  EXPECT_EQ(server.limits.command_line, 512u);  // RFC 5321 4.5.3.1.4
  EXPECT_EQ(server.limits.text_line, 1000u);    // RFC 5321 4.5.3.1.6
  EXPECT_EQ(server.timeouts.server, milliseconds(300000));  // 4.5.3.2.7
  EXPECT_EQ(server.timeouts.data_termination, milliseconds(600000));
  EXPECT_TRUE(Validate(server, "defaults").ok());
}

TEST(ConfigTest, ReadsEveryKey) {
  Server server;
  Status applied = Apply(R"(
listen: ["127.0.0.1:0", "[::1]:2526"]
hostname: mx.example.test
greeting: hello there
extensions:
  8bitmime: false
  pipelining: off
  size: no
  enhancedstatuscodes: false
  starttls: false
  smtputf8: false
  chunking: false
  vrfy: false
  help: false
limits:
  message_size: 1000
  recipients: 150
  command_line: 2048
  text_line: 998
  connections: 3
timeouts:
  initial: 250ms
  mail: 1.5s
  rcpt: 2
  data_initiation: 5m
  data_block: 1h
  data_termination: 10s
  server: 100ms
local_domains: [example.test, other.test]
mailboxes:
  - alice@example.test
vrfy: 250
tls:
  certificate: /etc/cert.pem
  key: /etc/key.pem
  implicit_listen: "127.0.0.1:4650"
  client_certificate: require
  client_ca: /etc/ca.pem
sink:
  kind: jsonl
  path: /var/mail.jsonl
transcript_log: "-"
)",
                         "full.yaml", server);
  ASSERT_TRUE(applied.ok()) << applied.error().reason;
  ASSERT_EQ(server.listen.size(), 2u);
  EXPECT_EQ(FormatAddress(server.listen[1]), "[::1]:2526");
  EXPECT_EQ(server.hostname, "mx.example.test");
  EXPECT_EQ(server.greeting, "hello there");
  EXPECT_EQ(server.extensions, ext::List{});  // every module switched off
  EXPECT_FALSE(server.vrfy_enabled);
  EXPECT_EQ(server.limits, (Limits{1000, 150, 2048, 998, 3}));
  EXPECT_EQ(server.timeouts,
            (Timeouts{milliseconds(250), milliseconds(1500), milliseconds(2000),
                      milliseconds(300000), milliseconds(3600000),
                      milliseconds(10000), milliseconds(100)}));
  EXPECT_EQ(server.local_domains,
            (std::vector<std::string>{"example.test", "other.test"}));
  EXPECT_EQ(server.mailboxes, (std::vector<std::string>{"alice@example.test"}));
  EXPECT_EQ(server.vrfy, VrfyMode::k250);
  EXPECT_EQ(server.tls.certificate, "/etc/cert.pem");
  ASSERT_EQ(server.tls.implicit_listen.size(), 1u);
  EXPECT_EQ(server.tls.implicit_listen[0].port, 4650);
  EXPECT_EQ(server.tls.client_certificate, tls::ClientCertificate::kRequire);
  EXPECT_EQ(server.sink, (Sink{sink::Kind::kJsonLines, "/var/mail.jsonl"}));
  EXPECT_EQ(server.transcript_log, "-");
  EXPECT_TRUE(Validate(server, "full.yaml").ok());
}

TEST(ConfigTest, MistakesArePositionedAndExplained) {
  struct Case {
    const char* yaml;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {"limits:\n  recipents: 200\n",
            "test.yaml:2:3: unknown key 'limits.recipents'; did you mean "
            "'recipients'?"},
           {"hostnme: x\n",
            "test.yaml:1:1: unknown key 'hostnme'; did you mean 'hostname'?"},
           {"limits:\n  recipients: 50\n",
            "test.yaml:2:15: 'limits.recipients' must be at least 100 (RFC "
            "5321 4.5.3.1.8: a server must accept 100 recipients)"},
           {"limits: {message_size: big}\n",
            "test.yaml:1:24: 'limits.message_size' must be a whole number, "
            "not 'big'"},
           {"extensions:\n  size: maybe\n",
            "test.yaml:2:9: 'extensions.size' must be true or false, not "
            "'maybe'"},
           // RFC 3461 DSN: no module implements it, so no key switches it.
           {"extensions:\n  size: true\n  dsn: true\n",
            "test.yaml:3:3: unknown extension 'extensions.dsn': no module "
            "implements it (known: help, 8bitmime, pipelining, size, "
            "enhancedstatuscodes, starttls, smtputf8, chunking, vrfy)"},
           {"extensions: {pipelinig: off}\n",
            "test.yaml:1:14: unknown extension 'extensions.pipelinig': no "
            "module implements it; did you mean 'pipelining'? (known: help, "
            "8bitmime, pipelining, size, enhancedstatuscodes, starttls, "
            "smtputf8, chunking, vrfy)"},
           {"timeouts:\n  server: 5 minutes\n",
            "test.yaml:2:11: 'timeouts.server' must be a positive duration "
            "such as 250ms, 30s, 5m or 1h, not '5 minutes'"},
           {"sink: {kind: mailddir, path: x}\n",
            "test.yaml:1:14: 'sink.kind' cannot be 'mailddir'; did you mean "
            "'maildir'?"},
           {"vrfy: 300\n",
            "test.yaml:1:7: 'vrfy' cannot be '300'; expected one of: 250, "
            "251, 252"},
           {"listen: [\"example.org:25\"]\n",
            "test.yaml:1:9: 'listen': 'example.org' is not a numeric IPv4 "
            "address (names other than localhost are not resolved here)"},
           {"tls:\n  key:\n", "test.yaml:2:3: 'tls.key' needs a value"},
           {"limits: 5\n",
            "test.yaml:1:9: limits must be a mapping of keys to values"},
           {"limits: [1, 2\n", "test.yaml:2:1: end of sequence flow not found"},
           {"sink: {kind: maildir}\n",
            "test.yaml: 'sink.path' is needed for a maildir or jsonl sink"},
           {"tls: {implicit_listen: '127.0.0.1:465'}\n",
            "test.yaml: 'tls.implicit_listen' needs 'tls.certificate' and "
            "'tls.key'"},
           {"tls: {certificate: c, key: k, client_certificate: request}\n",
            "test.yaml: 'tls.client_certificate' needs 'tls.client_ca' to "
            "verify client certificates against"},
       }) {
    EXPECT_EQ(ErrorOf(c.yaml), c.error) << c.yaml;
  }
}

TEST(ConfigTest, AFailedApplyChangesNothing) {
  Server server;
  EXPECT_FALSE(
      Apply("hostname: changed\nlimits: {recipients: 1}\n", "x", server).ok());
  EXPECT_EQ(server, Server{});
}

TEST(ConfigTest, SetOverridesOneKeyInYamlSyntax) {
  Server server;
  ASSERT_TRUE(Set("limits.recipients=200", server).ok());
  ASSERT_TRUE(Set("extensions.pipelining=off", server).ok());
  ASSERT_TRUE(Set("local_domains=[a.test, b.test]", server).ok());
  ASSERT_TRUE(Set("timeouts.server=50ms", server).ok());
  EXPECT_EQ(server.limits.recipients, 200u);
  EXPECT_EQ(ext::Find(server.extensions, "pipelining"), nullptr);
  EXPECT_NE(ext::Find(server.extensions, "size"), nullptr);
  EXPECT_EQ(server.local_domains,
            (std::vector<std::string>{"a.test", "b.test"}));
  EXPECT_EQ(server.timeouts.server, milliseconds(50));

  Status typo = Set("limits.recipents=200", server);
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().reason.find("did you mean 'recipients'?"),
            std::string::npos)
      << typo.error().reason;
  EXPECT_FALSE(Set("novalue", server).ok());
  EXPECT_FALSE(Set("limits.recipients=", server).ok());
}

TEST(ConfigTest, FlagsOverrideTheFile) {
  Result<std::string> dir = testing::MakeTempDir("config_test");
  ASSERT_TRUE(dir.ok());
  std::string file = *dir + "/server.yaml";
  std::ofstream(file) << "hostname: from-file\nlimits: {recipients: 300}\n";
  Result<Server> server = FromFlags({"--listen", "[::1]:0", "--maildir=/tmp/m",
                                     "--listen=127.0.0.1:0", "--config", file,
                                     "--set", "limits.connections=7"});
  ASSERT_TRUE(server.ok()) << server.error().reason;
  EXPECT_EQ(server->hostname, "from-file");
  EXPECT_EQ(server->limits.recipients, 300u);
  EXPECT_EQ(server->limits.connections, 7u);
  ASSERT_EQ(server->listen.size(), 2u);
  EXPECT_EQ(FormatAddress(server->listen[0]), "[::1]:0");
  EXPECT_EQ(FormatAddress(server->listen[1]), "127.0.0.1:0");
  EXPECT_EQ(server->sink, (Sink{sink::Kind::kMaildir, "/tmp/m"}));
}

TEST(ConfigTest, FlagMistakesAreExplained) {
  struct Case {
    std::vector<std::string> args;
    const char* error_part;
  };
  for (const Case& c : std::vector<Case>{
           {{"--mailder", "x"},
            "unknown flag '--mailder'; did you mean "
            "'--maildir'?"},
           {{"--listen"}, "flag '--listen' needs a value"},
           {{"--discard=yes"}, "flag '--discard' takes no value"},
           {{"--listen", "nowhere"}, "--listen: 'nowhere': expected HOST:PORT"},
           {{"--config", "/nonexistent.yaml"},
            "/nonexistent.yaml: cannot read the configuration file"},
           {{"--set", "sink.kind=jsonl"},
            "the command line: 'sink.path' is needed"},
       }) {
    Result<Server> server = FromFlags(c.args);
    ASSERT_FALSE(server.ok()) << c.args[0];
    EXPECT_NE(server.error().reason.find(c.error_part), std::string::npos)
        << server.error().reason;
  }
  EXPECT_NE(FlagsHelp().find("--maildir DIR"), std::string::npos);
}

}  // namespace
}  // namespace smtpspec::agents::config
