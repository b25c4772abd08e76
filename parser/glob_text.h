// The text of C: and S: lines: globs with escapes and ${var} references
// (docs/transcript-format.md, "Text and escapes"), and the comment that may
// end a line.
#ifndef SMTPSPEC_PARSER_GLOB_TEXT_H_
#define SMTPSPEC_PARSER_GLOB_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.h"
#include "parser/pattern.h"

namespace smtpspec::parser {

// A ${name} written in the file, checked once the whole file is read.
struct VarUse {
  std::string name;
  int line = 0;
  int column = 0;
};

// Where the text handed to a parsing function starts in the file.
struct TextAt {
  int line = 0;
  int column = 0;  // column of text[0]
};

// True for names a ${...} may hold: a letter or '_', then letters, digits
// and '_'.
bool IsVarName(std::string_view name);

// Index of the '#' that starts a trailing comment: one at the start of
// `text` or after a space or tab, not escaped by a backslash. npos if none.
// `text` must start right after whitespace (as after "C: ").
std::size_t FindComment(std::string_view text);

// `text` without trailing spaces and tabs, except escaped ones ("a\ ").
std::string_view TrimTrailing(std::string_view text);

// `text` without trailing spaces and tabs (for comments, where a backslash
// escapes nothing).
std::string_view TrimRight(std::string_view text);

// Parses glob text. Errors go to `sink`; each ${name} is appended to
// `uses`. nullopt when the text had errors.
std::optional<Glob> ParseGlob(std::string_view text, TextAt at,
                              DiagnosticSink& sink, std::vector<VarUse>& uses);

// Writes a glob back, escaping what ParseGlob would otherwise read
// differently. With `escape_leading_status`, text that starts like an
// enhanced status code ("2.0.0 ...") or like "..." is escaped too, for S:
// lines whose pattern has no enhanced code.
std::string RenderGlob(const Glob& glob, bool escape_leading_status);

// True if `token` has the shape of an enhanced status code: three groups of
// one to three digits or 'x', joined by dots ("5.1.1", "2.x.x").
bool LooksLikeEnhancedStatus(std::string_view token);

// True if the glob has no wildcard: it stands for one line.
bool IsLiteralGlob(const Glob& glob);

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_GLOB_TEXT_H_
