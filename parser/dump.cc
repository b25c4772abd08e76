#include "parser/dump.h"

#include <string>
#include <variant>

#include "parser/duration.h"
#include "parser/quote.h"
#include "parser/reply_text.h"

namespace smtpspec::parser {
namespace {

// Every byte visible.
std::string Q(const std::string& s) { return DoubleQuote(s, true); }

std::string List(const std::vector<std::string>& items) {
  return FlowList(items, Q);
}

std::string DumpGlob(const Glob& g) {
  std::string out = "glob(";
  for (std::size_t i = 0; i < g.segments.size(); ++i) {
    const Segment& s = g.segments[i];
    if (i > 0) out += " ";
    switch (s.kind) {
      case Segment::Kind::kLiteral:
        out += Q(s.text);
        break;
      case Segment::Kind::kVariable:
        out += "var:" + s.text;
        break;
      case Segment::Kind::kAnyRun:
        out += "*";
        break;
      case Segment::Kind::kAnyByte:
        out += s.count == 1 ? "?" : "?{" + std::to_string(s.count) + "}";
        break;
    }
  }
  return out + ")";
}

std::string DumpText(const TextPattern& t) {
  if (const Regex* r = std::get_if<Regex>(&t)) {
    std::string out = "regex(" + Q(r->source) + (r->icase ? " icase" : "");
    if (r->compiled) {
      const std::vector<std::string>& names = r->compiled->group_names;
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (!names[i].empty()) {
          out += " group" + std::to_string(i + 1) + "=" + names[i];
        }
      }
    }
    return out + ")";
  }
  return DumpGlob(std::get<Glob>(t));
}

std::string DumpRaw(const RawBytes& raw) {
  std::string out = "raw(";
  for (std::size_t i = 0; i < raw.pieces.size(); ++i) {
    const RawPiece& p = raw.pieces[i];
    if (i > 0) out += " ";
    switch (p.kind) {
      case RawPiece::Kind::kBytes:
        out += Q(p.text);
        break;
      case RawPiece::Kind::kRepeat:
        out += Q(p.text) + "x" + std::to_string(p.count);
        break;
      case RawPiece::Kind::kVariable:
        out += "var:" + p.text;
        break;
    }
  }
  return out + ")";
}

void Notes(std::string& out, const std::string& indent,
           const std::vector<std::string>& lead, const std::string& comment) {
  for (const std::string& l : lead) out += indent + "lead " + Q(l) + "\n";
  if (!comment.empty()) out += indent + "comment " + Q(comment) + "\n";
}

struct ActionDumper {
  std::string& out;

  void operator()(const ClientCommand& c) {
    out += "  client " + DumpText(c.pattern.text) + "\n";
  }
  void operator()(const ServerReply& r) {
    const ReplyPattern& p = r.pattern;
    out += "  server code=" + RenderCode(p.code) + "\n";
    for (const ReplyLine& l : p.lines) {
      if (l.kind == ReplyLine::Kind::kAnyLines) {
        out += "    any-lines\n";
      } else {
        out += "    line";
        if (l.enhanced) out += " enhanced=" + RenderEnhanced(*l.enhanced);
        out += " text=" + (l.text ? DumpText(*l.text) : std::string("any"));
        out += "\n";
      }
      if (!l.comment.empty()) out += "      comment " + Q(l.comment) + "\n";
    }
    if (!p.has_keywords.empty())
      out += "    has " + List(p.has_keywords) + "\n";
    if (!p.lacks_keywords.empty()) {
      out += "    lacks " + List(p.lacks_keywords) + "\n";
    }
  }
  void operator()(const RawSend& r) {
    out += std::string("  raw from=") +
           (r.from == Party::kClient ? "client " : "server ") +
           DumpRaw(r.bytes) + "\n";
  }
  void operator()(const Pipeline& p) {
    out += "  pipeline\n";
    for (const PipelinedCommand& c : p.commands) {
      Notes(out, "    ", c.lead, "");
      out += "    @" + std::to_string(c.position.line) + " client " +
             DumpText(c.pattern.text) + "\n";
      if (!c.comment.empty()) out += "      comment " + Q(c.comment) + "\n";
    }
    Notes(out, "    ", p.tail, "");
  }
  void operator()(const Body& b) {
    out += "  body\n";
    for (const std::string& l : b.lines) out += "    " + Q(l) + "\n";
  }
  void operator()(const Bdat& b) {
    out += "  bdat size=" + std::to_string(b.size) + (b.last ? " last" : "");
    if (b.data) out += " data=" + DumpRaw(*b.data);
    out += "\n";
  }
  void operator()(const StartTls&) { out += "  starttls\n"; }
  void operator()(const Sleep& s) {
    out += "  sleep " + FormatDuration(s.duration) + "\n";
  }
  void operator()(const ExpectClose&) { out += "  expect-close\n"; }
  void operator()(const Close&) { out += "  close\n"; }
  void operator()(const Include& i) { out += "  include " + Q(i.path) + "\n"; }
};

}  // namespace

std::string DebugDump(const Scenario& s) {
  const Metadata& m = s.meta;
  std::string out;
  for (const std::string& c : m.comments) out += "meta.comment " + Q(c) + "\n";
  if (!m.id.empty()) out += "meta.id " + Q(m.id) + "\n";
  if (!m.title.empty()) out += "meta.title " + Q(m.title) + "\n";
  if (!m.description.empty()) {
    out += "meta.description " + Q(m.description) + "\n";
  }
  if (!m.rfc.empty()) out += "meta.rfc " + List(m.rfc) + "\n";
  if (!m.rules.empty()) out += "meta.rules " + List(m.rules) + "\n";
  if (m.level) {
    static const char* kNames[] = {"MUST", "SHOULD", "MAY"};
    out +=
        std::string("meta.level ") + kNames[static_cast<int>(*m.level)] + "\n";
  }
  if (m.tests) {
    static const char* kNames[] = {"server", "client", "both"};
    out +=
        std::string("meta.tests ") + kNames[static_cast<int>(*m.tests)] + "\n";
  }
  if (!m.tags.empty()) out += "meta.tags " + List(m.tags) + "\n";
  if (!m.requires_keywords.empty()) {
    out += "meta.requires " + List(m.requires_keywords) + "\n";
  }
  for (const Var& v : m.vars)
    out += "meta.var " + v.name + "=" + Q(v.value) + "\n";
  if (m.timeout) out += "meta.timeout " + FormatDuration(*m.timeout) + "\n";
  if (m.delivers) {
    out +=
        std::string("meta.delivers ") + (*m.delivers ? "true" : "false") + "\n";
  }
  for (std::size_t i = 0; i < s.steps.size(); ++i) {
    const Step& step = s.steps[i];
    Notes(out, "", step.lead, "");
    out += "step " + std::to_string(i + 1) + " @";
    if (!step.position.file.empty()) out += step.position.file + ":";
    out += std::to_string(step.position.line);
    if (step.optional) out += " optional";
    if (step.timeout) out += " timeout=" + FormatDuration(*step.timeout);
    if (step.check) out += " check";
    if (!step.rule.empty()) out += " rule=" + step.rule;
    if (!step.premise.empty()) out += " premise=" + Q(step.premise);
    out += "\n";
    std::visit(ActionDumper{out}, step.action);
    if (!step.comment.empty()) out += "  comment " + Q(step.comment) + "\n";
  }
  for (const std::string& l : s.tail) out += "tail " + Q(l) + "\n";
  return out;
}

}  // namespace smtpspec::parser
