// A whole SMTP session between the engine's client and server, in memory,
// printed as a transcript. Until the interpreter exists this is what
// `./smtpspec run` shows: real output of the real machines, no sockets.
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/client/connection.h"
#include "engine/path.h"
#include "engine/server/backend.h"
#include "engine/server/session.h"

namespace smtpspec {
namespace {

// Accepts every message and remembers it: enough to show a transaction.
class MemoryHandler : public server::Handler {
 public:
  std::optional<server::Error> Mail(const Path&,
                                    const std::vector<Parameter>&) override {
    return std::nullopt;
  }
  std::optional<server::Error> Rcpt(const Path& path,
                                    const std::vector<Parameter>&) override {
    if (RenderPath(path).ok() && *RenderPath(path) == "<nobody@example.org>") {
      return server::Error{550, EnhancedCode{5, 1, 1}, "No such user"};
    }
    return std::nullopt;
  }
  std::optional<server::Error> Data(const server::Envelope&,
                                    std::string_view content) override {
    stored.emplace_back(content);
    return std::nullopt;
  }
  std::vector<std::string> stored;
};

// Prints `bytes` as transcript lines: one line per CRLF-terminated line,
// prefixed with "C: " or "S: ".
void Print(std::string_view prefix, std::string_view bytes) {
  while (!bytes.empty()) {
    std::size_t end = bytes.find("\r\n");
    std::string_view line =
        end == std::string_view::npos ? bytes : bytes.substr(0, end);
    std::cout << prefix << line << "\n";
    bytes.remove_prefix(end == std::string_view::npos ? bytes.size() : end + 2);
  }
}

Path MustPath(std::string_view text) {
  Result<Path> path = ParseForwardPath(text);
  if (!path.ok()) {
    std::cerr << "bad path " << text << ": " << path.error().reason << "\n";
    std::exit(1);
  }
  return *path;
}

int Run() {
  const client::Time now{};
  client::Message message;
  message.reverse_path = MustPath("<alice@example.org>");
  message.recipients = {MustPath("<bob@example.org>"),
                        MustPath("<nobody@example.org>"),
                        MustPath("<Postmaster>")};
  message.body =
      "Subject: smtpspec loopback\r\n\r\n.A line that starts with a dot\r\n";
  client::Config client_config;
  client_config.domain = "client.example.org";
  server::Config server_config;
  server_config.hostname = "mx.example.org";

  MemoryHandler handler;
  server::Session server(server_config, handler, server::ConnectionInfo{}, now);
  client::Connection client(client_config, {message}, now);
  for (int round = 0; round < 1000; ++round) {
    std::string to_client = server.TakeOutput();
    Print("S: ", to_client);
    client.Feed(to_client, now);
    std::string to_server = client.TakeOutput(now);
    Print("C: ", to_server);
    server.Feed(to_server, now);
    if (to_client.empty() && to_server.empty()) break;
  }
  const client::Outcome& outcome = client.outcome();
  std::cout << "\n"
            << handler.stored.size() << " message(s) stored by the server; "
            << "client session "
            << (outcome.ending == client::Ending::kQuit ? "ended with QUIT"
                                                        : "did not end cleanly")
            << "\n";
  return handler.stored.size() == 1 ? 0 : 1;
}

}  // namespace
}  // namespace smtpspec

int main() { return smtpspec::Run(); }
