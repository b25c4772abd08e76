#include "cli/record.h"

#include <cctype>
#include <optional>
#include <regex>

#include "agents/transcript_log.h"
#include "cli/files.h"
#include "cli/record_session.h"
#include "cli/record_text.h"
#include "parser/delivers.h"
#include "parser/diagnostic.h"
#include "parser/glob_text.h"
#include "parser/parser.h"
#include "parser/quote.h"
#include "parser/render.h"

namespace smtpspec::cli::record {
namespace {

namespace log = agents::transcript_log;

// The observed values that become the target variables
// (docs/transcript-format.md, "Target variables"), longest match first.
struct Observed {
  std::string client_domain, sender, mailbox, domain;

  std::vector<Substitution> Substitutions() const {
    std::vector<Substitution> out;
    if (!sender.empty()) out.push_back({sender, "sender"});
    if (!mailbox.empty()) out.push_back({mailbox, "mailbox"});
    if (!client_domain.empty()) out.push_back({client_domain, "client_domain"});
    if (!domain.empty()) out.push_back({domain, "domain"});
    return out;
  }
};

// Whether an observed value can be a variable's default written plainly
// in YAML flow style and found again in the lines: a letter or digit, then
// letters, digits and . @ _ + = - only.
bool Substitutable(std::string_view value) {
  if (value.empty() || value.size() > 255 ||
      !std::isalnum(static_cast<unsigned char>(value[0]))) {
    return false;
  }
  for (char c : value) {
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view(".@_+=-").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The path of MAIL FROM:<path> / RCPT TO:<path> (RFC 5321 4.1.2).
std::string PathOf(std::string_view line, std::string_view keyword) {
  if (!Upper(line.substr(0, keyword.size())).starts_with(keyword)) return "";
  line.remove_prefix(keyword.size());
  if (line.empty() || line[0] != '<') return "";
  const std::size_t close = line.find('>');
  return close == std::string_view::npos
             ? ""
             : std::string(line.substr(1, close - 1));
}

Observed Observe(const std::vector<Item>& items) {
  Observed seen;
  for (const Item& item : items) {
    if (item.kind != Item::Kind::kCommands) continue;
    for (std::string_view line : item.lines) {
      if (!line.ends_with("\r\n")) continue;
      line.remove_suffix(2);
      const std::string upper = Upper(line);
      if ((upper.starts_with("EHLO ") || upper.starts_with("HELO ")) &&
          seen.client_domain.empty() && Substitutable(line.substr(5))) {
        seen.client_domain = line.substr(5);
      }
      std::string path = PathOf(line, "MAIL FROM:");
      if (seen.sender.empty() && Substitutable(path)) seen.sender = path;
      path = PathOf(line, "RCPT TO:");
      if (seen.mailbox.empty() && Substitutable(path)) {
        seen.mailbox = path;
        const std::size_t at = path.rfind('@');
        if (at != std::string::npos) seen.domain = path.substr(at + 1);
      }
    }
  }
  return seen;
}

// `bytes` exactly, as a C! or S! line: never a C:/S: line, which would
// make plain text a command or a reply pattern.
std::string Raw(log::Side side, std::string_view bytes) {
  return log::FormatPiece(side, bytes, /*line_start=*/false);
}

class Writer {
 public:
  Writer(const Options& options, const Observed& seen)
      : options_(options), subs_(seen.Substitutions()) {}

  std::string text;

  void Items(const std::vector<Item>& items) {
    for (const Item& item : items) {
      switch (item.kind) {
        case Item::Kind::kCommands:
          Commands(item.lines);
          break;
        case Item::Kind::kReply:
          Reply(item);
          break;
        case Item::Kind::kServerBytes:
          text += Raw(log::Side::kServer, item.lines[0]);
          break;
        case Item::Kind::kMessage:
          Message(item);
          break;
        case Item::Kind::kStartTls:
          text +=
              "# TLS (RFC 3207) was terminated by `smtpspec record "
              "--tls-terminate`:\n# what follows is the plaintext inside "
              "it.\n!starttls\n";
          break;
        case Item::Kind::kPassthrough:
          text +=
              "!starttls\n# Not recorded: the rest of the session went "
              "inside TLS, relayed as it was\n# (STARTTLS passthrough). "
              "Record with --tls-terminate to see it.\n";
          break;
        case Item::Kind::kStop:
          text += "# The recording stopped here: " + item.lines[0] + "\n";
          break;
      }
    }
  }

 private:
  // A C: line, or nullopt when the bytes need C! (not a printable line
  // ending in CRLF).
  std::optional<std::string> CommandLine(std::string_view wire) const {
    if (!wire.ends_with("\r\n")) return std::nullopt;
    std::string_view line = wire.substr(0, wire.size() - 2);
    if (!IsPrintable(line)) return std::nullopt;
    std::vector<Piece> pieces;
    if (options_.client_under_test) {
      // A client's SIZE= estimate (RFC 1870 6) follows its message,
      // whose header changes from run to run.
      static const std::regex size("\\bSIZE=[0-9]+", std::regex::icase);
      const std::string subject(line);
      std::size_t done = 0;
      for (auto it = std::sregex_iterator(subject.begin(), subject.end(), size);
           it != std::sregex_iterator(); ++it) {
        const std::size_t at = static_cast<std::size_t>(it->position());
        pieces.push_back({Piece::Kind::kText, subject.substr(done, at - done)});
        pieces.push_back({Piece::Kind::kVerbatim, "SIZE="});
        pieces.push_back({Piece::Kind::kAny, ""});
        done = at + it->length();
      }
      pieces.push_back({Piece::Kind::kText, subject.substr(done)});
    } else {
      pieces.push_back({Piece::Kind::kText, std::string(line)});
    }
    return "C: " + parser::RenderGlob(MakeGlob(pieces, subs_), false) + "\n";
  }

  void Commands(const std::vector<std::string>& lines) {
    std::vector<std::string> plain;
    for (const std::string& wire : lines) {
      std::optional<std::string> line = CommandLine(wire);
      if (!line) break;
      plain.push_back(*line);
    }
    // RFC 2920: commands that came in one read were sent without waiting.
    if (lines.size() > 1 && plain.size() == lines.size()) {
      text += "!pipeline\n";
      for (const std::string& line : plain) text += "  " + line;
      text += "!end\n";
      return;
    }
    for (const std::string& wire : lines) {
      std::optional<std::string> line = CommandLine(wire);
      text += line ? *line : Raw(log::Side::kClient, wire);
    }
  }

  // RFC 3463 2: class.subject.detail, the class the code's first digit.
  static std::size_t EnhancedLength(std::string_view code, std::string_view t) {
    static const std::regex enhanced("^[245]\\.[0-9]{1,3}\\.[0-9]{1,3}( |$)");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(t.begin(), t.end(), m, enhanced) ||
        t[0] != code[0]) {
      return 0;
    }
    return static_cast<std::size_t>(m.length(0)) - (m[1].length() > 0 ? 1 : 0);
  }

  std::string ReplyLine(std::string_view line) const {
    std::string out = "S: " + std::string(line.substr(0, 3));
    if (line.size() == 3) return out + "\n";
    out += line[3];
    std::string_view t = line.substr(4);
    const std::size_t enhanced = EnhancedLength(line, t);
    if (enhanced > 0) {
      out += t.substr(0, enhanced);
      t.remove_prefix(std::min(t.size(), enhanced + 1));
      if (t.empty()) return out + "\n";
      out += " ";
    }
    if (t.empty()) return out + "\n";
    parser::Glob glob =
        options_.client_under_test
            ? MakeGlob(
                  std::vector<Piece>{{Piece::Kind::kVerbatim, std::string(t)}},
                  {})
            : MakeGlob(MarkVolatile(t), subs_);
    return out + parser::RenderGlob(glob, enhanced == 0) + "\n";
  }

  void Reply(const Item& item) {
    const std::string code = item.lines.front().substr(0, 3);
    if (!options_.client_under_test) {
      if (item.answers.empty() && code == "220") {
        text += "S: 220 ...\n";
        return;
      }
      if (item.answers == "EHLO" && code == "250") {
        text += "S: 250 ...";
        for (std::size_t i = 1; i < item.lines.size(); ++i) {
          std::string_view kw = std::string_view(item.lines[i]);
          kw.remove_prefix(std::min<std::size_t>(kw.size(), 4));
          kw = kw.substr(0, kw.find(' '));
          bool ok = !kw.empty();
          for (char c : kw)
            ok =
                ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
          if (ok) text += " +" + Upper(kw);
        }
        text += "\n";
        return;
      }
    }
    for (const std::string& line : item.lines) text += ReplyLine(line);
  }

  void Message(const Item& item) {
    const std::string& content = item.lines[0];
    if (!item.terminated) {
      text += Raw(log::Side::kClient, content);
      return;
    }
    if (options_.client_under_test) {
      text += "# The message (" + std::to_string(content.size()) +
              " octets) is not compared: a client's Date and Message-ID\n"
              "# change from run to run.\n";
      return;
    }
    // RFC 5321 4.5.2: the lines as sent, a doubled leading dot undone.
    std::vector<std::string> lines;
    std::string_view rest(content);
    bool body = true;
    while (!rest.empty() && body) {
      const std::size_t crlf = rest.find("\r\n");
      std::string_view line = rest.substr(0, crlf);
      body = crlf != std::string_view::npos &&
             line.find_first_of(std::string_view("\r\n\0", 3)) ==
                 std::string_view::npos;
      if (line.starts_with(".")) line.remove_prefix(1);
      std::string written(line);
      if (written.starts_with("\\") || written == "!end")
        written = "\\" + written;
      lines.push_back(written);
      rest.remove_prefix(std::min(rest.size(), crlf + 2));
    }
    if (!body) {
      text += Raw(log::Side::kClient, content + ".\r\n");
      return;
    }
    text += "!body\n";
    for (const std::string& line : lines) text += line + "\n";
    text += "!end\n";
  }

  const Options& options_;
  std::vector<Substitution> subs_;
};

std::string FrontMatter(const Options& options, const Observed& seen) {
  std::string out = "---\nid: " + options.id + "\n";
  if (!options.title.empty()) {
    out += "title: " + parser::DoubleQuote(options.title, false) + "\n";
  }
  out += std::string("tests: ") +
         (options.client_under_test ? "client" : "server") + "\n";
  std::vector<std::string> vars;
  if (!seen.domain.empty()) vars.push_back("domain: " + seen.domain);
  if (!seen.mailbox.empty()) vars.push_back("mailbox: " + seen.mailbox);
  if (!seen.client_domain.empty()) {
    vars.push_back("client_domain: " + seen.client_domain);
  }
  if (!seen.sender.empty()) vars.push_back("sender: " + seen.sender);
  if (!vars.empty()) {
    out += "vars: {";
    for (std::size_t i = 0; i < vars.size(); ++i) {
      out += (i ? ", " : "") + vars[i];
    }
    out += "}\n";
  }
  return out + "---\n";
}

}  // namespace

Result<std::string> Convert(const std::vector<capture::Event>& events,
                            const Options& options) {
  const std::vector<Item> items = Cut(events);
  const Observed seen = Observe(items);
  Writer writer(options, seen);
  writer.text = FrontMatter(options, seen);
  writer.text += "# Recorded by smtpspec record";
  if (!options.source.empty()) writer.text += ": " + options.source;
  writer.text += ".\n";
  writer.Items(items);
  parser::ParseResult parsed = parser::Parse(writer.text, "recorded");
  if (!parsed.scenario) {
    return Error{0, "the recorded session does not make a scenario (" +
                        parser::FormatDiagnostic(parsed.diagnostics.front()) +
                        "); please report it"};
  }
  if (parsed.scenario->steps.empty()) {
    return Error{0,
                 "nothing was recorded: the session had no commands or "
                 "replies"};
  }
  // `delivers` is the steps' to say (parser/delivers.h); written, a reader
  // sees it at the top of the file.
  parsed.scenario->meta.delivers = parser::Delivers(*parsed.scenario);
  return parser::Render(*parsed.scenario);
}

int RunRecord(const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err) {
  static const char kUsage[] =
      "usage: smtpspec record [--tests server|client] [--id ID] "
      "[--title TEXT] [--source TEXT] CAPTURE OUT";
  Options options;
  options.id = "recorded.session";
  std::vector<std::string> files;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool valued =
        a == "--tests" || a == "--id" || a == "--title" || a == "--source";
    if (valued && i + 1 == args.size()) {
      err << "smtpspec record: " << a << " needs a value; " << kUsage << "\n";
      return 2;
    }
    if (a == "--tests") {
      const std::string& v = args[++i];
      if (v != "server" && v != "client") {
        err << "smtpspec record: --tests is server or client, not '" << v
            << "'\n";
        return 2;
      }
      options.client_under_test = v == "client";
    } else if (a == "--id") {
      options.id = args[++i];
    } else if (a == "--title") {
      options.title = args[++i];
    } else if (a == "--source") {
      options.source = args[++i];
    } else if (a.size() > 1 && a[0] == '-') {
      err << "smtpspec record: unknown option '" << a << "'; " << kUsage
          << "\n";
      return 2;
    } else {
      files.push_back(a);
    }
  }
  if (files.size() != 2) {
    err << "smtpspec record: give the capture and the output file; " << kUsage
        << "\n";
    return 2;
  }
  Result<std::string> text = ReadFile(files[0]);
  if (!text.ok()) {
    err << "smtpspec record: " << files[0] << ": " << text.error().reason
        << "\n";
    return 2;
  }
  Result<std::vector<capture::Event>> events = capture::Parse(*text);
  if (!events.ok()) {
    err << "smtpspec record: " << files[0] << ": " << events.error().reason
        << "\n";
    return 2;
  }
  Result<std::string> scenario = Convert(*events, options);
  if (!scenario.ok()) {
    err << "smtpspec record: " << scenario.error().reason << "\n";
    return 2;
  }
  Status written = WriteFileAtomically(files[1], *scenario);
  if (!written.ok()) {
    err << "smtpspec record: " << written.error().reason << "\n";
    return 2;
  }
  out << "wrote " << files[1] << "\n";
  return 0;
}

}  // namespace smtpspec::cli::record
