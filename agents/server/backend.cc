#include "agents/server/backend.h"

#include <chrono>
#include <utility>

#include "engine/path.h"
#include "engine/syntax.h"

namespace smtpspec::agents::server {
namespace {

namespace engine = smtpspec::server;

// The mailbox as the sink stores it: "user@domain", "Postmaster", "" for <>.
std::string MailboxText(const Path& path) {
  if (path.kind == Path::Kind::kNull) return "";
  if (path.kind == Path::Kind::kPostmaster) return path.mailbox.local_part;
  Result<std::string> text = RenderMailbox(path.mailbox, Charset::kUtf8);
  return text.ok() ? *text : path.mailbox.local_part;
}

class SessionHandler : public engine::Handler {
 public:
  SessionHandler(MailBackend& backend, std::string peer)
      : backend_(backend), peer_(std::move(peer)) {}

  std::optional<engine::Error> Mail(const Path&,
                                    const std::vector<Parameter>&) override {
    return std::nullopt;
  }
  std::optional<engine::Error> Rcpt(const Path& path,
                                    const std::vector<Parameter>&) override {
    if (path.kind != Path::Kind::kMailbox) return std::nullopt;
    return backend_.Check(path.mailbox);
  }
  std::optional<engine::Error> Data(const engine::Envelope& envelope,
                                    std::string_view content) override {
    return backend_.Store(envelope, content, peer_);
  }
  Reply Vrfy(std::string_view argument) override {
    return backend_.Verify(argument);
  }

 private:
  MailBackend& backend_;
  std::string peer_;
};

}  // namespace

MailBackend::MailBackend(Policy policy, sink::Sink& sink)
    : policy_(std::move(policy)), sink_(sink) {}

std::variant<std::unique_ptr<engine::Handler>, engine::Error>
MailBackend::NewSession(const engine::ConnectionInfo& info) {
  return std::make_unique<SessionHandler>(*this, info.remote_address);
}

std::optional<engine::Error> MailBackend::Check(const Mailbox& mailbox) const {
  const std::string& domain = mailbox.domain.value;
  if (!policy_.local_domains.empty()) {
    bool local = false;
    for (const std::string& d : policy_.local_domains) {
      if (syntax::EqualsIgnoreCase(d, domain)) local = true;
    }
    if (!local) {
      return engine::Error{550, EnhancedCode{5, 7, 1},
                           "Relaying denied: not a local domain"};
    }
  }
  if (policy_.mailboxes.empty()) return std::nullopt;
  for (const std::string& known : policy_.mailboxes) {
    std::size_t at = known.rfind('@');
    if (at == std::string::npos) continue;
    // RFC 5321 2.4: the local-part may be case-sensitive, the domain not.
    if (std::string_view(known).substr(0, at) == mailbox.local_part &&
        syntax::EqualsIgnoreCase(std::string_view(known).substr(at + 1),
                                 domain)) {
      return std::nullopt;
    }
  }
  return engine::Error{550, EnhancedCode{5, 1, 1}, "No such user here"};
}

Reply MailBackend::Verify(std::string_view argument) const {
  std::string_view text = argument;
  if (text.size() >= 2 && text.front() == '<' && text.back() == '>') {
    text = text.substr(1, text.size() - 2);
  }
  Result<Mailbox> mailbox = ParseMailbox(text, Charset::kUtf8);
  if (!mailbox.ok() || policy_.mailboxes.empty()) {
    // RFC 5321 3.5.3: cannot verify, but will accept and attempt delivery.
    return Reply{252, EnhancedCode{2, 5, 0}, {"Cannot VRFY user"}};
  }
  if (Check(*mailbox).has_value()) {
    return Reply{550, EnhancedCode{5, 1, 1}, {"No such user here"}};
  }
  std::string name = "<" + std::string(text) + ">";
  switch (policy_.vrfy) {
    case config::VrfyMode::k250:
      return Reply{250, EnhancedCode{2, 1, 5}, {name}};
    case config::VrfyMode::k251:
      return Reply{251,
                   EnhancedCode{2, 1, 5},
                   {"User not local; will forward to " + name}};
    case config::VrfyMode::k252:
      break;
  }
  return Reply{252, EnhancedCode{2, 5, 0}, {"Cannot VRFY user"}};
}

std::optional<engine::Error> MailBackend::Store(
    const engine::Envelope& envelope, std::string_view content,
    const std::string& peer) {
  sink::Envelope stored;
  stored.reverse_path = MailboxText(envelope.reverse_path);
  for (const engine::Recipient& recipient : envelope.recipients) {
    stored.recipients.push_back(MailboxText(recipient.path));
  }
  stored.received = std::chrono::system_clock::now();
  stored.helo = envelope.helo;
  stored.peer = peer;
  stored.tls = envelope.tls;
  Status status = sink_.Deliver(stored, content);
  if (status.ok()) return std::nullopt;
  // RFC 5321 4.2.3 / 6.1: the client keeps responsibility for the message.
  return engine::Error{451, EnhancedCode{4, 3, 0},
                       "Local error in processing: " + status.error().reason};
}

}  // namespace smtpspec::agents::server
