#include "parser/front_matter.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "engine/rules/catalogue.h"
#include "parser/duration.h"
#include "parser/glob_text.h"
#include "parser/quote.h"
#include "parser/rule_ids.h"
#include "util/did_you_mean.h"
#include "yaml-cpp/yaml.h"

namespace smtpspec::parser {
namespace {

const std::vector<std::string>& Keys() {
  static const auto* keys = new std::vector<std::string>{
      "id",    "title", "description", "rfc",  "rules",   "level",
      "tests", "tags",  "requires",    "vars", "timeout", "delivers"};
  return *keys;
}

bool IsKeywordChar(char c, bool first) {
  bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9');
  return alnum || (!first && c == '-');
}

// RFC 5321 4.1.1.1: ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
bool IsEhloKeyword(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!IsKeywordChar(s[i], i == 0)) return false;
  }
  return true;
}

class Reader {
 public:
  Reader(int first_line, DiagnosticSink& sink)
      : first_line_(first_line), sink_(sink) {}

  void Error(const YAML::Mark& mark, std::string message) {
    if (mark.is_null()) {
      sink_.Add(first_line_ - 1, 1, std::move(message));
    } else {
      sink_.Add(first_line_ + mark.line, mark.column + 1, std::move(message));
    }
  }

  bool Text(const YAML::Node& node, std::string_view key, std::string* out) {
    if (node.IsNull()) return true;
    if (!node.IsScalar()) {
      Error(node.Mark(),
            "'" + std::string(key) + "' must be text, not a list or a map");
      return false;
    }
    *out = node.Scalar();
    return true;
  }

