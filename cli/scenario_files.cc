#include "cli/scenario_files.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace smtpspec::cli {

// Scenario files are small; anything bigger is not one (and must not make
// the tools allocate without bound).
constexpr std::size_t kMaxFileBytes = 64 * 1024 * 1024;

Result<std::string> FileLoader::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{0, std::strerror(errno)};
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) return Error{0, "not a regular file"};
  if (static_cast<std::size_t>(size) > kMaxFileBytes) {
    return Error{0, "larger than 64 MiB; not a scenario"};
  }
  in.seekg(0);
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), size);
  if (!in) return Error{0, "read failed"};
  return text;
}

transcript::ParseResult LoadScenario(const std::string& path) {
  FileLoader loader;
  Result<std::string> text = loader.Load(path);
  if (!text.ok()) {
    transcript::ParseResult result;
    result.diagnostics.push_back(transcript::Diagnostic{
        path, 0, 0, "cannot read: " + text.error().reason});
    return result;
  }
  transcript::ParseResult parsed = transcript::Parse(*text, path);
  if (!parsed.scenario) return parsed;
  return transcript::ResolveIncludes(*parsed.scenario, path, loader);
}

}  // namespace smtpspec::cli
