// `fmt [--check] FILE|DIR...`: rewrite transcripts in canonical form
// (parser/render.h). With --check nothing is written; each file that is
// not canonical is shown as a unified diff to its canonical form
// (util/unified_diff.h), for CI. A last line sums up: "fmt: 181 files, all
// formatted", "fmt: 3 files, 1 reformatted", "fmt: 1 of 3 files would be
// reformatted".
#ifndef SMTPSPEC_CLI_FMT_H_
#define SMTPSPEC_CLI_FMT_H_

#include <ostream>
#include <string>
#include <vector>

namespace smtpspec::cli {

// Exit status: 0 when all is canonical (or has been rewritten), 1 when
// --check found files to reformat (their diffs on `out`) or a file has errors
// (listed on `out`, the file left alone), 2 on a usage error.
int RunFmt(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_FMT_H_
