// Files for the command-line tools: bounded reads, the filesystem Loader
// for !include, and turning FILE|DIR arguments into a list of transcripts.
#ifndef SMTPSPEC_CLI_FILES_H_
#define SMTPSPEC_CLI_FILES_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "engine/result.h"
#include "parser/include.h"
#include "parser/parser.h"

namespace smtpspec::cli {

// Transcripts are small; anything bigger is a mistake, not a scenario.
inline constexpr std::size_t kMaxFileBytes = 64u << 20;

// The whole file, or why not ("no such file", "larger than 64 MiB").
Result<std::string> ReadFile(const std::string& path);

// Writes `contents` to `path` atomically (a temporary file, then rename),
// so an interrupted fmt never leaves half a transcript.
Status WriteFileAtomically(const std::string& path,
                           const std::string& contents);

// Every file argument as is, and every *.smtp file under each directory
// argument (recursively, sorted). An argument that does not exist is an
// error.
Result<std::vector<std::string>> CollectTranscripts(
    const std::vector<std::string>& args);

// `smtpspec_cli files FILE|DIR...`: what CollectTranscripts() makes of the
// arguments, one path a line, so that the runner expands folders as every
// subcommand here does. Exit codes: 0, 2 usage error (one line on `err`).
int RunFiles(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err);

// "1 file", "181 files": for the one-line summaries of lint and fmt.
std::string Files(std::size_t count);

// Loads included files from disk, only from inside `root` (an include of
// /etc/shadow or ../../x is refused): a scenario is data that people share,
// and running one must not read files it has no business with. The check is
// on the path as written, "." and ".." folded; a symbolic link inside the
// root is followed, since it was put there on purpose (and Bazel's runfiles
// are made of them).
class FileLoader : public parser::Loader {
 public:
  explicit FileLoader(std::string root) : root_(std::move(root)) {}
  Result<std::string> Load(const std::string& path) override;

 private:
  std::string root_;
};

// The folder the includes of the transcript at `path` must stay in: the
// current folder when `path` is inside it (so a corpus may share files
// between its folders), otherwise the folder of `path`.
std::string IncludeRoot(const std::string& path);

// Reads, parses and resolves the includes of the transcript at `path`. A
// file that cannot be read is one diagnostic at path:1:1.
parser::ParseResult LoadTranscript(const std::string& path);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_FILES_H_
