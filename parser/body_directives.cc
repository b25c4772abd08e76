// The body's directives (docs/transcript-format.md, "Directives"): the
// steps written '!name args' (!starttls, !sleep, !bdat ...), the modifiers
// of the next step (!optional, !timeout, !check, !rule, !premise) and the
// blocks (!pipeline, !body ... !end).
#include <algorithm>
#include <string>
#include <utility>

#include "parser/body_parser.h"
#include "parser/duration.h"
#include "parser/raw_string.h"
#include "parser/rule_ids.h"
#include "util/did_you_mean.h"

namespace smtpspec::parser {
namespace {

const std::vector<std::string>& DirectiveNames() {
  static const auto* names = new std::vector<std::string>{
      "bdat",         "body",    "check",    "close",    "end",
      "expect-close", "include", "optional", "pipeline", "premise",
      "rule",         "sleep",   "starttls", "timeout"};
  return *names;
}

}  // namespace

void BodyParser::Directive(std::string_view t, int line, int column) {
  std::size_t end = t.find_first_of(" \t");
  std::string_view name = t.substr(
      1, end == std::string_view::npos ? std::string_view::npos : end - 1);
  std::string_view rest =
      end == std::string_view::npos ? std::string_view() : t.substr(end);
  int args_col = column + static_cast<int>(t.size() - rest.size());
  if (name.empty()) {
    sink_.Add(line, column,
              "expected a directive name after '!', like !starttls");
    return;
  }
  const auto& names = DirectiveNames();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    sink_.Add(line, column,
              "unknown directive '!" + std::string(name) + "'" +
                  util::DidYouMean(name, names, "!"));
    return;
  }
  if (block_ == Block::kPipeline && name != "end") {
    sink_.Add(line, column,
              "only 'C:' lines can be pipelined; close the group with '!end' "
              "first");
    return;
  }
  if (name == "bdat") {
    Bdat(rest, line, args_col);
    return;
  }
  std::string comment;
  std::string_view args = SplitArgs(rest, &comment);
  if (!args.empty()) {
    args_col += static_cast<int>(rest.find(args[0]));
  }
  std::string display = "'!" + std::string(name) + "'";
  bool takes_args = name == "sleep" || name == "timeout" || name == "include" ||
                    name == "rule" || name == "premise";
  if (!takes_args && !args.empty()) {
    sink_.Add(line, args_col, display + " takes no arguments");
    return;
  }
  if (name == "optional" || name == "timeout" || name == "check" ||
      name == "rule" || name == "premise") {
    SetModifier(name, args, line, column, args_col);
  } else if (name == "end") {
    CloseBlock(line, column);
  } else if (name == "pipeline") {
    OpenBlock(Block::kPipeline, line);
  } else if (name == "body") {
    OpenBlock(Block::kBody, line);
  } else if (name == "starttls") {
    AddStep(line, std::move(comment)).action = StartTls{};
  } else if (name == "expect-close") {
    AddStep(line, std::move(comment)).action = ExpectClose{};
  } else if (name == "close") {
    AddStep(line, std::move(comment)).action = Close{};
  } else if (name == "sleep") {
    std::optional<std::chrono::milliseconds> d = ParseDuration(args);
    if (!d) {
      sink_.Add(line, args_col,
                args.empty()
                    ? "'!sleep' needs a duration; " + std::string(kDurationHelp)
                    : "'!sleep " + std::string(args) + "': " + kDurationHelp);
      return;
    }
    AddStep(line, std::move(comment)).action = Sleep{*d};
  } else if (name == "include") {
    if (args.empty()) {
      sink_.Add(line, args_col,
                "'!include' needs a file name, like !include common/ehlo.smtp");
      return;
    }
    if (modifiers_.optional_line != 0 || modifiers_.timeout_line != 0 ||
        modifiers_.check_line != 0 || modifiers_.premise_line != 0) {
      sink_.Add(line, column,
                "'!include' cannot be optional, a check, a premise or have a "
                "timeout; put those on the steps of the included file");
      modifiers_ = Modifiers{};
      return;
    }
    AddStep(line, std::move(comment)).action = Include{std::string(args)};
  }
  if (!comment.empty() &&
      (name == "optional" || name == "timeout" || name == "end" ||
       name == "pipeline" || name == "body" || name == "check" ||
       name == "rule" || name == "premise")) {
    // These lines are not steps of their own, so their comment would be
    // lost by fmt: say so rather than drop it silently.
    sink_.Add(line, column + static_cast<int>(t.find('#', 1)),
              "a comment cannot follow " + display +
                  "; put it on a line of its own above");
  }
}

void BodyParser::SetModifier(std::string_view name, std::string_view args,
                             int line, int column, int args_column) {
  if (name == "optional") {
    if (modifiers_.optional_line != 0) {
      sink_.Add(line, column, "'!optional' is written twice for one step");
      return;
    }
    modifiers_.optional_line = line;
    return;
  }
  if (name == "check" || name == "rule" || name == "premise") {
    SetRole(name, args, line, column, args_column);
    return;
  }
  std::optional<std::chrono::milliseconds> d = ParseDuration(args);
  if (!d || d->count() == 0) {
    std::string why =
        d ? "a timeout must be more than 0" : std::string(kDurationHelp);
    sink_.Add(line, args_column,
              args.empty() ? "'!timeout' needs a duration; " + why
                           : "'!timeout " + std::string(args) + "': " + why);
    return;
  }
  if (modifiers_.timeout_line != 0) {
    sink_.Add(line, column, "'!timeout' is written twice for one step");
    return;
  }
  modifiers_.timeout_line = line;
  modifiers_.timeout = d;
}

