// Plays one scenario against one peer: the heart of smtpspec.
//
// The Player is sans-IO, like the engine: the driver (cli/ on the agents'
// event loop, or a test) feeds it transport events with the current time
// and carries out what it asks for (bytes to send, a TLS handshake, a
// close, a wake-up time). It never touches a socket or a clock.
//
// With a server under test the Player is the client: it sends the `C:`
// steps and matches the replies against the `S:` patterns. With a client
// under test it is the server: it sends the `S:` steps (a pattern step gets
// its concrete reply from the engine's reference server, which must fit
// the pattern) and matches what the client sends against the `C:` steps.
// Either way every exchange also goes to the engine's reference model of
// the peer (engine/model), whose findings stand even where a pattern
// allowed the behaviour.
#ifndef SMTPSPEC_INTERPRETER_PLAYER_H_
#define SMTPSPEC_INTERPRETER_PLAYER_H_

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/client_model.h"
#include "engine/model/server_model.h"
#include "engine/wire/reply_reader.h"
#include "engine/server/config.h"
#include "interpreter/result.h"
#include "interpreter/stream_view.h"
#include "parser/scenario.h"
#include "parser/variables.h"

namespace smtpspec::interp {

class Supplier;  // supplier.h

using Time = std::chrono::steady_clock::time_point;

// ${client_domain} when neither the scenario nor --var sets it: the name the
// harness gives itself in EHLO (a .test name, RFC 2606).
inline constexpr char kDefaultClientDomain[] = "client.smtpspec.test";

struct PlayerOptions {
  Mode mode = Mode::kServer;
  // Values from the command line (--var k=v); they override the front
  // matter's defaults.
  std::vector<parser::Binding> vars;
  // How long a step may wait for the peer when the scenario sets no
  // timeout of its own.
  std::chrono::milliseconds step_timeout{10000};
  // ${unknown_mailbox} is this local part at ${domain}: a mailbox that
  // should not exist. Random per run, so that a server cannot special-case
  // it; a server that accepts it is a catch-all (legal), and the scenarios
  // that need its refusal are INCONCLUSIVE there.
  std::string unknown_local_part = "smtpspec-no-such-user";
  // How the reference server answers when it supplies replies (client
  // mode); its hostname also names the harness in greetings.
  server::Config reference;
  // For Result::scenario and Result::target.
  std::string file;
  TargetInfo target;
  std::string started_at;  // RFC 3339, from the driver's clock
};

class Player {
 public:
  Player(const parser::Scenario& scenario, PlayerOptions options, Time now);
  ~Player();
  Player(const Player&) = delete;
  Player& operator=(const Player&) = delete;

  // The connection is up: we connected to the server under test, or the
  // client under test connected to us.
  void Connected(Time now);
  // The connection could not be made (refused, timed out, client never
  // connected): the result is an ERROR with `reason`.
  void ConnectFailed(std::string reason, Time now);
  void Received(std::string_view bytes, Time now);
  // The peer closed its side (or the connection broke).
  void PeerClosed(Time now);
  // The TLS handshake the Player asked for succeeded or failed.
  void TlsEstablished(Time now);
  void TlsFailed(std::string reason, Time now);
  // Time passed; call at deadline() at the latest.
  void Tick(Time now);
  // The connection is gone for good (closed, reset, or the run is being
  // interrupted): nothing more will come, so the Player finishes now.
  void ConnectionGone(Time now);
  // The harness ends the scenario itself, before it could show anything
  // (serve mode: the client named no script that greets alike; the server
  // is stopping): `unread`, what the peer sent that the Player was not
  // given, is recorded as received, and `last_words` sent and recorded;
  // the result is an ERROR with `reason`.
  void Abandon(std::string reason, std::string_view unread,
               std::string last_words, Time now);

  // Bytes to send now.
  std::string TakeOutput();
  // After sending the output: start a TLS handshake (client side in server
  // mode, server side in client mode).
  bool wants_tls() const { return wants_tls_; }
  // After sending the output: close the connection.
  bool wants_close() const { return wants_close_; }
  // When to call Tick() if nothing else happens.
  std::optional<Time> deadline() const;
  bool done() const { return done_; }

  // The result; valid once done().
  const ScenarioResult& result() const { return result_; }

 private:
  // A command (or end of data) the server under test has been sent and
  // has not answered yet, as the server should have read it.
  struct Pending {
    enum class Kind { kCommand, kDataEnd, kMalformed };
    Kind kind = Kind::kCommand;
    Command command;
    std::size_t octets = 0;
  };
  // A reply from the server under test, waiting for its S: step.
  struct Arrived {
    std::optional<Reply> reply;  // nullopt: malformed
    bool greeting = false;
    // A rule the scenario does not test that the model found broken by
    // this reply: a step that then mismatches was stopped by it.
    std::string incidental;
  };

  void Run(Time now);
  // One step, in either mode (player_step.cc); false when it must wait for
  // the peer.
  bool PlayStep(const parser::Step& step, Time now);

  // Server mode: the steps (player_server.cc).
  bool SendCommand(const parser::CommandPattern& pattern, Time now);
  bool SendRaw(const parser::RawSend& raw, const parser::Step& step,
               Time now);
  bool SendPipeline(const parser::Pipeline& pipeline, Time now);
  bool SendBody(const parser::Body& body, const parser::Step& step,
                Time now);
  bool SendBdat(const parser::Bdat& bdat, Time now);
  bool ExpectReply(const parser::ReplyPattern& pattern,
                   const parser::Step& step);
  bool ExpectServerClose(const parser::Step& step);
  // Server mode: the wire.
  void Send(std::string bytes, Time now);
  void ReadReplies(Time now);
  // The model's view of one reply; returns the first incidental rule it
  // found broken ("" for none).
  std::string JudgeReply(const Reply& reply, Time now);
  std::optional<std::string> CommandLine(
      const parser::CommandPattern& pattern);

