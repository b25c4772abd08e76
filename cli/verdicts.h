// What a verdict means for the run: which results and incidental findings
// fail it (exit status 1), with and without --strict. The table is data,
// cli/verdicts.json, compiled in at build time; reports/outcome.py reads
// the same file, so `smtpspec_cli run` and `smtpspec run` cannot disagree.
#ifndef SMTPSPEC_CLI_VERDICTS_H_
#define SMTPSPEC_CLI_VERDICTS_H_

#include <string_view>

namespace smtpspec::cli {

// Whether a result with this verdict ("FAILED", as in the results) fails
// the run. A verdict the table does not know fails it.
bool VerdictFails(std::string_view verdict, bool strict);

// Whether an incidental finding of this level ("MUST") fails the run: as
// the verdict the table gives its level. A level it does not know fails.
bool IncidentalFails(std::string_view level, bool strict);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_VERDICTS_H_