// `!check`, `!rule ID` and `!premise TEXT`: what the next step is to the
// scenario (scenario.h, Step::check).
void BodyParser::SetRole(std::string_view name, std::string_view args, int line,
                         int column, int args_column) {
  const bool premise = name == "premise";
  if (modifiers_.check_line != 0 || modifiers_.premise_line != 0) {
    const bool was_premise = modifiers_.premise_line != 0;
    sink_.Add(line, column,
              std::string("'!") + std::string(name) + "' after '!" +
                  (was_premise ? "premise" : "check") + "' (line " +
                  std::to_string(was_premise ? modifiers_.premise_line
                                             : modifiers_.check_line) +
                  "): a step is either one check, under one rule, or a "
                  "premise");
    return;
  }
  if (name == "rule") {
    if (args.empty()) {
      sink_.Add(line, args_column,
                "'!rule' needs a rule id, like !rule "
                "rfc5321/3.3-rcpt-needs-mail (rules/*.tsv)");
      return;
    }
    if (std::optional<std::string> why = UnknownRule(args)) {
      sink_.Add(line, args_column,
                "'!rule " + std::string(args) + "': " + *why);
      return;
    }
    modifiers_.rule = std::string(args);
  }
  if (premise && args.empty()) {
    sink_.Add(line, args_column,
              "'!premise' needs the reason, like !premise the server refuses "
              "an unknown mailbox");
    return;
  }
  if (premise) {
    modifiers_.premise_line = line;
    modifiers_.premise = std::string(args);
  } else {
    modifiers_.check_line = line;
  }
}

void BodyParser::Bdat(std::string_view rest, int line, int column) {
  std::size_t i = rest.find_first_not_of(" \t");
  auto at = [&](std::size_t idx) { return column + static_cast<int>(idx); };
  auto usage = [&](std::size_t idx, std::string why) {
    sink_.Add(line, at(idx),
              why + "; write !bdat SIZE [LAST] [\"data\"] (RFC 3030 2)");
  };
  if (i == std::string_view::npos || rest[i] == '#') {
    usage(rest.size(), "'!bdat' needs the chunk size in bytes");
    return;
  }
  std::size_t end = rest.find_first_of(" \t", i);
  if (end == std::string_view::npos) end = rest.size();
  std::string_view size_text = rest.substr(i, end - i);
  smtpspec::parser::Bdat bdat;
  bool numeric = size_text.size() <= 19 &&
                 std::all_of(size_text.begin(), size_text.end(),
                             [](char c) { return c >= '0' && c <= '9'; });
  if (!numeric) {
    usage(i, "BDAT size '" + std::string(size_text) +
                 "' is not a number of bytes");
    return;
  }
  for (char c : size_text) bdat.size = bdat.size * 10 + (c - '0');
  i = rest.find_first_not_of(" \t", end);
  if (i != std::string_view::npos && rest[i] != '"' && rest[i] != '#') {
    end = rest.find_first_of(" \t", i);
    if (end == std::string_view::npos) end = rest.size();
    std::string word(rest.substr(i, end - i));
    for (char& c : word) c = static_cast<char>(std::toupper(c));
    if (word != "LAST") {
      usage(i, "unexpected '" + std::string(rest.substr(i, end - i)) +
                   "' in '!bdat'");
      return;
    }
    bdat.last = true;
    i = rest.find_first_not_of(" \t", end);
  }
  std::string_view after =
      i == std::string_view::npos ? std::string_view() : rest.substr(i);
  if (!after.empty() && after[0] == '"') {
    std::string_view tail;
    bdat.data = ParseRawString(after, TextAt{line, at(i)}, sink_, uses_, &tail);
    if (!bdat.data) return;
    after = tail;
  } else if (bdat.size > kMaxRawBytes) {
    usage(i == std::string_view::npos ? rest.size() : i,
          "without data, the size is at most " + std::to_string(kMaxRawBytes));
    return;
  }
  std::string comment;
  std::string_view extra = SplitArgs(after, &comment);
  if (!extra.empty()) {
    usage(rest.size() - after.size(), "unexpected text after the data");
    return;
  }
  AddStep(line, std::move(comment)).action = std::move(bdat);
}

void BodyParser::OpenBlock(Block block, int line) {
  block_ = block;
  end_lookalike_line_ = 0;
  block_line_ = line;
  block_lead_.clear();
  // The block is built in place as the last step: no other step can come
  // before its '!end'.
  block_step_ = scenario_.steps.size();
  Step& step = AddStep(line, "");
  if (block == Block::kBody) {
    // Most bodies are a few lines: one allocation instead of three.
    step.action.emplace<Body>().lines.reserve(4);
  } else {
    step.action.emplace<Pipeline>();
  }
}

void BodyParser::CloseBlock(int line, int column) {
  if (block_ == Block::kNone) {
    sink_.Add(line, column,
              "'!end' closes nothing; open a '!pipeline' or '!body' block "
              "first");
    return;
  }
  if (block_ == Block::kPipeline) {
    Pipeline& p = std::get<Pipeline>(BlockStep().action);
    if (p.commands.empty()) {
      sink_.Add(block_line_, 1,
                "an empty '!pipeline' group; put the 'C:' lines to send "
                "together in it");
    }
    while (!block_lead_.empty() && block_lead_.back().empty()) {
      block_lead_.pop_back();
    }
    p.tail = std::move(block_lead_);
    block_lead_.clear();
    if (p.commands.empty()) {
      block_ = Block::kNone;
      scenario_.steps.pop_back();
      return;
    }
  }
  block_ = Block::kNone;
}

}  // namespace smtpspec::parser
