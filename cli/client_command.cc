#include "cli/client_command.h"

#include <algorithm>
#include <filesystem>

#include "cli/files.h"
#include "cli/variables.h"

namespace smtpspec::cli {
namespace {

// The driver fills these in once it listens.
constexpr std::string_view kLate[] = {"host", "port"};

// A variable name, as in the transcript format's ${name}.
bool IsName(std::string_view s) {
  auto letter = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  };
  if (s.empty() || !letter(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return letter(c) || (c >= '0' && c <= '9');
  });
}

std::size_t Count(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string_view::npos;
       at = text.find(what, at + what.size())) {
    ++n;
  }
  return n;
}

const std::string* Find(const std::vector<parser::Binding>& values,
                        std::string_view name) {
  for (const parser::Binding& b : values) {
    if (b.name == name) return &b.value;
  }
  return nullptr;
}

}  // namespace

std::string ShellQuote(std::string_view text) {
  // Python's shlex.quote: the characters that never need quoting.
  auto safe = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') ||
           std::string_view("@%+=:,./-_").find(c) != std::string_view::npos;
  };
  if (!text.empty() && std::all_of(text.begin(), text.end(), safe)) {
    return std::string(text);
  }
  std::string out = "'";
  for (char c : text) {
    out += c == '\'' ? std::string("'\"'\"'") : std::string(1, c);
  }
  return out + "'";
}

Result<ClientTemplate> ClientTemplate::Parse(std::string_view text,
                                             std::string where) {
  ClientTemplate t;
  t.where_ = std::move(where);
  std::string literal;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal += c;
      i += 2;
      continue;
    }
    if (c != '{' && c != '}') {
      literal += c;
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    if (c == '{') {
      while (end < text.size() && text[end] != '{' && text[end] != '}') {
        ++end;
      }
    }
    const bool closed = c == '{' && end < text.size() && text[end] == '}';
    std::string_view token =
        closed ? text.substr(i, end + 1 - i) : text.substr(i, 1);
    if (!closed || !IsName(token.substr(1, token.size() - 2))) {
      std::string shown(token.size() < 30 ? token : token.substr(0, 27));
      if (token.size() >= 30) shown += "...";
      return Error{i, t.where_ + ": '" + shown + "' at column " +
                          std::to_string(i + 1) +
                          " is not a placeholder; write {{ and }} for "
                          "literal braces"};
    }
    t.parts_.push_back({false, std::move(literal)});
    literal.clear();
    t.parts_.push_back({true, std::string(token.substr(1, token.size() - 2))});
    i = end + 1;
  }
  t.parts_.push_back({false, std::move(literal)});
  return t;
}

Result<std::string> ClientTemplate::Fill(
    const std::vector<parser::Binding>& values) const {
  std::string out;
  for (const Part& part : parts_) {
    if (!part.name) {
      out += part.text;
    } else if (std::find(std::begin(kLate), std::end(kLate), part.text) !=
               std::end(kLate)) {
      out += "{" + part.text + "}";
    } else if (const std::string* value = Find(values, part.text)) {
      out += ShellQuote(*value);
    } else {
      std::string known;
      for (std::string_view late : kLate) {
        known += (known.empty() ? "{" : ", {") + std::string(late) + "}";
      }
      for (const parser::Binding& b : values) known += ", {" + b.name + "}";
      return Error{0, where_ + ": unknown placeholder {" + part.text +
                          "} (known: " + known +
                          "; {{ and }} are literal braces)"};
    }
  }
  // The driver replaces every "{host}" and "{port}" in what it is given,
  // so one must not come from a value or from {{host}}.
  for (std::string_view late : kLate) {
    const std::string placeholder = "{" + std::string(late) + "}";
    const auto written =
        std::count_if(parts_.begin(), parts_.end(),
                      [&](const Part& p) { return p.name && p.text == late; });
    if (Count(out, placeholder) != static_cast<std::size_t>(written)) {
      return Error{0, where_ + ": the command would contain a literal " +
                          placeholder +
                          ", which smtpspec would replace with the "
                          "listening " +
                          std::string(late)};
    }
  }
  return out;
}

std::vector<parser::Binding> Values(const std::string& message_file,
                                    const std::vector<parser::Var>& vars,
                                    const std::vector<parser::Binding>& flags) {
  parser::Variables seen(vars);
  for (const parser::Binding& b : flags) seen.Set(b.name, b.value);
  std::vector<parser::Binding> out;
  // Without the file, {message} is unknown rather than empty.
  if (!message_file.empty()) out.push_back({"message", message_file});
  // The target variables first, in their order, as the Player fills them.
  for (const VariableDefault& d : TargetDefaults()) {
    if (const std::string* value = seen.Find(d.name)) {
      out.push_back({d.name, *value});
      continue;
    }
    std::string value = d.value;
    for (std::size_t at = value.find("${"); at != std::string::npos;
         at = value.find("${", at)) {
      const std::size_t end = value.find('}', at);
      if (end == std::string::npos) break;
      const std::string* ref = seen.Find(value.substr(at + 2, end - at - 2));
      const std::string replacement = ref ? *ref : "";
      value.replace(at, end + 1 - at, replacement);
      at += replacement.size();
    }
    seen.Set(d.name, value);
    out.push_back({d.name, value});
  }
  std::vector<parser::Binding> rest;
  for (const parser::Binding& b : seen.bindings()) {
    if (b.name != "message" && !Find(out, b.name)) rest.push_back(b);
  }
  std::sort(rest.begin(), rest.end(),
            [](const parser::Binding& a, const parser::Binding& b) {
              return a.name < b.name;
            });
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

int RunTemplate(const std::vector<std::string>& args, std::ostream& out,
                std::ostream& err) {
  auto usage = [&](const std::string& why) {
    err << "smtpspec_cli template: " << why << "\n";
    return 2;
  };
  std::string message, name = "client", text, file;
  std::vector<parser::Binding> flags;
  std::size_t positional = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool has_value = i + 1 < args.size();
    if (arg == "--message" || arg == "--name" || arg == "--var") {
      if (!has_value) return usage(arg + " needs a value");
      const std::string& v = args[++i];
      if (arg == "--message") {
        message = std::filesystem::absolute(v).lexically_normal().string();
      } else if (arg == "--name") {
        name = v;
      } else {
        const std::size_t eq = v.find('=');
        if (eq == std::string::npos || eq == 0) {
          return usage("--var " + v + ": write NAME=VALUE");
        }
        flags.push_back({v.substr(0, eq), v.substr(eq + 1)});
      }
    } else if (arg.starts_with("--")) {
      return usage("unknown flag " + arg);
    } else if (positional++ == 0) {
      text = arg;
    } else if (positional == 2) {
      file = arg;
    } else {
      return usage("give one TEMPLATE and at most one FILE");
    }
  }
  if (positional == 0) return usage("no template given");
  std::vector<parser::Var> vars;
  if (!file.empty()) {
    parser::ParseResult parsed = LoadTranscript(file);
    for (const parser::Diagnostic& d : parsed.diagnostics) {
      err << parser::FormatDiagnostic(d) << "\n";
    }
    if (!parsed.scenario) return 2;
    vars = parsed.scenario->meta.vars;
  }
  Result<ClientTemplate> parsed = ClientTemplate::Parse(text, "client " + name);
  if (!parsed.ok()) return usage(parsed.error().reason);
  Result<std::string> command = parsed->Fill(Values(message, vars, flags));
  if (!command.ok()) return usage(command.error().reason);
  out << *command << "\n";
  return 0;
}

}  // namespace smtpspec::cli
