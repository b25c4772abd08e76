#include "parser/scenario_generator.h"

#include <span>
#include <utility>

#include "engine/rules/catalogue.h"
#include "parser/regex_text.h"
#include "parser/reply_text.h"

namespace smtpspec::parser {
namespace {

const std::string kPrintable = [] {
  std::string s;
  for (char c = ' '; c <= '~'; ++c) s.push_back(c);
  return s;
}();
const std::string kWord = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789";
const std::string kYamlText = kWord + " :#\"'[],{}-_.@/\\*&!%|>?";

const char* const kRegexes[] = {
    "^Ok",  "(?<qid>[A-Z0-9]+)$", "^(250|251) ", "a\\/b",
    "[/]x", "(?:x|y)+z",          "\\d{3}",      "(?<who>\\w+)@(\\w+)",
    "^$",   "#not-a-comment",     ".*",
};

}  // namespace

int ScenarioGenerator::Pick(int n) {
  return static_cast<int>(rng_() % static_cast<std::uint64_t>(n));
}

bool ScenarioGenerator::Chance(int percent) { return Pick(100) < percent; }

std::string ScenarioGenerator::RuleId() {
  std::span<const rules::Rule> all = rules::All();
  return std::string(all[Pick(static_cast<int>(all.size()))].id);
}

std::string ScenarioGenerator::Text(int max_len, const std::string& alphabet) {
  std::string s;
  int n = Pick(max_len) + 1;
  for (int i = 0; i < n; ++i) {
    s.push_back(alphabet[static_cast<std::size_t>(
        Pick(static_cast<int>(alphabet.size())))]);
  }
  return s;
}

std::string ScenarioGenerator::CommentText() {
  std::string c = "#";
  if (Chance(80)) c += " " + Text(12, kWord + " #\\*");
  while (c.back() == ' ') c.pop_back();
  return c;
}

std::vector<std::string> ScenarioGenerator::Lead(bool at_block_start) {
  std::vector<std::string> lead;
  int n = Chance(70) ? 0 : Pick(4);
  for (int i = 0; i < n; ++i) {
    bool blank = Chance(40);
    if (blank && (lead.empty() ? at_block_start : lead.back().empty())) {
      continue;
    }
    lead.push_back(blank ? "" : CommentText());
  }
  return lead;
}

Metadata ScenarioGenerator::Meta() {
  Metadata m;
  if (Chance(20)) m.comments.push_back(CommentText());
  if (Chance(60)) m.id = Text(10, kWord + ".-_");
  if (Chance(50)) m.title = Text(20, kYamlText);
  if (Chance(30)) m.description = Text(30, kYamlText + "\n\xc3\xa9");
  for (int i = Chance(50) ? Pick(3) : 0; i > 0; --i) {
    m.rfc.push_back("RFC " + Text(4, "0123456789") + " " +
                    Text(5, "0123456789."));
  }
  if (Chance(50)) m.level = static_cast<Level>(Pick(3));
  if (Chance(50)) m.tests = static_cast<UnderTest>(Pick(3));
  for (int i = Chance(40) ? Pick(3) : 0; i > 0; --i) {
    m.tags.push_back(Chance(10) ? "null" : Text(8, kYamlText));
  }
  for (int i = Chance(30) ? Pick(3) : 0; i > 0; --i)
    m.rules.push_back(RuleId());
  if (m.level && !m.rules.empty()) {
    // The parser holds a written level to the first rule's.
    m.level = static_cast<Level>(rules::Find(m.rules.front())->level);
  }
  for (int i = Chance(30) ? Pick(3) : 0; i > 0; --i) {
    m.requires_keywords.push_back(Text(1, "ABC") + Text(6, "ABCZ019-"));
  }
  for (int i = Chance(60) ? Pick(3) + 1 : 0; i > 0; --i) {
    std::string name = Text(1, "abcxyz_") + Text(5, "abc019_");
    bool dup = false;
    for (const Var& v : m.vars) dup = dup || v.name == name;
    if (dup) continue;
    m.vars.push_back(Var{name, Chance(10) ? "" : Text(12, kYamlText)});
    names_.push_back(name);
  }
  if (Chance(30)) m.timeout = std::chrono::milliseconds(1 + Pick(100000));
  // From the timeout, so that the random sequence stays what it was.
  if (m.timeout && m.timeout->count() % 5 == 0) {
    m.delivers = m.timeout->count() % 2 == 0;
  }
  return m;
}

Glob ScenarioGenerator::RandomGlob(bool allow_empty_literal) {
  Glob g;
  int n = Pick(4) + 1;
  for (int i = 0; i < n; ++i) {
    int kind = Pick(10);
    Segment s;
    if (kind < 6) {
      s = Segment{Segment::Kind::kLiteral, Text(12, kPrintable)};
    } else if (kind < 7 && !names_.empty()) {
      s = Segment{Segment::Kind::kVariable,
                  names_[static_cast<std::size_t>(
                      Pick(static_cast<int>(names_.size())))]};
    } else if (kind < 9) {
      s = Segment{Segment::Kind::kAnyRun, ""};
    } else {
      s = Segment{Segment::Kind::kAnyByte, ""};
    }
    const bool wild =
        s.kind == Segment::Kind::kAnyRun || s.kind == Segment::Kind::kAnyByte;
    Segment* last = g.segments.empty() ? nullptr : &g.segments.back();
    if (s.kind == Segment::Kind::kLiteral && last != nullptr &&
        last->kind == Segment::Kind::kLiteral) {
      last->text += s.text;
    } else if (wild && last != nullptr &&
               last->kind == Segment::Kind::kAnyByte) {
      // The parser's canonical run (pattern.h): `?`s counted, then `*`.
      if (s.kind == Segment::Kind::kAnyByte) {
        ++last->count;
      } else {
        g.segments.push_back(std::move(s));
      }
    } else if (wild && last != nullptr &&
               last->kind == Segment::Kind::kAnyRun) {
      if (s.kind == Segment::Kind::kAnyByte) {
        // `*?` is `?*`: count it in a kAnyByte before the run.
        Segment* before =
            g.segments.size() > 1 ? &g.segments.end()[-2] : nullptr;
        if (before != nullptr && before->kind == Segment::Kind::kAnyByte) {
          ++before->count;
        } else {
          g.segments.insert(g.segments.end() - 1, std::move(s));
        }
      }
    } else if (s.kind != Segment::Kind::kVariable || !names_.empty()) {
      g.segments.push_back(std::move(s));
    }
  }
  if (g.segments.empty()) g.segments.push_back({Segment::Kind::kAnyRun, ""});
  return g;
}

void ScenarioGenerator::NoteCaptures(const TextPattern& text) {
  if (const Regex* r = std::get_if<Regex>(&text)) {
    for (const std::string& n : r->compiled->group_names) {
      if (!n.empty()) names_.push_back(n);
    }
  }
}

Regex ScenarioGenerator::RandomRegex() {
  std::string why;
  auto source = kRegexes[Pick(static_cast<int>(std::size(kRegexes)))];
  std::optional<Regex> r = CompileRegex(source, Chance(30), &why);
  return std::move(*r);
}

TextPattern ScenarioGenerator::RandomText() {
  if (Chance(20)) return RandomRegex();
  return RandomGlob(false);
}

CommandPattern ScenarioGenerator::RandomCommand() {
  return CommandPattern{RandomText()};
}

ReplyPattern ScenarioGenerator::RandomReply() {
  static const char* kCodes[] = {"250", "2xx", "25x", "251", "354", "4xx",
                                 "421", "550", "5xx", "xxx", "503"};
  ReplyPattern p;
  int alts = Chance(70) ? 1 : Pick(3) + 1;
  for (int i = 0; i < alts; ++i) {
    std::string c = kCodes[Pick(static_cast<int>(std::size(kCodes)))];
    if (CodeAlternativeIndex(p.code, c) != std::string::npos) continue;
    if (!p.code.text.empty()) p.code.text.push_back('|');
    p.code.text += c;
  }
  // The enhanced class must agree with every code's first digit.
  std::optional<int> klass;
  bool klass_ok = true;
  for (std::size_t a = 0; a < p.code.text.size(); a += 4) {
    char first = p.code.text[a];
    if (first == 'x') continue;
    int d = first - '0';
    if (klass && *klass != d) klass_ok = false;
    klass = d;
  }
  if (klass && *klass == 3) klass_ok = false;
  int n = Pick(4) + 1;
  for (int i = 0; i < n; ++i) {
    ReplyLine l;
    bool prev_any =
        !p.lines.empty() && p.lines.back().kind == ReplyLine::Kind::kAnyLines;
    if (i + 1 < n && !prev_any && Chance(25)) {
      l.kind = ReplyLine::Kind::kAnyLines;
    } else {
      if (klass_ok && Chance(30)) {
        l.enhanced = EnhancedPattern{
            Chance(30) ? std::nullopt : std::optional<int>(klass.value_or(5)),
            Chance(30) ? std::nullopt : std::optional<int>(Pick(8)),
            Chance(30) ? std::nullopt : std::optional<int>(Pick(1000))};
      }
      if (Chance(80)) l.text = RandomText();
    }
    if (Chance(20)) l.comment = CommentText();
    p.lines.push_back(std::move(l));
  }
  for (const ReplyLine& l : p.lines) {
    if (l.text) NoteCaptures(*l.text);
  }
  if (Chance(25)) {
    // The compact "S: 250 ... +KW" ending.
    if (p.lines.back().kind == ReplyLine::Kind::kLine && p.lines.size() >= 2 &&
        p.lines[p.lines.size() - 2].kind == ReplyLine::Kind::kAnyLines) {
      p.lines.pop_back();
    } else if (p.lines.back().kind == ReplyLine::Kind::kAnyLines) {
      // cannot happen: the last line is always kLine
    } else {
      p.lines.push_back(ReplyLine{ReplyLine::Kind::kAnyLines, {}, {}, ""});
    }
    if (p.lines.back().kind == ReplyLine::Kind::kLine) {
      p.lines.push_back(ReplyLine{ReplyLine::Kind::kAnyLines, {}, {}, ""});
    }
    p.lines.back().comment.clear();
    p.lines.push_back(ReplyLine{
        ReplyLine::Kind::kLine, {}, {}, Chance(30) ? CommentText() : ""});
    for (int i = Pick(3); i > 0; --i) {
      (Chance(70) ? p.has_keywords : p.lacks_keywords)
          .push_back(Text(1, "ABC") + Text(6, "ABCZ019-"));
    }
  }
  return p;
}

RawBytes ScenarioGenerator::RandomRaw() {
  RawBytes raw;
  for (int i = Pick(4); i >= 0; --i) {
    int kind = Pick(10);
    if (kind < 6) {
      std::string bytes;
      for (int k = Pick(10) + 1; k > 0; --k) {
        bytes.push_back(static_cast<char>(Pick(256)));
      }
      if (!raw.pieces.empty() &&
          raw.pieces.back().kind == RawPiece::Kind::kBytes) {
        raw.pieces.back().text += bytes;
      } else {
        raw.pieces.push_back(RawPiece{RawPiece::Kind::kBytes, bytes});
      }
    } else if (kind < 8) {
      raw.pieces.push_back(RawPiece{
          RawPiece::Kind::kRepeat, std::string(1, static_cast<char>(Pick(256))),
          static_cast<std::uint32_t>(2 + Pick(5000))});
    } else if (!names_.empty()) {
      raw.pieces.push_back(RawPiece{RawPiece::Kind::kVariable,
                                    names_[static_cast<std::size_t>(Pick(
                                        static_cast<int>(names_.size())))]});
    }
  }
  return raw;
}

Action ScenarioGenerator::RandomAction(bool* is_include, bool* is_reply,
                                       bool* is_block) {
  *is_include = *is_reply = *is_block = false;
  switch (Pick(13)) {
    case 0:
    case 1:
    case 2: {
      CommandPattern c = RandomCommand();
      NoteCaptures(c.text);
      return ClientCommand{std::move(c)};
    }
    case 3:
    case 4:
    case 5:
      *is_reply = true;
      return ServerReply{RandomReply()};
    case 6:
      return RawSend{Chance(50) ? Party::kClient : Party::kServer, RandomRaw()};
    case 7: {
      *is_block = true;
      Pipeline p;
      for (int i = Pick(3) + 1; i > 0; --i) {
        PipelinedCommand c{RandomCommand(),
                           {},
                           Lead(p.commands.empty()),
                           Chance(30) ? CommentText() : ""};
        NoteCaptures(c.pattern.text);
        p.commands.push_back(std::move(c));
      }
      p.tail = Lead(false);
      while (!p.tail.empty() && p.tail.back().empty()) p.tail.pop_back();
      return p;
    }
    case 8: {
      *is_block = true;
      Body b;
      static const char* kSpecial[] = {
          "!end", "\\x", "C: not a step", "#", "", ".", "!end  ", "  !end"};
      for (int i = Pick(5); i > 0; --i) {
        b.lines.push_back(Chance(30) ? kSpecial[Pick(8)]
                                     : Text(20, kPrintable));
      }
      return b;
    }
    case 9: {
      Bdat b;
      b.size = static_cast<std::uint64_t>(Pick(100000));
      b.last = Chance(50);
      if (Chance(50)) b.data = RandomRaw();
      return b;
    }
    case 10:
      *is_include = true;
      return Include{Text(8, kWord + "/._-") + ".smtp"};
    case 11:
      return Sleep{std::chrono::milliseconds(Pick(200000))};
    default:
      switch (Pick(3)) {
        case 0:
          return StartTls{};
        case 1:
          return ExpectClose{};
        default:
          return Close{};
      }
  }
}

Scenario ScenarioGenerator::Next() {
  names_.clear();
  Scenario s;
  s.meta = Meta();
  for (int i = Pick(12); i > 0; --i) {
    Step step;
    step.lead = Lead(s.steps.empty());
    bool is_include, is_reply, is_block;
    step.action = RandomAction(&is_include, &is_reply, &is_block);
    if (!is_include) {
      step.optional = Chance(15);
      if (Chance(15)) step.timeout = std::chrono::milliseconds(1 + Pick(60000));
      // At most one role: a check (under the default or a named rule) or a
      // premise with its reason.
      const int role = Pick(8);
      if (role == 1) step.check = true;
      if (role == 2) {
        step.check = true;
        step.rule = RuleId();
      }
      if (role == 3)
        step.premise = "the target " + Text(20, "abcdefgh ,.") + "x";
    }
    if (!is_reply && !is_block && Chance(25)) step.comment = CommentText();
    s.steps.push_back(std::move(step));
  }
  s.tail = Lead(s.steps.empty());
  while (!s.tail.empty() && s.tail.back().empty()) s.tail.pop_back();
  return s;
}

}  // namespace smtpspec::parser
