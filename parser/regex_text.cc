#include "parser/regex_text.h"

#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace smtpspec::parser {
namespace {

// Index of the '/' that closes the regex opened at text[0], or npos. A
// slash may appear escaped or inside a [...] class, as in JavaScript.
std::size_t FindRegexEnd(std::string_view text) {
  bool in_class = false;
  for (std::size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      if (c == ']') in_class = false;
    } else if (c == '[') {
      in_class = true;
    } else if (c == '/') {
      return i;
    }
  }
  return std::string_view::npos;
}

std::string RegexErrorReason(std::regex_constants::error_type code) {
  namespace rc = std::regex_constants;
  switch (code) {
    case rc::error_paren:
      return "its parentheses do not balance";
    case rc::error_brack:
      return "its brackets [ ] do not balance";
    case rc::error_brace:
      return "its braces { } do not balance";
    case rc::error_badbrace:
      return "a repeat count like {2,5} is not valid";
    case rc::error_range:
      return "a character range like [z-a] is not valid";
    case rc::error_escape:
      return "it has an invalid escape";
    case rc::error_badrepeat:
      return "a '*', '+', '?' or '{' has nothing to repeat";
    case rc::error_backref:
      return "back-references are not supported";
    case rc::error_collate:
    case rc::error_ctype:
      return "it names an unknown character class";
    case rc::error_complexity:
    case rc::error_space:
    case rc::error_stack:
      return "it is too complex to match in bounded time";
    default:
      return "it is not a valid ECMAScript regex";
  }
}

// Rewrites named groups "(?<name>" to "(" and records every capture group's
// name. Returns false with `why` set if a name or a back-reference is bad.
bool StripGroupNames(const std::string& source, std::string* out,
                     std::vector<std::string>* names, std::string* why) {
  bool in_class = false;
  for (std::size_t i = 0; i < source.size(); ++i) {
    char c = source[i];
    if (c == '\\') {
      if (i + 1 < source.size()) {
        char n = source[i + 1];
        if (!in_class && ((n >= '1' && n <= '9') || n == 'k')) {
          *why = "back-references are not supported";
          return false;
        }
        out->push_back(c);
        out->push_back(n);
        ++i;
        continue;
      }
    } else if (in_class) {
      if (c == ']') in_class = false;
    } else if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      if (i + 2 < source.size() && source[i + 1] == '?' &&
          source[i + 2] == '<') {
        std::size_t close = source.find('>', i + 3);
        std::string name = close == std::string::npos
                               ? std::string()
                               : source.substr(i + 3, close - i - 3);
        if (!IsVarName(name)) {
          *why =
              "a named group is written (?<name>...), with a name of "
              "letters, digits and '_'";
          return false;
        }
        names->push_back(name);
        out->push_back('(');
        i = close;
        continue;
      }
      if (i + 1 >= source.size() || source[i + 1] != '?') names->push_back("");
    }
    out->push_back(c);
  }
  return true;
}

}  // namespace

std::optional<Regex> CompileRegex(std::string source, bool icase,
                                  std::string* why) {
  if (source.size() > kMaxRegexBytes) {
    *why = "it is longer than " + std::to_string(kMaxRegexBytes) + " bytes";
    return std::nullopt;
  }
  std::string plain;
  std::vector<std::string> group_names;
  if (!StripGroupNames(source, &plain, &group_names, why)) {
    return std::nullopt;
  }
  // libstdc++'s polynomial mode runs a Thompson NFA instead of
  // backtracking, so matching a 1000-byte line stays O(line x pattern).
  auto flags = std::regex::ECMAScript | std::regex_constants::__polynomial;
  if (icase) flags |= std::regex::icase;
  std::shared_ptr<CompiledRegex> compiled;
  try {
    compiled = std::make_shared<CompiledRegex>(
        CompiledRegex{std::regex(plain, flags), std::move(group_names)});
  } catch (const std::regex_error& e) {
    *why = RegexErrorReason(e.code());
    return std::nullopt;
  } catch (const std::exception&) {
    *why = "it is too complex to match in bounded time";
    return std::nullopt;
  }
  if (compiled->regex.mark_count() != compiled->group_names.size()) {
    // Our count of groups disagrees with the library's; captures would be
    // misnamed, so refuse rather than guess.
    *why = "its groups could not be counted; simplify its parentheses";
    return std::nullopt;
  }
  return Regex{std::move(source), icase, std::move(compiled)};
}

std::optional<Regex> RegexCache::Compile(std::string_view source, bool icase,
                                         std::string* why) {
  auto& entries = entries_[icase ? 1 : 0];
  auto it = entries.find(std::string(source));
  if (it == entries.end()) {
    Entry entry;
    entry.regex = CompileRegex(std::string(source), icase, &entry.why);
    it = entries.emplace(std::string(source), std::move(entry)).first;
  }
  if (!it->second.regex) *why = it->second.why;
  return it->second.regex;
}

std::optional<Regex> ParseRegexLiteral(std::string_view text, TextAt at,
                                       DiagnosticSink& sink,
                                       RegexCache& regexes,
                                       std::string* comment) {
  std::size_t end = FindRegexEnd(text);
  if (end == std::string_view::npos) {
    sink.Add(
        at.line, at.column,
        "the regex '" + std::string(text) + "' is not closed; end it with '/'");
    return std::nullopt;
  }
  std::string_view source = text.substr(1, end - 1);
  std::size_t i = end + 1;
  bool icase = false;
  while (i < text.size() && text[i] != ' ' && text[i] != '\t') {
    if (text[i] == 'i' && !icase) {
      icase = true;
    } else {
      sink.Add(at.line, at.column + static_cast<int>(i),
               std::string("unknown regex flag '") + text[i] +
                   "'; the only flag is 'i' (ignore case)");
      return std::nullopt;
    }
    ++i;
  }
  std::string why;
  std::optional<Regex> regex = regexes.Compile(source, icase, &why);
  if (!regex) {
    sink.Add(at.line, at.column,
             "bad regex '/" + std::string(source) + "/': " + why);
    return std::nullopt;
  }
  std::size_t skip = text.find_first_not_of(" \t", i);
  if (skip != std::string_view::npos) {
    if (text[skip] != '#') {
      sink.Add(at.line, at.column + static_cast<int>(skip),
               "unexpected text after the regex; a '#' comment may follow it");
      return std::nullopt;
    }
    *comment = std::string(TrimRight(text.substr(skip)));
  }
  return regex;
}

std::string RenderRegex(const Regex& regex) {
  return "/" + regex.source + "/" + (regex.icase ? "i" : "");
}

}  // namespace smtpspec::parser