  bool List(const YAML::Node& node, std::string_view key,
            std::string_view example, std::vector<std::string>* out) {
    if (node.IsNull()) return true;
    if (!node.IsSequence()) {
      Error(node.Mark(), "'" + std::string(key) + "' must be a list, like " +
                             std::string(example));
      return false;
    }
    bool ok = true;
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) {
        Error(item.Mark(), "each item of '" + std::string(key) +
                               "' must be text, not a list or a map");
        ok = false;
        continue;
      }
      out->push_back(item.Scalar());
    }
    return ok;
  }

  void Read(const YAML::Node& root, Metadata& meta) {
    if (root.IsNull()) return;
    if (!root.IsMap()) {
      Error(root.Mark(),
            "the front matter must be 'key: value' lines, like 'id: my.test'");
      return;
    }
    std::vector<std::string> seen;
    YAML::Mark level_mark = YAML::Mark::null_mark();
    for (const auto& pair : root) {
      const YAML::Node& key = pair.first;
      const YAML::Node& value = pair.second;
      if (!key.IsScalar()) {
        Error(key.Mark(), "a front-matter key must be a plain word");
        continue;
      }
      const std::string& k = key.Scalar();
      if (std::find(Keys().begin(), Keys().end(), k) == Keys().end()) {
        Error(key.Mark(), "unknown front-matter key '" + k + "'" +
                              util::DidYouMean(k, Keys()) +
                              " (known keys: id, " +
                              "title, description, rfc, rules, level, tests, " +
                              "tags, " + "requires, vars, timeout, delivers)");
        continue;
      }
      if (std::find(seen.begin(), seen.end(), k) != seen.end()) {
        Error(key.Mark(), "the key '" + k + "' appears twice");
        continue;
      }
      seen.push_back(k);
      ReadKey(k, value, meta);
      if (k == "level") level_mark = value.Mark();
    }
    // A scenario's findings take their rules' levels; a level written
    // beside the rules that says otherwise would mislead whoever selects
    // scenarios by it.
    if (meta.level && !meta.rules.empty()) {
      if (const rules::Rule* first = rules::Find(meta.rules.front())) {
        const Level wanted = first->level == rules::Level::kMust ? Level::kMust
                             : first->level == rules::Level::kShould
                                 ? Level::kShould
                                 : Level::kMay;
        if (*meta.level != wanted) {
          Error(level_mark, "level " +
                                std::string(rules::LevelName(
                                    static_cast<rules::Level>(*meta.level))) +
                                " disagrees with the first rule, " +
                                std::string(first->id) + ", which is " +
                                std::string(first->keyword) +
                                "; write level: " +
                                std::string(rules::LevelName(first->level)));
        }
      }
    }
  }

 private:
  void ReadKey(const std::string& k, const YAML::Node& value, Metadata& meta) {
    if (k == "id") {
      if (!Text(value, k, &meta.id)) return;
      for (char c : meta.id) {
        if (!IsKeywordChar(c, false) && c != '.' && c != '_') {
          Error(value.Mark(),
                "id '" + meta.id + "': use letters, digits, '.', '-' and '_'");
          return;
        }
      }
    } else if (k == "title") {
      Text(value, k, &meta.title);
    } else if (k == "description") {
      Text(value, k, &meta.description);
    } else if (k == "rfc") {
      List(value, k, "[\"RFC 5321 4.1.4\"]", &meta.rfc);
    } else if (k == "rules") {
      if (!List(value, k, "[rfc5321/3.3-rcpt-needs-mail]", &meta.rules)) {
        return;
      }
      for (const std::string& id : meta.rules) {
        if (std::optional<std::string> why = UnknownRule(id)) {
          Error(value.Mark(), "rules '" + id + "': " + *why);
        }
      }
    } else if (k == "tags") {
      List(value, k, "[minimum, sequence]", &meta.tags);
    } else if (k == "requires") {
      if (!List(value, k, "[PIPELINING, SIZE]", &meta.requires_keywords)) {
        return;
      }
      for (const std::string& kw : meta.requires_keywords) {
        if (!IsEhloKeyword(kw)) {
          Error(value.Mark(), "requires '" + kw +
                                  "': an EHLO keyword is letters, digits and "
                                  "'-' (RFC 5321 4.1.1.1)");
        }
      }
    } else if (k == "level") {
      ReadLevel(value, meta);
    } else if (k == "tests") {
      ReadTests(value, meta);
    } else if (k == "vars") {
      ReadVars(value, meta);
    } else if (k == "delivers") {
      std::string text;
      if (!Text(value, k, &text)) return;
      if (text == "true") {
        meta.delivers = true;
      } else if (text == "false") {
        meta.delivers = false;
      } else {
        Error(value.Mark(), "delivers '" + text + "': expected true or false");
      }
    } else if (k == "timeout") {
      std::string text;
      if (!Text(value, k, &text)) return;
      meta.timeout = ParseDuration(text);
      if (!meta.timeout || meta.timeout->count() == 0) {
        Error(value.Mark(), "timeout '" + text + "': " +
                                (meta.timeout ? "a timeout must be more than 0"
                                              : std::string(kDurationHelp)));
        meta.timeout.reset();
      }
    }
  }

  void ReadLevel(const YAML::Node& value, Metadata& meta) {
    std::string text;
    if (!Text(value, "level", &text)) return;
    static const char* kNames[] = {"MUST", "SHOULD", "MAY"};
    static const Level kLevels[] = {Level::kMust, Level::kShould, Level::kMay};
    for (int i = 0; i < 3; ++i) {
      if (text == kNames[i]) {
        meta.level = kLevels[i];
        return;
      }
      std::string upper = text;
      for (char& c : upper) c = static_cast<char>(std::toupper(c));
      if (upper == kNames[i]) {
        Error(value.Mark(), "level '" + text + "': write it in capitals, " +
                                kNames[i] + ", as RFC 2119 does");
        return;
      }
    }
    Error(value.Mark(),
          "level '" + text + "': expected MUST, SHOULD or MAY (RFC 2119)");
  }

  void ReadTests(const YAML::Node& value, Metadata& meta) {
    std::string text;
    if (!Text(value, "tests", &text)) return;
    if (text == "server") {
      meta.tests = UnderTest::kServer;
    } else if (text == "client") {
      meta.tests = UnderTest::kClient;
    } else if (text == "both") {
      meta.tests = UnderTest::kBoth;
    } else {
      Error(value.Mark(),
            "tests '" + text + "': expected server, client or both" +
                util::DidYouMean(text, std::vector<std::string_view>{
                                           "server", "client", "both"}));
    }
  }

  void ReadVars(const YAML::Node& value, Metadata& meta) {
    if (value.IsNull()) return;
    if (!value.IsMap()) {
      Error(value.Mark(), "'vars' must be a map, like {domain: example.org}");
      return;
    }
    for (const auto& pair : value) {
      std::string name = pair.first.IsScalar() ? pair.first.Scalar() : "";
      if (!IsVarName(name)) {
        Error(pair.first.Mark(),
              "variable name '" + name +
                  "': use letters, digits and '_', not starting with a digit");
        continue;
      }
      bool dup = std::any_of(meta.vars.begin(), meta.vars.end(),
                             [&](const Var& v) { return v.name == name; });
      if (dup) {
        Error(pair.first.Mark(), "the variable '" + name + "' appears twice");
        continue;
      }
      std::string v;
      if (!pair.second.IsNull() && !pair.second.IsScalar()) {
        Error(pair.second.Mark(), "the value of variable '" + name +
                                      "' must be text, not a list or a map");
        continue;
      }
      if (pair.second.IsScalar()) v = pair.second.Scalar();
      meta.vars.push_back(Var{name, v});
    }
  }

  int first_line_;
  DiagnosticSink& sink_;
};

