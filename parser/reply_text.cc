#include "parser/reply_text.h"

#include <algorithm>
#include <string>
#include <utility>

#include "parser/regex_text.h"

namespace smtpspec::parser {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::optional<CodePattern> ParseCode(std::string_view token, TextAt at,
                                     DiagnosticSink& sink) {
  if (token.empty()) {
    sink.Add(at.line, at.column,
             "expected a reply code after 'S: ', like 250 or 2xx");
    return std::nullopt;
  }
  CodePattern code;
  code.text.reserve(token.size());
  bool ok = true;
  std::size_t start = 0;
  while (true) {
    std::size_t bar = token.find('|', start);
    std::string_view alt = token.substr(start, bar == std::string_view::npos
                                                   ? std::string_view::npos
                                                   : bar - start);
    int col = at.column + static_cast<int>(start);
    char norm[3] = {};
    bool shape = alt.size() == 3;
    for (std::size_t i = 0; shape && i < 3; ++i) {
      norm[i] = alt[i] == 'X' ? 'x' : alt[i];
      shape = IsDigit(norm[i]) || norm[i] == 'x';
    }
    std::string_view normal(norm, 3);
    if (!shape) {
      sink.Add(at.line, col,
               "reply code '" + std::string(alt) +
                   "': a code is three characters, each a digit or 'x', like "
                   "250 or 2xx");
      ok = false;
    } else if (IsDigit(norm[0]) && (norm[0] < '2' || norm[0] > '5')) {
      sink.Add(at.line, col,
               "reply code '" + std::string(normal) +
                   "': the first digit must be 2, 3, 4 or 5 (RFC 5321 4.2.1)");
      ok = false;
    } else if (CodeAlternativeIndex(code, normal) != std::string::npos) {
      sink.Add(at.line, col,
               "reply code '" + std::string(normal) + "' is listed twice");
      ok = false;
    } else {
      if (!code.text.empty()) code.text.push_back('|');
      code.text.append(normal);
    }
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  if (!ok) return std::nullopt;
  return code;
}

std::optional<EnhancedPattern> ParseEnhanced(std::string_view token,
                                             const CodePattern& code, TextAt at,
                                             DiagnosticSink& sink) {
  std::optional<int> parts[3];
  std::size_t start = 0;
  for (int p = 0; p < 3; ++p) {
    std::size_t dot = token.find('.', start);
    std::string_view part = token.substr(start, dot == std::string_view::npos
                                                    ? std::string_view::npos
                                                    : dot - start);
    if (part != "x") {
      int v = 0;
      for (char c : part) {
        if (!IsDigit(c)) {
          // The shape check lets 'x' anywhere in a part; only a whole part
          // may be 'x', or "5.1x.1" would be read as a number.
          sink.Add(at.line, at.column,
                   "enhanced status '" + std::string(token) +
                       "': each part is a number or a lone 'x', like 5.1.1 "
                       "or 5.x.x (RFC 3463 2)");
          return std::nullopt;
        }
        v = v * 10 + (c - '0');
      }
      parts[p] = v;
    }
    start = dot + 1;
  }
  EnhancedPattern e{parts[0], parts[1], parts[2]};
  if (e.klass && *e.klass != 2 && *e.klass != 4 && *e.klass != 5) {
    sink.Add(at.line, at.column,
             "enhanced status '" + std::string(token) +
                 "': the class must be 2, 4 or 5 (RFC 3463 3.1)");
    return std::nullopt;
  }
  if (e.klass) {
    for (std::size_t i = 0; i < code.text.size(); i += 4) {
      char first = code.text[i];
      if (IsDigit(first) && first - '0' != *e.klass) {
        sink.Add(at.line, at.column,
                 "enhanced status '" + std::string(token) +
                     "' does not fit reply code " + code.text.substr(i, 3) +
                     ": their first digits must agree (RFC 3463 2)");
        return std::nullopt;
      }
    }
  }
  return e;
}

// How many blank-separated words of `text` start with `sign`.
std::size_t CountWords(std::string_view text, char sign) {
  std::size_t words = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool word_start = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t';
    words += word_start && text[i] == sign;
  }
  return words;
}

bool ParseKeywords(std::string_view text, TextAt at, DiagnosticSink& sink,
                   ReplyPattern& out) {
  bool ok = true;
  // One allocation per list, instead of one per regrowth.
  out.has_keywords.reserve(CountWords(text, '+'));
  out.lacks_keywords.reserve(CountWords(text, '-'));
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t') {
      ++i;
      continue;
    }
    std::size_t end = text.find_first_of(" \t", i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view tok = text.substr(i, end - i);
    std::string_view kw = tok.substr(1);
    bool valid_kw = !kw.empty() &&
                    std::all_of(kw.begin(), kw.end(),
                                [](char c) {
                                  return IsDigit(c) || (c >= 'a' && c <= 'z') ||
                                         (c >= 'A' && c <= 'Z') || c == '-';
                                }) &&
                    kw[0] != '-';
    if ((tok[0] != '+' && tok[0] != '-') || !valid_kw) {
      sink.Add(at.line, at.column + static_cast<int>(i),
               "after '...' only EHLO keywords may follow, written '+SIZE' "
               "(must be advertised) or '-CHUNKING' (must not be); got '" +
                   std::string(tok) + "'");
      ok = false;
    } else if (tok[0] == '+') {
      out.has_keywords.emplace_back(kw);
    } else {
      out.lacks_keywords.emplace_back(kw);
    }
    i = end;
  }
  return ok;
}

