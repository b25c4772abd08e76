#include "interpreter/supplier.h"

#include <utility>

namespace smtpspec::interp {

std::optional<server::Error> Supplier::AcceptAll::Mail(
    const Path&, const std::vector<Parameter>&) {
  return std::nullopt;
}

std::optional<server::Error> Supplier::AcceptAll::Rcpt(
    const Path&, const std::vector<Parameter>&) {
  return std::nullopt;
}

std::optional<server::Error> Supplier::AcceptAll::Data(const server::Envelope&,
                                                       std::string_view) {
  return std::nullopt;
}

Supplier::Supplier(server::Config config, server::Time now)
    : session_(std::move(config), handler_, server::ConnectionInfo{}, now) {
  Collect();
}

void Supplier::FeedClient(std::string_view bytes, server::Time now) {
  session_.Feed(bytes, now);
  Collect();
}

void Supplier::TlsEstablished(server::Time now) {
  session_.TlsEstablished(now);
  Collect();
}

std::optional<Reply> Supplier::NextReply() {
  if (replies_.empty()) return std::nullopt;
  Reply reply = std::move(replies_.front());
  replies_.pop_front();
  return reply;
}

void Supplier::Collect() {
  session_.TakeEvents();  // STARTTLS etc.: the Player drives TLS itself
  reader_.Feed(session_.TakeOutput());
  while (true) {
    wire::Event<wire::Received<Reply>> event = reader_.Next();
    if (auto* r = std::get_if<wire::Received<Reply>>(&event)) {
      replies_.push_back(std::move(r->value));
      continue;
    }
    if (std::holds_alternative<wire::NeedData>(event)) return;
    // The engine renders only well-formed replies; skip anything else.
  }
}

std::vector<std::string> ReferenceCommands(const parser::Variables& vars) {
  auto value = [&](std::string_view name) {
    const std::string* v = vars.Find(name);
    return v == nullptr ? std::string() : *v;
  };
  const std::string client = value("client_domain");
  return {
      "EHLO " + client,
      "HELO " + client,
      "MAIL FROM:<" + value("sender") + ">",
      "RCPT TO:<" + value("mailbox") + ">",
      "DATA",
      "RSET",
      "NOOP",
      "QUIT",
      "VRFY " + value("mailbox"),
      "EXPN " + value("mailbox"),
      "HELP",
      "STARTTLS",
  };
}

}  // namespace smtpspec::interp
