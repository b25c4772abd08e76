// Reading scenario files from disk for the command-line tools: the parser
// itself never touches files (parser/include.h).
#ifndef SMTPSPEC_CLI_SCENARIO_FILES_H_
#define SMTPSPEC_CLI_SCENARIO_FILES_H_

#include <string>

#include "engine/result.h"
#include "parser/include.h"
#include "parser/parser.h"

namespace smtpspec::cli {

// Serves `!include` files from the file system.
class FileLoader : public transcript::Loader {
 public:
  Result<std::string> Load(const std::string& path) override;
};

// Reads `path`, parses it and resolves its includes. A file that cannot
// be read is one diagnostic at line 0.
transcript::ParseResult LoadScenario(const std::string& path);

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_SCENARIO_FILES_H_