bool StartsWithEllipsis(std::string_view s) {
  return s.substr(0, 3) == "..." &&
         (s.size() == 3 || s[3] == ' ' || s[3] == '\t');
}

}  // namespace

std::optional<ReplyLineText> ParseReplyLine(std::string_view text, TextAt at,
                                            DiagnosticSink& sink,
                                            std::vector<VarUse>& uses,
                                            RegexCache& regexes,
                                            ReplyPattern& reply) {
  std::size_t i = 0;
  while (i < text.size() && text[i] != ' ' && text[i] != '-' &&
         text[i] != '\t') {
    ++i;
  }
  std::optional<CodePattern> code = ParseCode(text.substr(0, i), at, sink);
  if (!code) return std::nullopt;
  ReplyLineText out;
  out.code = std::move(*code);
  if (i < text.size() && text[i] == '\t') {
    sink.Add(at.line, at.column + static_cast<int>(i),
             "separate the reply code from the text with a space, not a tab");
    return std::nullopt;
  }
  out.final = i == text.size() || text[i] == ' ';
  std::size_t rest_at = std::min(i + 1, text.size());
  std::string_view rest = text.substr(rest_at);
  TextAt rest_pos{at.line, at.column + static_cast<int>(rest_at)};
  std::vector<ReplyLine>& lines = reply.lines;

  if (StartsWithEllipsis(rest)) {
    std::string_view after = rest.substr(3);
    std::size_t c = FindComment(after);
    std::string comment(c == std::string_view::npos
                            ? std::string_view()
                            : TrimRight(after.substr(c)));
    std::string_view kws = after.substr(0, c);
    TextAt kw_pos{at.line, rest_pos.column + 3};
    if (!out.final) {
      if (!TrimTrailing(kws).empty()) {
        sink.Add(at.line, kw_pos.column + 1,
                 "EHLO keywords go on the final line, like 'S: 250 ... +SIZE'");
        return std::nullopt;
      }
      lines.push_back(ReplyLine{ReplyLine::Kind::kAnyLines, std::nullopt,
                                std::nullopt, std::move(comment)});
      return out;
    }
    if (!ParseKeywords(kws, kw_pos, sink, reply)) return std::nullopt;
    lines.reserve(lines.size() + 2);
    lines.push_back(ReplyLine{ReplyLine::Kind::kAnyLines, {}, {}, ""});
    lines.push_back(ReplyLine{ReplyLine::Kind::kLine, std::nullopt,
                              std::nullopt, std::move(comment)});
    return out;
  }

  // Built in place: a ReplyLine is large, and moving it costs a visit of
  // its variant.
  ReplyLine& line = lines.emplace_back();
  std::string_view token = rest.substr(0, rest.find(' '));
  if (LooksLikeEnhancedStatus(token)) {
    line.enhanced = ParseEnhanced(token, out.code, rest_pos, sink);
    if (!line.enhanced) return std::nullopt;
    std::size_t skip = std::min(token.size() + 1, rest.size());
    rest = rest.substr(skip);
    rest_pos.column += static_cast<int>(skip);
    if (StartsWithEllipsis(rest)) {
      sink.Add(at.line, rest_pos.column,
               "'...' stands for whole lines, so it comes right after the "
               "code, as in 'S: 250 ...'");
      return std::nullopt;
    }
  }
  if (!rest.empty() && rest[0] == '/') {
    std::optional<Regex> regex =
        ParseRegexLiteral(rest, rest_pos, sink, regexes, &line.comment);
    if (!regex) return std::nullopt;
    line.text = std::move(*regex);
  } else {
    std::size_t c = FindComment(rest);
    if (c != std::string_view::npos) {
      line.comment = std::string(TrimRight(rest.substr(c)));
    }
    std::string_view glob_text = TrimTrailing(rest.substr(0, c));
    if (!glob_text.empty()) {
      std::optional<Glob> glob = ParseGlob(glob_text, rest_pos, sink, uses);
      if (!glob) return std::nullopt;
      line.text.emplace(std::in_place_type<Glob>, std::move(*glob));
    }
  }
  return out;
}

