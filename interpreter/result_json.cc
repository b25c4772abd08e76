// The serialisation of a result (docs/results-schema.md). Every object is
// written in the schema's order, which the reports' tests and the result
// snapshots rely on.
#include "interpreter/result_json.h"

#include <vector>

#include "parser/delivers.h"
#include "util/json_writer.h"

namespace smtpspec::interp {
namespace {

using util::JsonWriter;

std::string_view KindName(FindingKind kind) {
  switch (kind) {
    case FindingKind::kModel:
      return "model";
    case FindingKind::kWire:
      return "wire";
    case FindingKind::kPattern:
      break;
  }
  return "pattern";
}

std::string_view StatusName(StepStatus status) {
  switch (status) {
    case StepStatus::kOk:
      return "ok";
    case StepStatus::kMismatch:
      return "mismatch";
    case StepStatus::kSkipped:
      return "skipped";
    case StepStatus::kNotReached:
      break;
  }
  return "not-reached";
}

// Findings as a JSON array (docs/results-schema.md, "Finding").
void Findings(JsonWriter& w, const std::vector<Finding>& findings) {
  w.BeginArray();
  for (const Finding& f : findings) {
    w.BeginObject();
    w.Key("kind").String(KindName(f.kind));
    w.Key("rule").String(f.rule);
    w.Key("rfc").String(f.rfc);
    w.Key("level").String(model::LevelName(f.level));
    w.Key("sentence").String(f.sentence);
    w.Key("message").String(f.message);
    w.Key("step").Int(f.step);
    w.Key("expected").String(f.expected);
    w.Key("observed").String(f.observed);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string_view LevelName(const std::optional<parser::Level>& level) {
  if (!level) return "MUST";
  switch (*level) {
    case parser::Level::kShould:
      return "SHOULD";
    case parser::Level::kMay:
      return "MAY";
    case parser::Level::kMust:
      break;
  }
  return "MUST";
}

std::string_view TestsName(const std::optional<parser::UnderTest>& t) {
  if (!t) return "server";
  switch (*t) {
    case parser::UnderTest::kClient:
      return "client";
    case parser::UnderTest::kBoth:
      return "both";
    case parser::UnderTest::kServer:
      break;
  }
  return "server";
}

std::string ScenarioJson(const parser::Scenario& scenario,
                         std::string_view file, std::string_view text) {
  const parser::Metadata& m = scenario.meta;
  JsonWriter w;
  w.BeginObject();
  w.Key("id").String(m.id);
  w.Key("title").String(m.title);
  w.Key("description").String(m.description);
  w.Key("file").String(file);
  w.Key("rfc").Strings(m.rfc);
  w.Key("rules").Strings(m.rules);
  w.Key("level").String(LevelName(m.level));
  w.Key("tests").String(TestsName(m.tests));
  w.Key("tags").Strings(m.tags);
  w.Key("requires").Strings(m.requires_keywords);
  w.Key("vars").BeginObject();
  for (const parser::Var& var : m.vars) {
    w.Key(var.name).String(var.value);
  }
  w.EndObject();
  w.Key("steps").Int(static_cast<std::int64_t>(scenario.steps.size()));
  // Whether playing it may complete a mail transaction (parser/delivers.h).
  w.Key("delivers").Bool(parser::Delivers(scenario));
  w.Key("text").String(text);
  w.EndObject();
  return w.Take();
}

std::string_view TlsName(TargetTls tls) {
  switch (tls) {
    case TargetTls::kStartTls:
      return "starttls";
    case TargetTls::kImplicit:
      return "implicit";
    case TargetTls::kNone:
      break;
  }
  return "none";
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk:
      return "OK";
    case Verdict::kNonStrict:
      return "NON-STRICT";
    case Verdict::kUnimplemented:
      return "UNIMPLEMENTED";
    case Verdict::kFailed:
      return "FAILED";
    case Verdict::kSkipped:
      return "SKIPPED";
    case Verdict::kInconclusive:
      return "INCONCLUSIVE";
    case Verdict::kError:
      break;
  }
  return "ERROR";
}

std::string ToJson(const ScenarioResult& r) {
  JsonWriter w;
  w.BeginObject();
  w.Key("schema").String("smtpspec.result/1");
  w.Key("scenario").BeginObject();
  w.Key("id").String(r.scenario.id);
  w.Key("title").String(r.scenario.title);
  w.Key("file").String(r.scenario.file);
  w.Key("line").Int(r.scenario.line);
  w.Key("rfc").Strings(r.scenario.rfc);
  w.Key("rules").Strings(r.scenario.rules);
  w.Key("level").String(LevelName(r.scenario.level));
  w.Key("tags").Strings(r.scenario.tags);
  w.Key("tests").String(TestsName(r.scenario.tests));
  w.EndObject();
  w.Key("target").BeginObject();
  w.Key("name").String(r.target.name);
  w.Key("address").String(r.target.address);
  w.Key("tls").String(TlsName(r.target.tls));
  if (!r.target.command.empty()) w.Key("command").String(r.target.command);
  w.EndObject();
  w.Key("mode").String(r.mode == Mode::kServer ? "server" : "client");
  w.Key("verdict").String(VerdictName(r.verdict));
  w.Key("reason").String(r.reason);
  w.Key("findings");
  Findings(w, r.findings);
  w.Key("incidental");
  Findings(w, r.incidental);
  w.Key("steps").BeginArray();
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const StepRecord& s = r.steps[i];
    w.BeginObject();
    w.Key("index").Int(static_cast<std::int64_t>(i));
    w.Key("line").Int(s.line);
    w.Key("text").String(s.text);
    w.Key("status").String(StatusName(s.status));
    w.EndObject();
  }
  w.EndArray();
  w.Key("transcript").BeginArray();
  for (const WireEvent& e : r.transcript) {
    w.BeginObject();
    w.Key("t_ms").Number(e.t_ms);
    w.Key("dir").String(std::string(1, e.dir));
    // The bytes themselves, losslessly.
    w.Key("data").Bytes(e.data);
    w.Key("step").Int(e.step);
    w.EndObject();
  }
  w.EndArray();
  w.Key("started_at").String(r.started_at);
  w.Key("duration_ms").Number(r.duration_ms);
  w.EndObject();
  return w.Take();
}

}  // namespace smtpspec::interp
