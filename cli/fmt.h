// `fmt [--check] FILE|DIR...`: rewrite transcripts in canonical form
// (parser/render.h). With --check nothing is written; the files that are
// not canonical are listed, for CI.
#ifndef SMTPSPEC_CLI_FMT_H_
#define SMTPSPEC_CLI_FMT_H_

#include <ostream>
#include <string>
#include <vector>

namespace smtpspec::cli {

// Exit status: 0 when all is canonical (or has been rewritten), 1 when
// --check found files to reformat (listed on `out`) or a file has errors
// (listed on `out`, the file left alone), 2 on a usage error.
int RunFmt(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_FMT_H_
