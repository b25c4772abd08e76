// What running one scenario against one target produced: pure data,
// serialised as JSON by result_json.h (schema: docs/results-schema.md).
// Fields with a fixed set of values are enums; their names in the JSON are
// result_json's business.
#ifndef SMTPSPEC_INTERPRETER_RESULT_H_
#define SMTPSPEC_INTERPRETER_RESULT_H_

#include <string>
#include <vector>

#include "engine/model/finding.h"
#include "parser/scenario.h"

namespace smtpspec::interp {

// Which side is under test. In kServer mode the harness is the client.
enum class Mode { kServer, kClient };

// How the harness reaches a server under test.
enum class TargetTls {
  kNone,
  kStartTls,  // EHLO, STARTTLS, handshake; then the scenario (RFC 3207)
  kImplicit,  // TLS from the first byte (RFC 8314)
};

enum class Verdict {
  kOk,
  kNonStrict,      // only SHOULD- or MAY-level findings
  kUnimplemented,  // 502/504 to an optional command
  kFailed,
  kSkipped,
  // A premise of the scenario did not hold of the target (a catch-all
  // accepted an unknown mailbox, service was refused at the greeting, a
  // setup step was refused): it could not show what it tests.
  kInconclusive,
  kError,  // the harness could not run it
};

// Where a finding comes from.
enum class FindingKind {
  kPattern,  // a step did not match
  kModel,    // the reference model judged the exchange
  kWire,     // malformed bytes
};

struct Finding {
  FindingKind kind = FindingKind::kPattern;
  std::string rule;  // catalogue id; "" for a scenario that names no rule
  std::string rfc;   // the rule's citation (or the scenario's first rfc:)
  model::Level level = model::Level::kMust;
  std::string sentence;  // the rule's quoted sentence
  std::string message;
  int step = -1;  // index into Result::steps, -1 when not tied to one
  std::string expected;
  std::string observed;

  bool operator==(const Finding&) const = default;
};

enum class StepStatus { kNotReached, kOk, kMismatch, kSkipped };

struct StepRecord {
  int line = 0;      // 1-based line in the scenario file
  std::string text;  // the step as written ("S: 250 *")
  StepStatus status = StepStatus::kNotReached;

  bool operator==(const StepRecord&) const = default;
};

// Bytes that crossed the wire, in order.
struct WireEvent {
  double t_ms = 0;
  char dir = 'C';    // 'C': the client sent them, 'S': the server
  std::string data;  // raw bytes
  int step = -1;

  bool operator==(const WireEvent&) const = default;
};

struct ScenarioInfo {
  std::string id;
  std::string title;
  std::string file;
  int line = 1;
  std::vector<std::string> rfc;
  std::vector<std::string> rules;
  // The front matter's, MUST and server when it says nothing.
  parser::Level level = parser::Level::kMust;
  std::vector<std::string> tags;
  parser::UnderTest tests = parser::UnderTest::kServer;

  bool operator==(const ScenarioInfo&) const = default;
};

struct TargetInfo {
  std::string name;
  std::string address;
  TargetTls tls = TargetTls::kNone;  // always kNone for a client
  std::string command;               // client mode: the command line started

  bool operator==(const TargetInfo&) const = default;
};

struct ScenarioResult {
  ScenarioInfo scenario;
  TargetInfo target;
  Mode mode = Mode::kServer;
  Verdict verdict = Verdict::kOk;
  std::string reason;  // for kSkipped, kInconclusive and kError
  // About what the scenario tests: its steps and the rules it names.
  std::vector<Finding> findings;
  // Model and wire findings about other rules: they do not decide this
  // verdict; the reports gather them once per target.
  std::vector<Finding> incidental;
  std::vector<StepRecord> steps;
  std::vector<WireEvent> transcript;
  std::string started_at;  // RFC 3339 UTC
  double duration_ms = 0;

  bool operator==(const ScenarioResult&) const = default;
};

}  // namespace smtpspec::interp

#endif  // SMTPSPEC_INTERPRETER_RESULT_H_
