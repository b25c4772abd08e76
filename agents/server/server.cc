#include "agents/server/server.h"

#include <utility>

#include "engine/ext/registry.h"

namespace smtpspec::agents::server {

namespace engine = smtpspec::server;

engine::Config EngineConfig(const config::Server& config) {
  engine::Config out;
  out.hostname = config.hostname;
  out.greeting_text = config.greeting;
  out.domains = config.local_domains;
  out.extensions = config.extensions;
  // Offered per connection, once we know TLS can run (session_handler.cc).
  ext::Disable(out.extensions, "starttls");
  // RFC 5321 3.5.3: VRFY off answers 502 (not conformant, deliberately);
  // on, the backend answers 250/251/252/550 from the mailbox list.
  out.vrfy = config.vrfy_enabled ? engine::VrfyMode::kAskBackend
                                 : engine::VrfyMode::kNotImplemented;
  out.max_recipients = config.limits.recipients;
  out.max_message_size = config.limits.message_size;
  out.max_command_line = config.limits.command_line;
  // RFC 5321 4.5.3.2.7: the server's one inactivity timer governs every
  // wait, including between DATA blocks and during a TLS handshake.
  out.timeouts.command = config.timeouts.server;
  out.timeouts.data_block = config.timeouts.server;
  out.timeouts.tls_handshake = config.timeouts.server;
  return out;
}

Result<std::unique_ptr<Server>> Server::Create(const config::Server& config,
                                               std::vector<Fault> faults,
                                               LoopOptions loop_options) {
  std::unique_ptr<Server> server(new Server());
  Result<std::unique_ptr<sink::Sink>> sink =
      sink::Open(config.sink.kind, config.sink.path);
  if (!sink.ok()) return sink.error();
  server->sink_ = std::move(*sink);
  server->backend_ = std::make_unique<MailBackend>(
      Policy{config.local_domains, config.mailboxes, config.vrfy},
      *server->sink_);
  if (!config.transcript_log.empty()) {
    Result<std::unique_ptr<TranscriptSink>> log =
        TranscriptSink::Open(config.transcript_log);
    if (!log.ok()) return log.error();
    server->transcripts_ = std::move(*log);
  }
  if (!config.tls.certificate.empty()) {
    Result<tls::Context> context = tls::Context::ForServer(
        {config.tls.certificate, config.tls.key, config.tls.client_certificate,
         config.tls.client_ca});
    if (!context.ok()) return context.error();
    server->tls_ = std::move(*context);
  }
  SessionContext& context = server->context_;
  context.engine = EngineConfig(config);
  ApplyFaults(faults, context.engine);
  context.faults = std::move(faults);
  context.backend = server->backend_.get();
  context.starttls = server->tls_.has_value() &&
                             ext::Find(config.extensions, "starttls") != nullptr
                         ? &*server->tls_
                         : nullptr;
  context.transcripts = server->transcripts_.get();

  loop_options.max_connections = config.limits.connections;
  Result<std::unique_ptr<Loop>> loop = Loop::Create(loop_options);
  if (!loop.ok()) return loop.error();
  server->loop_ = std::move(*loop);
  Status listened = server->Listen(config);
  if (!listened.ok()) return listened.error();
  return server;
}

Server::~Server() = default;

Status Server::Listen(const config::Server& config) {
  // RFC 5321 3.8 / 4.2.3: a server too busy to talk says 421 and closes.
  ListenOptions plain;
  plain.refusal = "421 4.7.0 " + config.hostname +
                  " Too many connections, try again later\r\n";
  auto factory = [this](bool implicit) {
    return [this, implicit](const Address& peer,
                            const Address& local) -> std::unique_ptr<Handler> {
      return std::make_unique<SessionHandler>(context_, peer, local, implicit);
    };
  };
  for (const Address& address : config.listen) {
    Result<Address> bound = loop_->Listen(address, factory(false), plain);
    if (!bound.ok()) return bound.error();
    listening_.push_back(*bound);
  }
  if (!config.tls.implicit_listen.empty() && !tls_.has_value()) {
    return Error{0, "tls.implicit_listen needs tls.certificate and tls.key"};
  }
  for (const Address& address : config.tls.implicit_listen) {
    ListenOptions implicit = plain;
    implicit.implicit_tls = *tls_;
    Result<Address> bound = loop_->Listen(address, factory(true), implicit);
    if (!bound.ok()) return bound.error();
    implicit_tls_.push_back(*bound);
  }
  return OkStatus();
}

}  // namespace smtpspec::agents::server
