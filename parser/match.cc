#include "parser/match.h"

#include <cctype>
#include <optional>
#include <regex>
#include <utility>

#include "parser/command_text.h"
#include "parser/glob_text.h"
#include "parser/reply_text.h"

namespace smtpspec::parser {
namespace {

// A glob with its variables replaced: literal runs and wildcards.
struct Token {
  Segment::Kind kind;
  std::string_view text;  // kLiteral only; points into the glob or vars
  std::size_t count = 1;  // kAnyByte only
};

// Fills `tokens`; returns the name of an unbound variable, or "".
std::string Tokenize(const Glob& glob, const Variables& vars,
                     std::vector<Token>& tokens) {
  for (const Segment& s : glob.segments) {
    if (s.kind == Segment::Kind::kVariable) {
      const std::string* v = vars.Find(s.text);
      if (v == nullptr) return s.text;
      if (!v->empty()) tokens.push_back(Token{Segment::Kind::kLiteral, *v});
    } else {
      tokens.push_back(Token{s.kind, s.text, s.count});
    }
  }
  return "";
}

bool SameByte(char a, char b, bool fold) {
  if (a == b) return true;
  return fold && std::tolower(static_cast<unsigned char>(a)) ==
                     std::tolower(static_cast<unsigned char>(b));
}

// Glob match in O(subject x pattern) without recursion: on a mismatch,
// retry from the last '*' one byte further. Bytes before `fold_until`
// compare case-insensitively.
bool GlobMatch(const std::vector<Token>& tokens, std::string_view s,
               std::size_t fold_until) {
  std::size_t ti = 0, si = 0;
  std::size_t star_ti = std::string_view::npos, star_si = 0;
  while (true) {
    if (ti < tokens.size()) {
      const Token& t = tokens[ti];
      if (t.kind == Segment::Kind::kAnyRun) {
        star_ti = ti++;
        star_si = si;
        continue;
      }
      if (t.kind == Segment::Kind::kAnyByte) {
        if (t.count <= s.size() - si) {
          si += t.count;
          ++ti;
          continue;
        }
      } else if (si + t.text.size() <= s.size()) {
        bool same = true;
        for (std::size_t k = 0; k < t.text.size() && same; ++k) {
          same = SameByte(t.text[k], s[si + k], si + k < fold_until);
        }
        if (same) {
          si += t.text.size();
          ++ti;
          continue;
        }
      }
    } else if (si == s.size()) {
      return true;
    }
    if (star_ti == std::string_view::npos || star_si >= s.size()) return false;
    si = ++star_si;
    ti = star_ti + 1;
  }
}

// Runs `text` against a glob or regex, adding regex captures.
MatchResult MatchText(const TextPattern& pattern, std::string_view text,
                      const Variables& vars, std::size_t fold_until) {
  MatchResult r;
  if (const Regex* re = std::get_if<Regex>(&pattern)) {
    if (text.size() > kMaxRegexSubject) {
      r.reason = "the line is longer than " + std::to_string(kMaxRegexSubject) +
                 " octets";
      return r;
    }
    std::match_results<std::string_view::const_iterator> m;
    if (!re->compiled ||
        !std::regex_search(text.begin(), text.end(), m, re->compiled->regex)) {
      r.reason =
          "'" + std::string(text) + "' does not match /" + re->source + "/";
      return r;
    }
    const std::vector<std::string>& names = re->compiled->group_names;
    for (std::size_t g = 0; g < names.size(); ++g) {
      if (!names[g].empty() && m[g + 1].matched) {
        r.captures.push_back(Binding{names[g], m[g + 1].str()});
      }
    }
    r.matched = true;
    return r;
  }
  std::vector<Token> tokens;
  std::string missing = Tokenize(std::get<Glob>(pattern), vars, tokens);
  if (!missing.empty()) {
    r.reason = "the variable ${" + missing + "} has no value";
    return r;
  }
  r.matched = GlobMatch(tokens, text, fold_until);
  if (!r.matched) {
    r.reason = "'" + std::string(text) + "' does not match '" +
               RenderGlob(std::get<Glob>(pattern), false) + "'";
  }
  return r;
}

bool CodeMatches(const CodePattern& code, int value) {
  if (value < 100 || value > 999) return false;
  std::string digits = std::to_string(value);
  const std::string& alts = code.text;  // "250|2xx"
  for (std::size_t a = 0; a + 3 <= alts.size(); a += 4) {
    bool ok = true;
    for (std::size_t i = 0; i < 3; ++i)
      ok = ok && (alts[a + i] == 'x' || alts[a + i] == digits[i]);
    if (ok) return true;
  }
  return false;
}

bool PartMatches(const std::optional<int>& want, int got) {
  return !want || *want == got;
}

// Splits "5.1.1 text" into the code and the text, if it starts with one.
std::optional<EnhancedCode> LeadingEnhanced(std::string_view line,
                                            std::string_view* rest) {
  std::string_view token = line.substr(0, line.find(' '));
  if (!LooksLikeEnhancedStatus(token) ||
      token.find('x') != std::string_view::npos) {
    return std::nullopt;
  }
  int parts[3] = {0, 0, 0};
  int p = 0;
  for (char c : token) {
    if (c == '.') {
      ++p;
    } else {
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  *rest = line.substr(std::min(token.size() + 1, line.size()));
  return EnhancedCode{parts[0], parts[1], parts[2]};
}

// One reply line against one kLine pattern.
MatchResult MatchLine(const ReplyLine& pattern, const Reply& reply,
                      const std::string& line, const Variables& vars) {
  std::string_view text = line;
  std::optional<EnhancedCode> enhanced = reply.enhanced;
  if (pattern.enhanced) {
    if (!enhanced) enhanced = LeadingEnhanced(line, &text);
    const EnhancedPattern& e = *pattern.enhanced;
    if (!enhanced || !PartMatches(e.klass, enhanced->klass) ||
        !PartMatches(e.subject, enhanced->subject) ||
        !PartMatches(e.detail, enhanced->detail)) {
      MatchResult r;
      r.reason = "'" + line + "' has no enhanced status code matching " +
                 RenderEnhanced(e);
      return r;
    }
  }
  if (!pattern.text) return MatchResult{true, "", {}};
  MatchResult r = MatchText(*pattern.text, text, vars, 0);
  if (!r.matched && !pattern.enhanced && reply.enhanced) {
    // The pattern did not mention the enhanced code, so it may have been
    // written as part of the text.
    const EnhancedCode& c = *reply.enhanced;
    std::string full = std::to_string(c.klass) + "." +
                       std::to_string(c.subject) + "." +
                       std::to_string(c.detail) + " " + line;
    MatchResult second = MatchText(*pattern.text, full, vars, 0);
    if (second.matched) return second;
  }
  return r;
}

bool StartsWithKeyword(const std::string& line, const std::string& keyword) {
  std::string_view word(line);
  word = word.substr(0, word.find(' '));
  if (word.size() != keyword.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (!SameByte(word[i], keyword[i], true)) return false;
  }
  return true;
}

bool Advertises(const Reply& reply, const std::string& keyword) {
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    if (StartsWithKeyword(reply.lines[i], keyword)) return true;
  }
  return false;
}

}  // namespace

MatchResult MatchCommand(const CommandPattern& pattern, std::string_view line,
                         const Variables& vars) {
  // RFC 5321 2.4: verbs and argument keywords like "TO:" are not case
  // sensitive.
  std::size_t fold = line.find(' ');
  if (fold == std::string_view::npos) {
    fold = line.size();
  } else {
    std::size_t j = fold + 1;
    while (j < line.size() &&
           std::isalpha(static_cast<unsigned char>(line[j]))) {
      ++j;
    }
    if (j > fold + 1 && j < line.size() && line[j] == ':') fold = j + 1;
  }
  return MatchText(pattern.text, line, vars, fold);
}

MatchResult MatchReply(const ReplyPattern& pattern, const Reply& reply,
                       const Variables& vars) {
  MatchResult r;
  if (!CodeMatches(pattern.code, reply.code)) {
    r.reason = "reply code " + std::to_string(reply.code) + " does not match " +
               RenderCode(pattern.code);
    return r;
  }
  // Reply lines against pattern lines, "..." acting like '*' in a glob;
  // `at[p]` remembers which reply line pattern line p took.
  const auto& pl = pattern.lines;
  const auto& rl = reply.lines;
  std::vector<std::size_t> at(pl.size(), 0);
  std::size_t pi = 0, ri = 0;
  std::size_t star_pi = std::string::npos, star_ri = 0;
  std::string first_reason;
  while (true) {
    if (pi < pl.size()) {
      if (pl[pi].kind == ReplyLine::Kind::kAnyLines) {
        star_pi = pi++;
        star_ri = ri;
        continue;
      }
      if (ri < rl.size()) {
        MatchResult m = MatchLine(pl[pi], reply, rl[ri], vars);
        if (m.matched) {
          at[pi++] = ri++;
          continue;
        }
        if (first_reason.empty()) first_reason = m.reason;
      }
    } else if (ri == rl.size()) {
      break;
    }
    if (star_pi == std::string::npos || star_ri >= rl.size()) {
      if (first_reason.empty()) {
        first_reason = "the reply has " + std::to_string(rl.size()) +
                       " lines, which does not fit the pattern's " +
                       std::to_string(pl.size());
      }
      r.reason = first_reason;
      return r;
    }
    ri = ++star_ri;
    pi = star_pi + 1;
  }
  for (const std::string& k : pattern.has_keywords) {
    if (!Advertises(reply, k)) {
      r.reason = "the reply does not advertise " + k;
      return r;
    }
  }
  for (const std::string& k : pattern.lacks_keywords) {
    if (Advertises(reply, k)) {
      r.reason = "the reply advertises " + k + ", which it must not";
      return r;
    }
  }
  for (std::size_t p = 0; p < pl.size(); ++p) {
    if (pl[p].kind != ReplyLine::Kind::kLine) continue;
    MatchResult m = MatchLine(pl[p], reply, rl[at[p]], vars);
    for (Binding& b : m.captures) r.captures.push_back(std::move(b));
  }
  r.matched = true;
  return r;
}

bool IsConcrete(const CommandPattern& pattern) {
  const Glob* g = std::get_if<Glob>(&pattern.text);
  return g != nullptr && IsLiteralGlob(*g);
}

bool IsConcrete(const ReplyPattern& pattern) {
  if (pattern.code.text.size() != 3 ||
      pattern.code.text.find('x') != std::string::npos ||
      !pattern.has_keywords.empty() || !pattern.lacks_keywords.empty()) {
    return false;
  }
  for (const ReplyLine& l : pattern.lines) {
    if (l.kind != ReplyLine::Kind::kLine || !l.text) return false;
    const Glob* g = std::get_if<Glob>(&*l.text);
    if (g == nullptr || !IsLiteralGlob(*g)) return false;
    if (l.enhanced &&
        (!l.enhanced->klass || !l.enhanced->subject || !l.enhanced->detail)) {
      return false;
    }
  }
  return true;
}

namespace {

Result<std::string> ExpandGlob(const Glob& glob, const Variables& vars) {
  std::string out;
  for (const Segment& s : glob.segments) {
    if (s.kind == Segment::Kind::kLiteral) {
      out += s.text;
    } else if (s.kind == Segment::Kind::kVariable) {
      const std::string* v = vars.Find(s.text);
      if (v == nullptr) {
        return Error{0, "the variable ${" + s.text + "} has no value"};
      }
      out += *v;
    } else {
      return Error{0, "the pattern has a wildcard, so it is not one line"};
    }
  }
  return out;
}

}  // namespace

Result<std::string> ExpandCommand(const CommandPattern& pattern,
                                  const Variables& vars) {
  if (!IsConcrete(pattern)) {
    return Error{0, "'" + RenderCommandText(pattern) +
                        "' is a pattern, not one command line"};
  }
  return ExpandGlob(std::get<Glob>(pattern.text), vars);
}

Result<Reply> ExpandReply(const ReplyPattern& pattern, const Variables& vars) {
  if (!IsConcrete(pattern)) {
    return Error{0, "the reply is a pattern, not one reply"};
  }
  Reply reply;
  reply.code = std::stoi(pattern.code.text);
  for (const ReplyLine& l : pattern.lines) {
    if (l.enhanced) {
      reply.enhanced = EnhancedCode{*l.enhanced->klass, *l.enhanced->subject,
                                    *l.enhanced->detail};
    }
    Result<std::string> text = ExpandGlob(std::get<Glob>(*l.text), vars);
    if (!text.ok()) return text.error();
    reply.lines.push_back(std::move(text).value());
  }
  return reply;
}

Result<std::string> ExpandRaw(const RawBytes& raw, const Variables& vars) {
  std::string out;
  for (const RawPiece& p : raw.pieces) {
    switch (p.kind) {
      case RawPiece::Kind::kBytes:
        out += p.text;
        break;
      case RawPiece::Kind::kRepeat:
        out.append(p.count, p.text.empty() ? ' ' : p.text[0]);
        break;
      case RawPiece::Kind::kVariable: {
        const std::string* v = vars.Find(p.text);
        if (v == nullptr) {
          return Error{0, "the variable ${" + p.text + "} has no value"};
        }
        out += *v;
        break;
      }
    }
  }
  return out;
}

}  // namespace smtpspec::parser
