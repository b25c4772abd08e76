// The body of a transcript, after the front matter: one step a line, plus
// the blocks (!pipeline, !body) and modifiers (!optional, !timeout) that
// span lines. Internal to Parse (parser.h), which feeds it line by line.
#ifndef SMTPSPEC_PARSER_BODY_PARSER_H_
#define SMTPSPEC_PARSER_BODY_PARSER_H_

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.h"
#include "parser/glob_text.h"
#include "parser/reply_text.h"
#include "parser/scenario.h"

namespace smtpspec::parser {

// One line of the file, without its line end.
struct SourceLine {
  std::string_view text;
  int number = 0;          // 1-based
  std::size_t offset = 0;  // of text[0] in the file
};

class BodyParser {
 public:
  // Appends steps to `scenario`, problems to `sink`.
  BodyParser(DiagnosticSink& sink, Scenario& scenario, bool has_front_matter)
      : sink_(sink), scenario_(scenario), has_front_matter_(has_front_matter) {}

  void Feed(const SourceLine& line);
  // Reports what is still open at the end of the file.
  void Finish();
  // Reports every ${name} that is neither a front-matter variable nor a
  // capture defined on an earlier line.
  void CheckVariables();

 private:
  // "A" for the args of a directive, the comment in `*comment`.
  static std::string_view SplitArgs(std::string_view rest,
                                    std::string* comment);
  enum class Block { kNone, kPipeline, kBody };

  struct Modifiers {
    int optional_line = 0;  // 0: not optional
    int timeout_line = 0;
    std::optional<std::chrono::milliseconds> timeout;
    int check_line = 0;  // `!check` or `!rule`
    std::string rule;
    int premise_line = 0;
    std::string premise;
  };

  struct Capture {
    std::string name;
    int line = 0;
  };

  void AddLead(std::string entry);
  void BodyLine(const SourceLine& line);
  void ClientLine(std::string_view text, int line, int column);
  void ServerLine(std::string_view text, int line, int column);
  void RawLine(Party from, std::string_view text, int line, int column);
  void Directive(std::string_view text, int line, int column);
  void Bdat(std::string_view args, int line, int column);
  void SetModifier(std::string_view name, std::string_view args, int line,
                   int column, int args_column);
  void SetRole(std::string_view name, std::string_view args, int line,
               int column, int args_column);
  void OpenBlock(Block block, int line);
  void CloseBlock(int line, int column);
  void NotAStep(std::string_view text, int line, int column);
  void AbandonReply(std::string_view text, int line, int column);
  void FinishReply();

  // Appends a step at `line` that takes the pending lead and modifiers;
  // the caller sets its action.
  Step& AddStep(int line, std::string comment);
  // The !pipeline or !body being read.
  Step& BlockStep();
  void NoteCaptures(const TextPattern& text, int line);

  DiagnosticSink& sink_;
  Scenario& scenario_;
  bool has_front_matter_;
  bool skipping_front_matter_ = false;  // inside a misplaced '---' block

  std::vector<std::string> lead_;
  Modifiers modifiers_;

  Block block_ = Block::kNone;
  int block_line_ = 0;
  std::size_t block_step_ = 0;  // index in scenario_.steps of BlockStep()
  std::vector<std::string> block_lead_;
  int end_lookalike_line_ = 0;  // a body line like "!end # x", for hints

  // A multi-line reply still waiting for its final line: the last step,
  // once its first line was read without error.
  int reply_line_ = 0;
  bool reply_started_ = false;  // it is scenario_.steps.back()
  bool reply_failed_ = false;   // one of its lines had an error
  ReplyPattern reply_scratch_;  // where lines go that are not in a step

  std::vector<VarUse> uses_;
  RegexCache regexes_;
  std::vector<Capture> captures_;
};

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_BODY_PARSER_H_
