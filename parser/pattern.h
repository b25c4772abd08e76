// Patterns over SMTP lines, as written in transcripts
// (docs/transcript-format.md).
//
// Everything here is pure data, built once by the parser and read many times
// by the matcher (match.h), the renderer (render.h) and the interpreter. A
// pattern is never re-parsed at match time: globs are already split into
// segments, codes into fixed-width alternatives and regexes are already
// compiled. A long transcript holds millions of these, so the common cases
// (one code, a short literal) allocate as little as possible.
#ifndef SMTPSPEC_PARSER_PATTERN_H_
#define SMTPSPEC_PARSER_PATTERN_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <variant>
#include <vector>

namespace smtpspec::parser {

// One piece of a glob or of a raw byte string.
struct Segment {
  enum class Kind {
    kLiteral,   // `text` matches (or is sent) exactly
    kVariable,  // ${text}: the value of a variable or capture
    kAnyRun,    // `*`: any run of bytes, possibly empty
    kAnyByte,   // `?`: exactly one byte
  };
  Kind kind = Kind::kLiteral;
  std::string text;
  // kAnyByte: how many bytes in a row. A run of wildcards is at most two
  // segments, whatever its length (`?*??` is three kAnyByte, then one
  // kAnyRun), so a line of a million `*` costs what one does.
  std::size_t count = 1;

  bool operator==(const Segment&) const = default;
};

// Literal text with ${var} references and the wildcards `*` and `?`.
// Adjacent literals are always merged, and a run of wildcards is always
// kAnyByte (count: the `?`s) then kAnyRun (if any `*`), so equal globs have
// equal segments.
struct Glob {
  std::vector<Segment> segments;

  bool operator==(const Glob&) const = default;
};

// What a regex's source and flags compile to.
struct CompiledRegex {
  std::regex regex;  // named groups rewritten as plain groups
  // Name of each capture group, in group order; "" for unnamed groups.
  std::vector<std::string> group_names;
};

// A /regex/ as written, compiled at parse time (ECMAScript grammar, in
// libstdc++'s polynomial mode so that no subject can make it backtrack
// exponentially). Named groups `(?<name>...)` become captures.
struct Regex {
  std::string source;  // between the slashes, exactly as written
  bool icase = false;  // the `i` flag
  // Immutable and shared: copies of a scenario, and every use of the same
  // regex in one file, share one compiled form.
  std::shared_ptr<const CompiledRegex> compiled;

  // Two regexes are the same pattern when they are written the same way;
  // the compiled form follows from the source.
  bool operator==(const Regex& other) const {
    return source == other.source && icase == other.icase;
  }
};

// Text in a C: or S: line: a glob or a regex.
using TextPattern = std::variant<Glob, Regex>;

// A C: line. The verb, and the FROM:/TO: keyword of MAIL and RCPT, match
// case-insensitively (RFC 5321 2.4); the rest of a glob matches exactly.
// A regex matches the whole line as written (use the `i` flag to ignore case).
struct CommandPattern {
  TextPattern text;

  bool operator==(const CommandPattern&) const = default;
};

// Reply code alternatives, written `250|251`: each three characters that
// are a digit or 'x' ("250", "2xx", "25x"), joined by '|', with 'X'
// lowered. Alternative i is text.substr(4 * i, 3). One string rather than
// a vector of them, so that the usual single code needs no allocation.
struct CodePattern {
  std::string text;

  bool operator==(const CodePattern&) const = default;
};

// An enhanced status code pattern (RFC 3463 2): class.subject.detail, each
// either a number or 'x' (nullopt) for "any".
struct EnhancedPattern {
  std::optional<int> klass;
  std::optional<int> subject;
  std::optional<int> detail;

  bool operator==(const EnhancedPattern&) const = default;
};

// One line of a reply pattern.
struct ReplyLine {
  enum class Kind {
    kLine,      // exactly one reply line
    kAnyLines,  // `...`: zero or more lines with any text
  };
  Kind kind = Kind::kLine;
  std::optional<EnhancedPattern> enhanced;  // kLine only
  std::optional<TextPattern> text;          // kLine only; nullopt: any text
  std::string comment;  // "# ..." after the line, for fmt; never matched

  bool operator==(const ReplyLine&) const = default;
};

// A whole reply, single- or multi-line (RFC 5321 4.2.1). Every line shares
// `code`. `lines` is never empty, its last element is a kLine (the final
// line), and no two kAnyLines are adjacent. `S: 250 ...` is the pair
// {kAnyLines, kLine with no text}.
struct ReplyPattern {
  CodePattern code;
  std::vector<ReplyLine> lines;
  // EHLO keywords (RFC 5321 4.1.1.1) that some line after the first must
  // (`+KW`) or must not (`-KW`) start with, compared case-insensitively.
  // Only written after `...` on the final line.
  std::vector<std::string> has_keywords;
  std::vector<std::string> lacks_keywords;

  bool operator==(const ReplyPattern&) const = default;
};

// A piece of a raw byte string ("..." after C! or S!, and BDAT data).
struct RawPiece {
  enum class Kind {
    kBytes,     // `text`, escapes already decoded
    kRepeat,    // \{count}: `text` (one byte) repeated `count` times
    kVariable,  // ${text}
  };
  Kind kind = Kind::kBytes;
  std::string text;
  std::uint32_t count = 1;  // kRepeat only, >= 2

  bool operator==(const RawPiece&) const = default;
};

// Raw bytes, kept compact: a 10 MB line is one kRepeat piece, not 10 MB.
// Adjacent kBytes pieces are always merged.
struct RawBytes {
  std::vector<RawPiece> pieces;

  bool operator==(const RawBytes&) const = default;
};

}  // namespace smtpspec::parser

#endif  // SMTPSPEC_PARSER_PATTERN_H_
