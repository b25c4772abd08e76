// A ScenarioResult as one line of JSON (schema: docs/results-schema.md).
#ifndef SMTPSPEC_INTERPRETER_RESULT_JSON_H_
#define SMTPSPEC_INTERPRETER_RESULT_JSON_H_

#include <optional>
#include <string>
#include <string_view>

#include "interpreter/result.h"
#include "parser/scenario.h"

namespace smtpspec::interp {

// "OK", "NON-STRICT", "UNIMPLEMENTED", "FAILED", "SKIPPED", "ERROR".
std::string_view VerdictName(Verdict verdict);

// "MUST", "SHOULD" or "MAY" (MUST when the front matter says nothing).
std::string_view LevelName(const std::optional<parser::Level>& level);
// "server", "client" or "both" (server when the front matter says nothing).
std::string_view TestsName(const std::optional<parser::UnderTest>& tests);
// "none", "starttls" or "implicit".
std::string_view TlsName(TargetTls tls);

// One JSON object, no newline inside. Wire bytes map byte-for-code-point
// (0x00-0xFF to U+0000-U+00FF), so nothing is lost; other text that is not
// valid UTF-8 gets U+FFFD for each bad byte.
std::string ToJson(const ScenarioResult& result);

// A scenario's metadata (the "scenario" object of a result, plus
// "description", "requires", "vars", "steps" and its canonical "text"), for
// `smtpspec list` and `smtpspec explain`.
std::string ScenarioJson(const parser::Scenario& scenario,
                         std::string_view file, std::string_view text);

}  // namespace smtpspec::interp

#endif  // SMTPSPEC_INTERPRETER_RESULT_JSON_H_
