#include "parser/render.h"

#include <string>
#include <variant>

#include "parser/command_text.h"
#include "parser/duration.h"
#include "parser/front_matter.h"
#include "parser/raw_string.h"
#include "parser/reply_text.h"

namespace smtpspec::parser {
namespace {

void AddLine(std::string& out, std::string_view indent, std::string_view text,
             const std::string& comment) {
  if (!text.empty()) out.append(indent).append(text);
  if (!comment.empty()) {
    if (!text.empty()) out.push_back(' ');
    out += comment;
  }
  out.push_back('\n');
}

void AddLead(std::string& out, std::string_view indent,
             const std::vector<std::string>& lead) {
  for (const std::string& l : lead) AddLine(out, indent, l, "");
}

// Body lines are literal; only those the parser would read as something
// else get the leading backslash it removes.
std::string EscapeBodyLine(const std::string& line) {
  std::string_view t(line);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t'))
    t.remove_suffix(1);
  if ((!line.empty() && line[0] == '\\') || t == "!end") return "\\" + line;
  return line;
}

struct ActionRenderer {
  std::string& out;
  const Step& step;

  void operator()(const ClientCommand& c) {
    AddLine(out, "", "C: " + RenderCommandText(c.pattern), step.comment);
  }
  void operator()(const ServerReply& r) {
    for (const std::string& l : RenderReplyLines(r.pattern)) {
      AddLine(out, "", l, "");
    }
  }
  void operator()(const RawSend& r) {
    std::string marker = r.from == Party::kClient ? "C! " : "S! ";
    AddLine(out, "", marker + RenderRawString(r.bytes), step.comment);
  }
  void operator()(const Pipeline& p) {
    out += "!pipeline\n";
    for (const PipelinedCommand& c : p.commands) {
      AddLead(out, "  ", c.lead);
      AddLine(out, "  ", "C: " + RenderCommandText(c.pattern), c.comment);
    }
    AddLead(out, "  ", p.tail);
    out += "!end\n";
  }
  void operator()(const Body& b) {
    out += "!body\n";
    for (const std::string& l : b.lines) {
      out += EscapeBodyLine(l);
      out.push_back('\n');
    }
    out += "!end\n";
  }
  void operator()(const Bdat& b) {
    std::string s = "!bdat " + std::to_string(b.size);
    if (b.last) s += " LAST";
    if (b.data) s += " " + RenderRawString(*b.data);
    AddLine(out, "", s, step.comment);
  }
  void operator()(const StartTls&) {
    AddLine(out, "", "!starttls", step.comment);
  }
  void operator()(const Sleep& s) {
    AddLine(out, "", "!sleep " + FormatDuration(s.duration), step.comment);
  }
  void operator()(const ExpectClose&) {
    AddLine(out, "", "!expect-close", step.comment);
  }
  void operator()(const Close&) { AddLine(out, "", "!close", step.comment); }
  void operator()(const Include& i) {
    AddLine(out, "", "!include " + i.path, step.comment);
  }
};

}  // namespace

std::string RenderStep(const Step& step) {
  std::string out;
  AddLead(out, "", step.lead);
  if (step.optional) out += "!optional\n";
  if (step.timeout) out += "!timeout " + FormatDuration(*step.timeout) + "\n";
  if (!step.rule.empty()) {
    out += "!rule " + step.rule + "\n";
  } else if (step.check) {
    out += "!check\n";
  }
  if (!step.premise.empty()) out += "!premise " + step.premise + "\n";
  std::visit(ActionRenderer{out, step}, step.action);
  return out;
}

std::string Render(const Scenario& scenario) {
  std::string out = RenderFrontMatter(scenario.meta);
  for (const Step& step : scenario.steps) out += RenderStep(step);
  AddLead(out, "", scenario.tail);
  return out;
}

}  // namespace smtpspec::parser
