// A parsed transcript: metadata plus the steps of one SMTP conversation.
// Pure data; see docs/transcript-format.md for the text these come from,
// parser.h for reading it and render.h for writing it back.
#ifndef SMTPSPEC_PARSER_SCENARIO_H_
#define SMTPSPEC_PARSER_SCENARIO_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "parser/pattern.h"

namespace smtpspec::parser {

// RFC 2119 requirement level of what the scenario checks.
enum class Level { kMust, kShould, kMay };

// Which side of the conversation the scenario tests.
enum class UnderTest { kServer, kClient, kBoth };

// The two parties of an SMTP conversation.
enum class Party { kClient, kServer };

// A variable's default value from the front matter.
struct Var {
  std::string name;
  std::string value;

  bool operator==(const Var&) const = default;
};

// The front matter. Empty fields were not written.
struct Metadata {
  std::string id;
  std::string title;
  std::string description;
  std::vector<std::string> rfc;  // citations, "RFC 5321 4.1.4"
  // The rules the scenario checks (rules/*.tsv ids). The first is the rule
  // of its check steps unless a step names its own (Step::rule).
  std::vector<std::string> rules;
  std::optional<Level> level;
  std::optional<UnderTest> tests;
  std::vector<std::string> tags;
  // EHLO keywords the target must advertise, else the scenario is skipped.
  std::vector<std::string> requires_keywords;
  std::vector<Var> vars;  // in the order written
  std::optional<std::chrono::milliseconds> timeout;
  // `delivers: true|false`: what the author says playing the scenario does
  // to a server's mailboxes. The steps decide (parser/delivers.h); a value
  // written here must agree with them (cli LoadTranscript checks it).
  std::optional<bool> delivers;
  // Whole-line YAML comments ("# ..."), kept so that fmt loses none.
  std::vector<std::string> comments;

  bool operator==(const Metadata&) const = default;
};

// Where a step was written. Positions say where a step came from, not what
// it is, so any two positions compare equal: a scenario equals its
// reformatted self.
struct Position {
  std::string file;  // "" for the file that was parsed; set by includes
  int line = 0;      // 1-based

  bool operator==(const Position&) const { return true; }
};

// `C: ...`: a command the client sends.
struct ClientCommand {
  CommandPattern pattern;

  bool operator==(const ClientCommand&) const = default;
};

// `S: ...` (one or more lines): a reply the server sends.
struct ServerReply {
  ReplyPattern pattern;

  bool operator==(const ServerReply&) const = default;
};

// `C! "..."` / `S! "..."`: bytes sent exactly as written, no CRLF added.
struct RawSend {
  Party from = Party::kClient;
  RawBytes bytes;

  bool operator==(const RawSend&) const = default;
};

// One command of a `!pipeline` group.
struct PipelinedCommand {
  CommandPattern pattern;
  Position position;
  std::vector<std::string> lead;  // see Step::lead
  std::string comment;            // see Step::comment

  bool operator==(const PipelinedCommand&) const = default;
};

// `!pipeline` ... `!end`: commands the client sends in one write, before
// reading any reply (RFC 2920).
struct Pipeline {
  std::vector<PipelinedCommand> commands;  // never empty
  std::vector<std::string> tail;           // comment lines before `!end`

  bool operator==(const Pipeline&) const = default;
};

// `!body` ... `!end`: a message for DATA. The lines are literal; the sender
// dot-stuffs them and ends the data with CRLF.CRLF (RFC 5321 4.5.2).
struct Body {
  std::vector<std::string> lines;

  bool operator==(const Body&) const = default;
};

// `!bdat SIZE [last] ["data"]`: a BDAT command and its chunk (RFC 3030 2).
// Without data the sender makes up `size` bytes; data of another length is
// sent as written, to test a lying size.
struct Bdat {
  std::uint64_t size = 0;
  bool last = false;
  std::optional<RawBytes> data;

  bool operator==(const Bdat&) const = default;
};

// `!starttls`: start the TLS handshake now (RFC 3207 4).
struct StartTls {
  bool operator==(const StartTls&) const = default;
};

// `!sleep DURATION`: the harness waits before its next step.
struct Sleep {
  std::chrono::milliseconds duration{0};

  bool operator==(const Sleep&) const = default;
};

// `!expect-close`: the peer must close the connection.
struct ExpectClose {
  bool operator==(const ExpectClose&) const = default;
};

// `!close`: the harness closes the connection.
struct Close {
  bool operator==(const Close&) const = default;
};

// `!include PATH`: the steps of another file, relative to this one.
// ResolveIncludes (include.h) replaces it with them.
struct Include {
  std::string path;

  bool operator==(const Include&) const = default;
};

using Action = std::variant<ClientCommand, ServerReply, RawSend, Pipeline, Body,
                            Bdat, StartTls, Sleep, ExpectClose, Close, Include>;

struct Step {
  Action action;
  Position position;
  // `!optional`: the step may not happen; the peer may go straight on.
  bool optional = false;
  // `!timeout DURATION`: how long to wait for this step, instead of the
  // scenario's timeout.
  std::optional<std::chrono::milliseconds> timeout;
  // Presentation only, so that fmt loses nothing: the comment lines ("# ...")
  // and blank lines ("") written just above the step, and the comment at the
  // end of its line. For S: steps, comments live in ReplyLine::comment.
  std::vector<std::string> lead;
  std::string comment;
  // `!check`: this step is what the scenario tests. `!rule ID` also makes
  // it a check step, under rule ID instead of the scenario's first rule.
  // Once any step of a scenario is a check, the others are setup: a
  // mismatch there means the target did not let the scenario reach what it
  // tests (INCONCLUSIVE), not that it broke a rule.
  bool check = false;
  std::string rule;
  // `!premise TEXT`: a setup step whose mismatch is INCONCLUSIVE because
  // TEXT does not hold of the target (a catch-all accepted an unknown
  // mailbox).
  std::string premise;

  bool operator==(const Step&) const = default;
};

struct Scenario {
  Metadata meta;
  std::vector<Step> steps;
  std::vector<std::string> tail;  // comment and blank lines after the last step

  bool operator==(const Scenario&) const = default;
};

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_SCENARIO_H_
