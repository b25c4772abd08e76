#include "parser/body_parser.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "engine/wire/verb.h"
#include "parser/command_text.h"
#include "parser/raw_string.h"
#include "parser/target_variables.h"
#include "util/did_you_mean.h"

namespace smtpspec::parser {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

// "A" for the args of a directive, the comment in `*comment`.
std::string_view BodyParser::SplitArgs(std::string_view rest,
                                       std::string* comment) {
  std::size_t c = FindComment(rest);
  if (c != std::string_view::npos)
    *comment = std::string(TrimRight(rest.substr(c)));
  std::string_view args = TrimTrailing(rest.substr(0, c));
  std::size_t skip = args.find_first_not_of(" \t");
  return skip == std::string_view::npos ? std::string_view()
                                        : args.substr(skip);
}

void BodyParser::AddLead(std::string entry) {
  std::vector<std::string>& lead =
      block_ == Block::kPipeline ? block_lead_ : lead_;
  bool at_start = block_ == Block::kPipeline
                      ? std::get<Pipeline>(BlockStep().action).commands.empty()
                      : scenario_.steps.empty();
  // Blank lines are kept one at a time, and never first in a block: the
  // canonical form has no runs of blank lines.
  if (entry.empty() && (lead.empty() ? at_start : lead.back().empty())) return;
  lead.push_back(std::move(entry));
}

void BodyParser::Feed(const SourceLine& line) {
  if (block_ == Block::kBody) {
    BodyLine(line);
    return;
  }
  std::string_view l = line.text;
  if (skipping_front_matter_) {
    if (TrimRight(l) == "---") skipping_front_matter_ = false;
    return;
  }
  std::size_t indent = l.find_first_not_of(" \t");
  std::string_view t =
      indent == std::string_view::npos ? std::string_view() : l.substr(indent);
  int col = static_cast<int>(indent) + 1;
  if (reply_line_ != 0 && !StartsWith(t, "S:"))
    AbandonReply(t, line.number, col);
  if (t.empty()) {
    AddLead("");
  } else if (t[0] == '#') {
    AddLead(std::string(TrimRight(t)));
  } else if (t.size() >= 2 && (t[0] == 'C' || t[0] == 'S') &&
             (t[1] == ':' || t[1] == '!')) {
    std::string_view marker = t.substr(0, 2);
    if (t.size() > 2 && t[2] != ' ') {
      std::string m(marker);
      sink_.Add(line.number, col + 2,
                "write a space after '" + m + "', as in '" + m + " " +
                    std::string(TrimRight(t.substr(2))) + "'");
      return;
    }
    std::string_view text = t.size() > 3 ? t.substr(3) : std::string_view();
    int text_col = col + 3;
    if (block_ == Block::kPipeline && marker != "C:") {
      sink_.Add(line.number, col,
                "only 'C:' lines can be pipelined; close the group with "
                "'!end' first");
    } else if (marker == "C:") {
      ClientLine(text, line.number, text_col);
    } else if (marker == "S:") {
      ServerLine(text, line.number, text_col);
    } else {
      RawLine(marker[0] == 'C' ? Party::kClient : Party::kServer, text,
              line.number, text_col);
    }
  } else if (t[0] == '!') {
    Directive(t, line.number, col);
  } else if (TrimRight(t) == "---") {
    sink_.Add(line.number, col,
              has_front_matter_
                  ? "a second front matter; merge it into the one at the top "
                    "of the file"
                  : "the front matter must start on line 1, before any step "
                    "or comment");
    skipping_front_matter_ = true;
  } else {
    NotAStep(t, line.number, col);
  }
}

void BodyParser::NotAStep(std::string_view t, int line, int col) {
  std::string marker(t.substr(0, 2));
  if (marker == "c:" || marker == "s:" || marker == "c!" || marker == "s!") {
    std::string upper = marker;
    upper[0] = static_cast<char>(std::toupper(upper[0]));
    sink_.Add(line, col,
              "write '" + upper + "' in capitals; '" + marker +
                  "' does not start a step");
    return;
  }
  std::string_view word = t.substr(0, t.find(' '));
  std::string hint;
  // A line that starts with a command verb (the engine's, any case) lacks
  // its marker.
  if (wire::VerbFromName(word) != Verb::kUnknown) {
    hint = "; did you forget 'C: ' before it?";
  } else if (word.size() >= 3 &&
             std::isdigit(static_cast<unsigned char>(word[0])) &&
             std::isdigit(static_cast<unsigned char>(word[1])) &&
             std::isdigit(static_cast<unsigned char>(word[2]))) {
    hint = "; did you forget 'S: ' before it?";
  }
  sink_.Add(line, col,
            "this line is not a step: steps start with 'C:', 'S:', 'C!', 'S!' "
            "or a directive like '!starttls', comments with '#'" +
                hint);
}

void BodyParser::BodyLine(const SourceLine& line) {
  Body& body = std::get<Body>(BlockStep().action);
  std::string_view l = line.text;
  if (TrimRight(l) == "!end") {
    CloseBlock(line.number, 1);
    return;
  }
  if (StartsWith(l, "!end") && end_lookalike_line_ == 0) {
    end_lookalike_line_ = line.number;
  }
  // A leading backslash is removed, so that "\!end" and "\\x" can be
  // written; everything else is literal, including "C:", "S:" and "#".
  if (!l.empty() && l[0] == '\\') l.remove_prefix(1);
  body.lines.emplace_back(l);
}

Step& BodyParser::AddStep(int line, std::string comment) {
  // Built in place, member by member: a Step is large, moving its variant
  // costs a visit, and emplace_back() with no arguments would first zero
  // all of it (value-initialization), a second pass over memory that is
  // not in the cache yet.
  Step& step = scenario_.steps.emplace_back(
      Action(), Position{std::string(), line}, modifiers_.optional_line != 0,
      modifiers_.timeout, std::move(lead_), std::move(comment));
  lead_.clear();
  step.check = modifiers_.check_line != 0;
  step.rule = std::move(modifiers_.rule);
  step.premise = std::move(modifiers_.premise);
  modifiers_ = Modifiers{};
  return step;
}

Step& BodyParser::BlockStep() { return scenario_.steps[block_step_]; }

void BodyParser::NoteCaptures(const TextPattern& text, int line) {
  if (const Regex* r = std::get_if<Regex>(&text)) {
    for (const std::string& name : r->compiled->group_names) {
      if (!name.empty()) captures_.push_back(Capture{name, line});
    }
  }
}

void BodyParser::ClientLine(std::string_view text, int line, int column) {
  std::string comment;
  std::optional<CommandPattern> pattern = ParseCommandText(
      text, TextAt{line, column}, sink_, uses_, regexes_, &comment);
  if (!pattern) return;
  NoteCaptures(pattern->text, line);
  if (block_ == Block::kPipeline) {
    Pipeline& p = std::get<Pipeline>(BlockStep().action);
    p.commands.push_back(
        PipelinedCommand{std::move(*pattern), Position{"", line},
                         std::move(block_lead_), std::move(comment)});
    block_lead_.clear();
    return;
  }
  AddStep(line, std::move(comment))
      .action.emplace<ClientCommand>(ClientCommand{std::move(*pattern)});
}

void BodyParser::ServerLine(std::string_view text, int line, int column) {
  // The first line is read into reply_scratch_, and becomes a step only if
  // it has no error, so that a bad line leaves the pending lead and
  // modifiers alone. The next lines go straight into that step, the last
  // one; FinishReply takes it back out if one of them fails.
  bool first = reply_line_ == 0;
  ReplyPattern& into =
      first || reply_failed_
          ? reply_scratch_
          : std::get<ServerReply>(scenario_.steps.back().action).pattern;
  std::size_t before = into.lines.size();
  std::optional<ReplyLineText> parsed =
      ParseReplyLine(text, TextAt{line, column}, sink_, uses_, regexes_, into);
  if (first) reply_line_ = line;
  if (!parsed) {
    // Keep following the reply, so that one bad line gives one error: a
    // '-' after the code means the reply goes on.
    std::size_t sep = text.find_first_of(" -");
    bool final = sep == std::string_view::npos || text[sep] == ' ';
    reply_failed_ = true;
    if (final) FinishReply();
    return;
  }
  for (std::size_t i = before; i < into.lines.size(); ++i) {
    if (into.lines[i].text) NoteCaptures(*into.lines[i].text, line);
  }
  if (first) {
    into.code = std::move(parsed->code);
    reply_started_ = true;
    AddStep(line, "").action.emplace<ServerReply>(
        ServerReply{std::move(reply_scratch_)});
  } else if (!reply_failed_) {
    if (into.code != parsed->code) {
      sink_.Add(line, column,
                "this line's code " + RenderCode(parsed->code) +
                    " differs from " + RenderCode(into.code) + " on line " +
                    std::to_string(reply_line_) +
                    ": every line of a reply has the same code (RFC 5321 "
                    "4.2.1)");
      reply_failed_ = true;
    } else if (into.lines[before - 1].kind == ReplyLine::Kind::kAnyLines &&
               into.lines[before].kind == ReplyLine::Kind::kAnyLines) {
      sink_.Add(line, column, "two '...' lines in a row; one is enough");
      reply_failed_ = true;
    }
  }
  if (parsed->final) FinishReply();
}

void BodyParser::FinishReply() {
  if (reply_failed_ && reply_started_) scenario_.steps.pop_back();
  reply_started_ = false;
  reply_line_ = 0;
  reply_failed_ = false;
  reply_scratch_ = ReplyPattern{};
}

void BodyParser::AbandonReply(std::string_view t, int line, int column) {
  if (!reply_failed_) {
    std::string start = std::to_string(reply_line_);
    if (StartsWith(t, "C:")) {
      sink_.Add(line, column,
                "a 'C:' line inside the multi-line reply started on line " +
                    start +
                    "; end the reply first with its final line, like "
                    "'S: 250 ...' (RFC 5321 4.2.1)");
    } else {
      sink_.Add(reply_line_, 1,
                "the multi-line reply started here has no final line; end it "
                "with a line like 'S: 250 ...' (RFC 5321 4.2.1)");
    }
  }
  reply_failed_ = true;
  FinishReply();
}

void BodyParser::RawLine(Party from, std::string_view text, int line,
                         int column) {
  std::string marker = from == Party::kClient ? "C!" : "S!";
  if (text.empty() || text[0] != '"') {
    sink_.Add(line, column,
              "after '" + marker + "' comes a quoted string, like " + marker +
                  " \"DATA\\r\\n\"");
    return;
  }
  std::string_view rest;
  std::optional<RawBytes> bytes =
      ParseRawString(text, TextAt{line, column}, sink_, uses_, &rest);
  if (!bytes) return;
  std::string comment;
  std::string_view extra = SplitArgs(rest, &comment);
  if (!extra.empty()) {
    sink_.Add(line, column + static_cast<int>(text.size() - rest.size()),
              "unexpected text after the closing quote; a '#' comment may "
              "follow it");
    return;
  }
  AddStep(line, std::move(comment)).action = RawSend{from, std::move(*bytes)};
}

void BodyParser::Finish() {
  if (reply_line_ != 0) AbandonReply("", reply_line_, 1);
  if (block_ != Block::kNone) {
    sink_.Add(block_line_, 1,
              std::string("the '") +
                  (block_ == Block::kBody ? "!body" : "!pipeline") +
                  "' block opened here is not closed; end it with a line "
                  "'!end'" +
                  (end_lookalike_line_ != 0
                       ? " (line " + std::to_string(end_lookalike_line_) +
                             " is body text: in a body, '!end' stands alone)"
                       : std::string()));
  }
  if (modifiers_.optional_line != 0) {
    sink_.Add(modifiers_.optional_line, 1,
              "'!optional' has no step after it to apply to");
  }
  if (modifiers_.timeout_line != 0) {
    sink_.Add(modifiers_.timeout_line, 1,
              "'!timeout' has no step after it to apply to");
  }
  if (modifiers_.check_line != 0) {
    sink_.Add(modifiers_.check_line, 1,
              "'!check' or '!rule' has no step after it to apply to");
  }
  if (modifiers_.premise_line != 0) {
    sink_.Add(modifiers_.premise_line, 1,
              "'!premise' has no step after it to apply to");
  }
  while (!lead_.empty() && lead_.back().empty()) lead_.pop_back();
  scenario_.tail = std::move(lead_);
  lead_.clear();
}

void BodyParser::CheckVariables() {
  // Names are few but uses can be millions: index both once.
  std::unordered_set<std::string_view> declared;
  for (const Var& v : scenario_.meta.vars) declared.insert(v.name);
  // For each captured name, the lines that set it, in file order.
  std::unordered_map<std::string_view, std::vector<int>> captured;
  for (const Capture& c : captures_) captured[c.name].push_back(c.line);
  for (const VarUse& use : uses_) {
    if (IsTargetVariable(use.name)) continue;  // set by the harness
    if (declared.count(use.name) != 0) continue;
    auto it = captured.find(use.name);
    if (it != captured.end()) {
      int first = it->second.front();
      if (first < use.line) continue;
      sink_.Add(use.line, use.column,
                "'${" + use.name +
                    "}' is used before the capture that sets it on line " +
                    std::to_string(first));
      continue;
    }
    std::vector<std::string> known;
    for (const Var& v : scenario_.meta.vars) known.push_back(v.name);
    for (const Capture& c : captures_) known.push_back(c.name);
    for (std::string_view v : kTargetVariables) known.emplace_back(v);
    std::string hint = util::DidYouMean(use.name, known, "${", "}");
    if (hint.empty()) {
      hint =
          ": declare it under 'vars:' in the front matter, or capture it "
          "with (?<" +
          use.name + ">...) in an earlier regex";
    }
    sink_.Add(use.line, use.column,
              "unknown variable '${" + use.name + "}'" + hint);
  }
}

}  // namespace smtpspec::parser