std::size_t CodeAlternativeIndex(const CodePattern& code,
                                 std::string_view alternative) {
  for (std::size_t i = 0; i + 3 <= code.text.size(); i += 4) {
    if (std::string_view(code.text).substr(i, 3) == alternative) return i / 4;
  }
  return std::string::npos;
}

const std::string& RenderCode(const CodePattern& code) { return code.text; }

std::string RenderEnhanced(const EnhancedPattern& e) {
  auto part = [](const std::optional<int>& p) {
    return p ? std::to_string(*p) : std::string("x");
  };
  return part(e.klass) + "." + part(e.subject) + "." + part(e.detail);
}

std::vector<std::string> RenderReplyLines(const ReplyPattern& reply) {
  std::vector<std::string> out;
  std::string code = "S: " + RenderCode(reply.code);
  const auto& lines = reply.lines;
  std::size_t n = lines.size();
  // The compact final form "S: 250 ..." stands for {kAnyLines, bare kLine}.
  bool compact = n >= 2 && lines[n - 2].kind == ReplyLine::Kind::kAnyLines &&
                 lines[n - 2].comment.empty() &&
                 lines[n - 1].kind == ReplyLine::Kind::kLine &&
                 !lines[n - 1].enhanced && !lines[n - 1].text;
  std::size_t plain = compact ? n - 2 : n;
  auto with_comment = [](std::string s, const std::string& comment) {
    if (!comment.empty()) s += " " + comment;
    return s;
  };
  for (std::size_t i = 0; i < plain; ++i) {
    const ReplyLine& l = lines[i];
    bool final = i + 1 == n;
    if (l.kind == ReplyLine::Kind::kAnyLines) {
      out.push_back(with_comment(code + "-...", l.comment));
      continue;
    }
    std::string s = code + (final ? " " : "-");
    if (l.enhanced) {
      s += RenderEnhanced(*l.enhanced);
      if (l.text) s += " ";
    }
    if (l.text) {
      if (const Regex* r = std::get_if<Regex>(&*l.text)) {
        s += RenderRegex(*r);
      } else {
        s += RenderGlob(std::get<Glob>(*l.text), true);
      }
    } else if (final && !l.enhanced) {
      s.pop_back();  // "S: 250", not "S: 250 "
    }
    out.push_back(with_comment(std::move(s), l.comment));
  }
  if (compact) {
    std::string s = code + " ...";
    for (const std::string& k : reply.has_keywords) s += " +" + k;
    for (const std::string& k : reply.lacks_keywords) s += " -" + k;
    out.push_back(with_comment(std::move(s), lines[n - 1].comment));
  }
  return out;
}

}  // namespace smtpspec::parser
