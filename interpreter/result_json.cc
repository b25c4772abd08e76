#include "interpreter/result_json.h"

#include <cstdio>
#include <vector>

namespace smtpspec::interp {
namespace {

// Appends a JSON string literal. `latin1`: each byte is one code point.
void Quote(std::string& out, std::string_view text, bool latin1 = false) {
  out += '"';
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    if (latin1) {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
      continue;
    }
    // Copy a valid UTF-8 sequence; replace a bad byte with U+FFFD.
    std::size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    bool valid = len > 0 && c < 0xf5 && i + len <= text.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    }
    if (valid) {
      out.append(text.substr(i, len));
      i += len - 1;
    } else {
      out += "\xef\xbf\xbd";
    }
  }
  out += '"';
}

void Key(std::string& out, std::string_view key) {
  Quote(out, key);
  out += ':';
}

void Number(std::string& out, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", value);
  out += buf;
}

void Strings(std::string& out, const std::vector<std::string>& values) {
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    Quote(out, values[i]);
  }
  out += ']';
}

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

}  // namespace

std::string_view LevelName(const std::optional<transcript::Level>& level) {
  if (!level) return "MUST";
  switch (*level) {
    case transcript::Level::kShould:
      return "SHOULD";
    case transcript::Level::kMay:
      return "MAY";
    case transcript::Level::kMust:
      break;
  }
  return "MUST";
}

std::string_view TestsName(const std::optional<transcript::UnderTest>& t) {
  if (!t) return "server";
  switch (*t) {
    case transcript::UnderTest::kClient:
      return "client";
    case transcript::UnderTest::kBoth:
      return "both";
    case transcript::UnderTest::kServer:
      break;
  }
  return "server";
}

std::string ScenarioJson(const transcript::Scenario& scenario,
                         std::string_view file, std::string_view text) {
  const transcript::Metadata& m = scenario.meta;
  std::string out = "{";
  Key(out, "id");
  Quote(out, m.id);
  out += ',';
  Key(out, "title");
  Quote(out, m.title);
  out += ',';
  Key(out, "description");
  Quote(out, m.description);
  out += ',';
  Key(out, "file");
  Quote(out, file);
  out += ',';
  Key(out, "rfc");
  Strings(out, m.rfc);
  out += ',';
  Key(out, "rules");
  Strings(out, m.rules);
  out += ',';
  Key(out, "level");
  Quote(out, LevelName(m.level));
  out += ',';
  Key(out, "tests");
  Quote(out, TestsName(m.tests));
  out += ',';
  Key(out, "tags");
  Strings(out, m.tags);
  out += ',';
  Key(out, "requires");
  Strings(out, m.requires_keywords);
  out += ',';
  Key(out, "vars");
  out += '{';
  for (std::size_t i = 0; i < m.vars.size(); ++i) {
    if (i > 0) out += ',';
    Key(out, m.vars[i].name);
    Quote(out, m.vars[i].value);
  }
  out += "},";
  Key(out, "steps");
  out += std::to_string(scenario.steps.size());
  out += ',';
  Key(out, "text");
  Quote(out, text);
  out += '}';
  return out;
}

// Findings as a JSON array (docs/results-schema.md, "Finding").
void Findings(std::string& out, const std::vector<Finding>& findings) {
  out += '[';
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    if (i > 0) out += ',';
    out += '{';
    Key(out, "kind");
    Quote(out, KindName(f.kind));
    out += ',';
    Key(out, "rule");
    Quote(out, f.rule);
    out += ',';
    Key(out, "rfc");
    Quote(out, f.rfc);
    out += ',';
    Key(out, "level");
    Quote(out, model::LevelName(f.level));
    out += ',';
    Key(out, "sentence");
    Quote(out, f.sentence);
    out += ',';
    Key(out, "message");
    Quote(out, f.message);
    out += ',';
    Key(out, "step");
    out += std::to_string(f.step);
    out += ',';
    Key(out, "expected");
    Quote(out, f.expected);
    out += ',';
    Key(out, "observed");
    Quote(out, f.observed);
    out += '}';
  }
  out += ']';
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
  std::string out = "{";
  Key(out, "schema");
  Quote(out, "smtpspec.result/1");
  out += ',';
  Key(out, "scenario");
  out += '{';
  Key(out, "id");
  Quote(out, r.scenario.id);
  out += ',';
  Key(out, "title");
  Quote(out, r.scenario.title);
  out += ',';
  Key(out, "file");
  Quote(out, r.scenario.file);
  out += ',';
  Key(out, "line");
  out += std::to_string(r.scenario.line);
  out += ',';
  Key(out, "rfc");
  Strings(out, r.scenario.rfc);
  out += ',';
  Key(out, "rules");
  Strings(out, r.scenario.rules);
  out += ',';
  Key(out, "level");
  Quote(out, r.scenario.level);
  out += ',';
  Key(out, "tags");
  Strings(out, r.scenario.tags);
  out += ',';
  Key(out, "tests");
  Quote(out, r.scenario.tests);
  out += "},";
  Key(out, "target");
  out += '{';
  Key(out, "name");
  Quote(out, r.target.name);
  out += ',';
  Key(out, "address");
  Quote(out, r.target.address);
  out += ',';
  Key(out, "tls");
  Quote(out, r.target.tls);
  if (!r.target.command.empty()) {
    out += ',';
    Key(out, "command");
    Quote(out, r.target.command);
  }
  out += "},";
  Key(out, "mode");
  Quote(out, r.mode == Mode::kServer ? "server" : "client");
  out += ',';
  Key(out, "verdict");
  Quote(out, VerdictName(r.verdict));
  out += ',';
  Key(out, "reason");
  Quote(out, r.reason);
  out += ',';
  Key(out, "findings");
  Findings(out, r.findings);
  out += ',';
  Key(out, "incidental");
  Findings(out, r.incidental);
  out += ',';
  Key(out, "steps");
  out += '[';
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const StepRecord& s = r.steps[i];
    if (i > 0) out += ',';
    out += '{';
    Key(out, "index");
    out += std::to_string(i);
    out += ',';
    Key(out, "line");
    out += std::to_string(s.line);
    out += ',';
    Key(out, "text");
    Quote(out, s.text);
    out += ',';
    Key(out, "status");
    Quote(out, StatusName(s.status));
    out += '}';
  }
  out += "],";
  Key(out, "transcript");
  out += '[';
  for (std::size_t i = 0; i < r.transcript.size(); ++i) {
    const WireEvent& e = r.transcript[i];
    if (i > 0) out += ',';
    out += '{';
    Key(out, "t_ms");
    Number(out, e.t_ms);
    out += ',';
    Key(out, "dir");
    Quote(out, std::string(1, e.dir));
    out += ',';
    Key(out, "data");
    Quote(out, e.data, /*latin1=*/true);
    out += ',';
    Key(out, "step");
    out += std::to_string(e.step);
    out += '}';
  }
  out += "],";
  Key(out, "started_at");
  Quote(out, r.started_at);
  out += ',';
  Key(out, "duration_ms");
  Number(out, r.duration_ms);
  out += '}';
  return out;
}

}  // namespace smtpspec::interp