  // Client mode: the steps (player_client.cc).
  bool SupplyReply(const parser::ReplyPattern& pattern,
                   const parser::Step& step, Time now);
  bool ExpectCommand(const parser::CommandPattern& pattern,
                     const parser::Step& step);
  bool ExpectPipeline(const parser::Pipeline& pipeline,
                      const parser::Step& step);
  bool SendRawReplies(const parser::RawSend& raw,
                      const parser::Step& step, Time now);
  bool ExpectBody(const parser::Body& body, const parser::Step& step);
  bool ExpectBdat(const parser::Bdat& bdat, const parser::Step& step);
  bool ExpectClientClose(const parser::Step& step);
  // Client mode: the wire.
  void SendReply(const Reply& reply, Time now);
  // The client was sent `reply`: the model and the data phase follow it.
  void NoteReplySent(const Reply& reply, Time now);
  void ReadClient(Time now);
  // For a MAIL/RCPT step written with ${sender} or ${mailbox} that the
  // client answered with the same command for another address: the line the
  // client was expected to send. Such a client was handed other inputs.
  std::optional<std::string> GivenInput(
      const parser::CommandPattern& pattern, const StreamItem& item) const;

  void Wire(char dir, std::string_view bytes, Time now);
  void AddFinding(FindingKind kind, std::string rfc, model::Level level,
                  std::string message, std::string expected = "",
                  std::string observed = "");
  // A finding under a catalogue rule: citation, level and sentence are the
  // rule's.
  void AddRuleFinding(FindingKind kind, std::string_view rule,
                      std::string message, std::string expected = "",
                      std::string observed = "");
  void AddModelFindings(const std::vector<model::Finding>& findings);
  // Whether a model or wire finding is about what the scenario tests: its
  // rule is one the scenario names (or, for a scenario that names none, its
  // citation is one of the scenario's rfc: entries).
  bool IsOwn(const Finding& finding) const;
  // Whether a step is what the scenario tests (scenario.h, Step::check).
  bool IsCheck(const parser::Step& step) const;
  // The step did not go as written. At a check step that is a finding under
  // the step's rule; at a setup step, or where the target did something
  // the RFC allows that ends the scenario (421, a refusing greeting), the
  // result is INCONCLUSIVE. `arrived` is the reply that did not match.
  void Mismatch(const parser::Step& step, std::string expected,
                std::string observed, std::string why,
                const Arrived* arrived = nullptr);
  void Inconclusive(std::string reason);
  void Fail(std::string reason, Time now);  // ERROR
  // ERROR at a step: "line N: reason".
  void FailAt(const parser::Step& step, std::string reason, Time now);
  void Skip(std::string reason, Time now);  // SKIPPED
  void Finish(Time now);
  void WindDown(Time now);
  std::chrono::milliseconds StepTimeout(const parser::Step& step) const;

  const parser::Scenario& scenario_;
  PlayerOptions options_;
  parser::Variables vars_;
  ScenarioResult result_;
  Time start_;

  std::size_t pc_ = 0;              // the step being played
  std::optional<Time> wait_until_;  // deadline of the step being waited on
  std::optional<Time> sleep_until_;
  bool connected_ = false;
  bool peer_closed_ = false;
  bool in_tls_handshake_ = false;
  bool wants_tls_ = false;
  bool wants_close_ = false;
  bool done_ = false;
  bool stopped_ = false;  // a mismatch ended the conversation
  bool error_ = false;
  bool skipped_ = false;
  bool winding_ = false;        // all steps done; waiting for the peer to close
  bool unimplemented_ = false;  // 502/504 to an optional command
  bool marked_ = false;         // some step is marked !check or !rule
  bool inconclusive_ = false;
  Verb last_answered_ = Verb::kUnknown;
  std::string output_;
  std::size_t transcript_bytes_ = 0;
  std::size_t dropped_bytes_ = 0;
  std::size_t sub_ = 0;  // progress inside a multi-part step (client mode)
  bool data_end_seen_ = false;  // client mode: the next reply ends DATA
  bool greeting_sent_ = false;

  // Server mode: what the server has been sent, as it should read it,
  // and the replies that came back.
  StreamView sent_;
  std::deque<Pending> pending_;
  wire::ReplyReader replies_in_;
  std::deque<Arrived> replies_;
  bool greeted_ = false;
  bool requires_checked_ = false;
  model::ServerModel server_model_;

  // Client mode: what the client sent, and the reference replies.
  StreamView client_in_;
  std::deque<StreamItem> client_items_;
  std::unique_ptr<Supplier> supplier_;
  model::ClientModel client_model_;
  // Replies inside the harness's own raw (S!) sends, as the client reads
  // them; lenient, since a raw send may be malformed on purpose.
  wire::ReplyReader raw_replies_{wire::Policy{.max_line = 1 << 20,
                                              .accept_bare_lf = true,
                                              .accept_bare_cr = true,
                                              .accept_nul = true}};
  Verb last_client_verb_ = Verb::kUnknown;
};

}  // namespace smtpspec::interp

#endif  // SMTPSPEC_INTERPRETER_PLAYER_H_
