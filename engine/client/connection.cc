#include "engine/client/connection.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "engine/data/dot_stuffer.h"
#include "engine/wire/render.h"

namespace smtpspec::client {

Connection::Connection(Config config, std::vector<Message> messages, Time now,
                       WireOptions options)
    : machine_(std::move(config), std::move(messages), now),
      reader_(options.policy, options.max_reply_lines) {
  Pump(now);
}

void Connection::Feed(std::string_view bytes, Time now) {
  if (machine_.done() || bytes.empty()) return;
  if (in_handshake_) {
    return RejectPlaintext(reader_.offset() + reader_.buffered(),
                           std::string(bytes), now);
  }
  reader_.Feed(bytes);
  while (!machine_.done()) {
    wire::Event<wire::Received<Reply>> event = reader_.Next();
    if (std::holds_alternative<wire::NeedData>(event)) break;
    if (const auto* problem = std::get_if<wire::Problem>(&event)) {
      machine_.OnMalformedReply(Error{problem->offset, problem->reason},
                                problem->line, now);
    } else {
      machine_.OnReply(std::get<wire::Received<Reply>>(event).value, now);
    }
    Pump(now);
    if (in_handshake_) {
      // RFC 3207 6: what follows the 220 in the same read was sent in
      // clear and must not be taken as if it came through TLS.
      if (reader_.buffered() > 0) {
        std::size_t offset = reader_.offset();
        RejectPlaintext(offset, reader_.TakeBuffered(), now);
      }
      break;
    }
  }
}

void Connection::RejectPlaintext(std::size_t offset, std::string bytes,
                                 Time now) {
  std::string reason = "the server sent " + std::to_string(bytes.size()) +
                       " bytes in clear after 220 to STARTTLS, before the "
                       "TLS handshake (RFC 3207 6)";
  machine_.OnMalformedReply(Error{offset, std::move(reason)}, std::move(bytes),
                            now);
  Pump(now);
}

std::string Connection::TakeOutput(Time now, std::size_t max) {
  std::size_t n = std::min(max, pending_output());
  std::string taken = out_.substr(out_head_, n);
  out_head_ += n;
  // Keep the buffer from growing by what was taken; amortised O(1).
  if (out_head_ == out_.size()) {
    out_.clear();
    out_head_ = 0;
  } else if (out_head_ > out_.size() / 2) {
    out_.erase(0, out_head_);
    out_head_ = 0;
  }
  if (body_pending_ > 0 && n > 0) {
    body_pending_ -= std::min(n, body_pending_);
    if (body_pending_ == 0) {
      machine_.OnBodySent(now);
    } else {
      machine_.OnBodyProgress(now);
    }
    Pump(now);
  }
  return taken;
}

std::vector<Event> Connection::TakeEvents() {
  std::vector<Event> taken;
  taken.swap(events_);
  return taken;
}

void Connection::TlsEstablished(Time now) {
  if (!in_handshake_) return;
  in_handshake_ = false;
  machine_.OnTlsEstablished(now);
  Pump(now);
}

void Connection::TlsFailed(std::string reason, Time now) {
  in_handshake_ = false;
  machine_.Abort(
      Error{0, "the TLS handshake failed: " + reason + " (RFC 3207 4.1)"}, now);
  Pump(now);
}

void Connection::ConnectionClosed(Time now) {
  machine_.OnConnectionClosed(now);
  Pump(now);
}

void Connection::Tick(Time now) {
  machine_.OnTimer(now);
  Pump(now);
}

void Connection::Pump(Time now) {
  for (std::vector<Action> actions = machine_.TakeActions(); !actions.empty();
       actions = machine_.TakeActions()) {
    for (Action& action : actions) {
      switch (action.kind) {
        case Action::Kind::kSendCommand: {
          Result<std::string> line = wire::RenderCommand(action.command);
          if (line.ok()) {
            out_ += *line;
          } else {
            // Only a Config::domain with a line end in it gets here.
            machine_.Abort(Error{0, action.command.name + " cannot be sent: " +
                                        line.error().reason},
                           now);
          }
          break;
        }
        case Action::Kind::kSendBody: {
          // RFC 5321 4.5.2 and 4.1.1.4: stuffed, bare line ends turned into
          // CRLF (2.3.8), then CRLF.CRLF. kConvert cannot fail.
          data::Stuffer stuffer(data::LineEndings::kConvert);
          Status status = stuffer.Feed(action.body, &out_);
          if (status.ok()) status = stuffer.Finish(&out_);
          if (!status.ok()) machine_.Abort(status.error(), now);
          body_pending_ = pending_output();
          break;
        }
        case Action::Kind::kStartTls:
          in_handshake_ = true;
          events_.push_back(Event{Event::Kind::kStartTls});
          break;
        case Action::Kind::kClose:
          in_handshake_ = false;
          events_.push_back(Event{Event::Kind::kClose});
          break;
      }
      if (machine_.done()) break;
    }
  }
}

}  // namespace smtpspec::client
