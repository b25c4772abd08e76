// What each kind of step does, in both modes: the one dispatcher over
// parser::Action. The steps that mean the same whichever side is under
// test (STARTTLS, a pause, closing) are carried out here once; the others
// go to the mode's own handler, since with a server under test the harness
// sends the C: side and checks the S: side, and with a client under test
// the reverse. std::visit makes a new kind of step a build error here until
// both modes say what it does.
#include <variant>

#include "interpreter/player.h"

namespace smtpspec::interp {
namespace {

template <class... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};
template <class... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

}  // namespace

bool Player::PlayStep(const parser::Step& step, Time now) {
  const bool server = options_.mode == Mode::kServer;
  return std::visit(
      Overloaded{
          [&](const parser::ClientCommand& c) {
            return server ? SendCommand(c.pattern, now)
                          : ExpectCommand(c.pattern, step);
          },
          [&](const parser::ServerReply& s) {
            return server ? ExpectReply(s.pattern, step)
                          : SupplyReply(s.pattern, step, now);
          },
          [&](const parser::RawSend& raw) {
            return server ? SendRaw(raw, step, now)
                          : SendRawReplies(raw, step, now);
          },
          [&](const parser::Pipeline& p) {
            return server ? SendPipeline(p, now) : ExpectPipeline(p, step);
          },
          [&](const parser::Body& body) {
            return server ? SendBody(body, step, now) : ExpectBody(body, step);
          },
          [&](const parser::Bdat& bdat) {
            return server ? SendBdat(bdat, now) : ExpectBdat(bdat, step);
          },
          [&](const parser::StartTls&) {
            // The driver starts the handshake (client side in server mode,
            // server side in client mode) after sending the output.
            wants_tls_ = true;
            in_tls_handshake_ = true;
            return true;
          },
          [&](const parser::Sleep& sleep) {
            sleep_until_ = now + sleep.duration;
            return true;
          },
          [&](const parser::ExpectClose&) {
            return server ? ExpectServerClose(step) : ExpectClientClose(step);
          },
          [&](const parser::Close&) {
            wants_close_ = true;
            return true;
          },
          [&](const parser::Include&) {
            FailAt(step, "!include was not resolved before running", now);
            return false;
          },
      },
      step.action);
}

}  // namespace smtpspec::interp