// YAML forbids tabs in indentation, and yaml-cpp's complaint about them is
// cryptic; say it plainly first.
bool CheckTabsAndCollectComments(std::string_view yaml, int first_line,
                                 DiagnosticSink& sink, Metadata& meta) {
  bool ok = true;
  int line = first_line;
  std::size_t start = 0;
  while (start <= yaml.size()) {
    std::size_t end = yaml.find('\n', start);
    if (end == std::string_view::npos) end = yaml.size();
    std::string_view l = yaml.substr(start, end - start);
    std::size_t i = 0;
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) {
      if (l[i] == '\t') {
        sink.Add(line, static_cast<int>(i) + 1,
                 "a tab in the front matter's indentation; YAML indents with "
                 "spaces only");
        ok = false;
        break;
      }
      ++i;
    }
    if (i < l.size() && l[i] == '#') {
      std::string_view c = l.substr(i);
      while (!c.empty() && (c.back() == ' ' || c.back() == '\t')) {
        c.remove_suffix(1);
      }
      meta.comments.emplace_back(c);
    }
    if (end == yaml.size()) break;
    start = end + 1;
    ++line;
  }
  return ok;
}

// Whether `s` can be written as a YAML plain scalar and read back as is.
// Conservative: anything unusual is quoted. In block context (a key's own
// value) commas and apostrophes are fine too; in a flow list they are not.
bool IsPlainSafe(const std::string& s, bool flow) {
  if (s.empty() || s == "null" || s == "Null" || s == "NULL") return false;
  if (s.back() == ' ') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9');
    if (alnum || c == '_') continue;
    if (i > 0 && (c == ' ' || c == '.' || c == '@' || c == '/' || c == '+' ||
                  c == '-' || c == '(' || c == ')')) {
      continue;
    }
    if (i > 0 && !flow && (c == ',' || c == '\'' || c == ';')) continue;
    return false;
  }
  return true;
}

std::string Quote(const std::string& s, bool flow) {
  return IsPlainSafe(s, flow) ? s : DoubleQuote(s, false);
}

std::string QuoteInFlow(const std::string& s) { return Quote(s, true); }

}  // namespace

Metadata ParseFrontMatter(std::string_view yaml, int first_line,
                          DiagnosticSink& sink) {
  Metadata meta;
  if (!CheckTabsAndCollectComments(yaml, first_line, sink, meta)) return meta;
  Reader reader(first_line, sink);
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    reader.Read(root, meta);
  } catch (const YAML::Exception& e) {
    reader.Error(e.mark, "the front matter is not valid YAML: " + e.msg);
  } catch (const std::exception& e) {
    reader.Error(
        YAML::Mark::null_mark(),
        std::string("the front matter could not be read: ") + e.what());
  }
  return meta;
}

std::string RenderFrontMatter(const Metadata& meta) {
  if (meta == Metadata{}) return "";
  std::string out = "---\n";
  for (const std::string& c : meta.comments) out += c + "\n";
  if (!meta.id.empty()) out += "id: " + Quote(meta.id, false) + "\n";
  if (!meta.title.empty()) out += "title: " + Quote(meta.title, false) + "\n";
  if (!meta.description.empty()) {
    out += "description: " + Quote(meta.description, false) + "\n";
  }
  if (!meta.rfc.empty())
    out += "rfc: " + FlowList(meta.rfc, QuoteInFlow) + "\n";
  if (!meta.rules.empty())
    out += "rules: " + FlowList(meta.rules, QuoteInFlow) + "\n";
  if (meta.level) {
    static const char* kNames[] = {"MUST", "SHOULD", "MAY"};
    out +=
        std::string("level: ") + kNames[static_cast<int>(*meta.level)] + "\n";
  }
  if (meta.tests) {
    static const char* kNames[] = {"server", "client", "both"};
    out +=
        std::string("tests: ") + kNames[static_cast<int>(*meta.tests)] + "\n";
  }
  if (!meta.tags.empty())
    out += "tags: " + FlowList(meta.tags, QuoteInFlow) + "\n";
  if (!meta.requires_keywords.empty()) {
    out += "requires: " + FlowList(meta.requires_keywords, QuoteInFlow) + "\n";
  }
  if (!meta.vars.empty()) {
    out += "vars: {";
    for (std::size_t i = 0; i < meta.vars.size(); ++i) {
      if (i > 0) out += ", ";
      out += meta.vars[i].name + ": " + Quote(meta.vars[i].value, true);
    }
    out += "}\n";
  }
  if (meta.timeout) out += "timeout: " + FormatDuration(*meta.timeout) + "\n";
  if (meta.delivers) {
    out +=
        std::string("delivers: ") + (*meta.delivers ? "true" : "false") + "\n";
  }
  return out + "---\n";
}

}  // namespace smtpspec::parser
