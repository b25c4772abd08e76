// smtpspec_send: sends one message with the reference client.
//
//   smtpspec_send --server 127.0.0.1:2525 --from a@example.org
//       --to b@example.org [--to ...] [--file message.eml]
//       [--starttls off|opportunistic|required] [--implicit-tls]
//       [--ca FILE | --no-verify] [--server-name NAME]
//       [--cert FILE --key FILE] [--helo NAME] [--timeout SECONDS]
//
// The file (standard input without --file) is sent as is, except that a
// bare LF becomes CRLF (RFC 5321 2.3.8: lines end in CRLF on the wire).
// Prints one summary line; with --verbose also each command and reply.
// Exit 0 when the message was accepted, 1 when not, 2 on usage errors.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "agents/client/session.h"
#include "engine/path.h"
#include "engine/wire/render.h"

namespace {

namespace agents = smtpspec::agents;
namespace engine = smtpspec::client;

constexpr const char* kUsage =
    "usage: smtpspec_send --server HOST:PORT --from ADDR --to ADDR "
    "[--to ADDR...] [--file FILE] [--starttls off|opportunistic|required] "
    "[--implicit-tls] [--ca FILE | --no-verify] [--server-name NAME] "
    "[--cert FILE --key FILE] [--helo NAME] [--timeout SECONDS] "
    "[--verbose]\n";

int Usage(const std::string& why) {
  std::fprintf(stderr, "smtpspec_send: %s\n%s", why.c_str(), kUsage);
  return 2;
}

// "" is the null reverse-path <> (RFC 5321 4.5.5); "postmaster" as a
// recipient is <Postmaster> (4.1.1.3).
smtpspec::Result<smtpspec::Path> ParseAddress(const std::string& text,
                                              bool recipient) {
  smtpspec::Path path;
  std::string bare = text;
  if (bare.size() >= 2 && bare.front() == '<' && bare.back() == '>') {
    bare = bare.substr(1, bare.size() - 2);
  }
  if (bare.empty() && !recipient) {
    path.kind = smtpspec::Path::Kind::kNull;
    return path;
  }
  if (recipient && smtpspec::syntax::EqualsIgnoreCase(bare, "postmaster")) {
    path.kind = smtpspec::Path::Kind::kPostmaster;
    path.mailbox.local_part = bare;
    return path;
  }
  smtpspec::Result<smtpspec::Mailbox> mailbox =
      smtpspec::ParseMailbox(bare, smtpspec::Charset::kUtf8);
  if (!mailbox.ok()) return mailbox.error();
  path.mailbox = *mailbox;
  return path;
}

std::string ToCrlf(const std::string& in) {
  std::string out;
  out.reserve(in.size() + in.size() / 32);
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) out += '\r';
    out += in[i];
  }
  return out;
}

void PrintSteps(const engine::Outcome& outcome) {
  for (const engine::Step& step : outcome.steps) {
    if (step.command) {
      auto line = smtpspec::wire::RenderCommand(*step.command);
      if (line.ok()) std::fprintf(stderr, "C: %s", line->c_str());
    } else if (step.stage == engine::Stage::kEndOfData) {
      std::fprintf(stderr, "C: <message>.\n");
    }
    if (step.reply) {
      auto reply = smtpspec::wire::RenderReply(*step.reply);
      if (reply.ok()) {
        std::istringstream lines(*reply);
        for (std::string l; std::getline(lines, l);) {
          std::fprintf(stderr, "S: %s\n", l.c_str());
        }
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  agents::client::Options options;
  options.session.tls = engine::TlsPolicy::kOpportunistic;
  engine::Message message;
  std::string file;
  bool have_from = false;
  bool have_server = false;
  bool verbose = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::string value;
    std::size_t eq = name.find('=');
    bool inline_value = eq != std::string::npos && name.rfind("--", 0) == 0;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto take = [&]() -> bool {
      if (inline_value) return true;
      if (i + 1 >= args.size()) return false;
      value = args[++i];
      return true;
    };
    if (name == "--help" || name == "-h") {
      std::printf("%s", kUsage);
      return 0;
    } else if (name == "--implicit-tls") {
      options.implicit_tls = true;
    } else if (name == "--no-verify") {
      options.tls.verify = agents::tls::Verify::kOff;
    } else if (name == "--verbose" || name == "-v") {
      verbose = true;
    } else if (!take()) {
      return Usage("unknown flag or missing value: " + name);
    } else if (name == "--server") {
      auto address = agents::ParseAddress(value);
      if (!address.ok()) return Usage("--server: " + address.error().reason);
      options.server = *address;
      have_server = true;
    } else if (name == "--from" || name == "--to") {
      auto path = ParseAddress(value, name == "--to");
      if (!path.ok()) return Usage(name + ": " + path.error().reason);
      if (name == "--to") {
        message.recipients.push_back(*path);
      } else {
        message.reverse_path = *path;
        have_from = true;
      }
    } else if (name == "--file") {
      file = value;
    } else if (name == "--starttls") {
      if (value == "off") {
        options.session.tls = engine::TlsPolicy::kOff;
      } else if (value == "opportunistic") {
        options.session.tls = engine::TlsPolicy::kOpportunistic;
      } else if (value == "required") {
        options.session.tls = engine::TlsPolicy::kRequired;
      } else {
        return Usage("--starttls takes off, opportunistic or required");
      }
    } else if (name == "--ca") {
      options.tls.verify = agents::tls::Verify::kCaFile;
      options.tls.ca_file = value;
    } else if (name == "--server-name") {
      options.server_name = value;
    } else if (name == "--cert") {
      options.tls.certificate_file = value;
    } else if (name == "--key") {
      options.tls.key_file = value;
    } else if (name == "--helo") {
      options.session.domain = value;
    } else if (name == "--timeout") {
      int seconds = std::atoi(value.c_str());
      if (seconds <= 0) return Usage("--timeout takes a number of seconds");
      std::chrono::milliseconds t{seconds * 1000};
      options.session.timeouts = {t, t, t, t, t, t, t};
      options.connect_timeout = t;
    } else {
      return Usage("unknown flag " + name);
    }
  }
  if (!have_server) return Usage("--server is required");
  if (!have_from) return Usage("--from is required (\"\" for <>)");
  if (message.recipients.empty()) return Usage("at least one --to");
  std::stringstream content;
  if (file.empty() || file == "-") {
    content << std::cin.rdbuf();
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Usage("cannot read " + file);
    content << in.rdbuf();
  }
  message.body = ToCrlf(content.str());

  auto session = agents::client::Session::Create(options);
  if (!session.ok()) return Usage(session.error().reason);
  auto report = session->Send({message});
  if (!report.ok()) {
    std::fprintf(stderr, "smtpspec_send: %s\n", report.error().reason.c_str());
    return 1;
  }
  if (verbose) PrintSteps(report->outcome);
  std::printf("%s\n", agents::client::Summary(*report).c_str());
  return agents::client::AllAccepted(*report) ? 0 : 1;
}
