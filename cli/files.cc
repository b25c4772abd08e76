#include "cli/files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>

#include "parser/delivers.h"

namespace smtpspec::cli {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return Error{0, "it is a directory"};
  std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return Error{0, ec.message()};
  if (size > kMaxFileBytes) {
    return Error{
        0, "it is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{0, std::strerror(errno)};
  std::string data(static_cast<std::size_t>(size), '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  data.resize(static_cast<std::size_t>(in.gcount()));
  return data;
}

Status WriteFileAtomically(const std::string& path,
                           const std::string& contents) {
  std::string tmp = path + ".smtpspec-fmt.tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << contents;
    out.flush();
    if (!out) return Error{0, "cannot write " + tmp};
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Error{0, "cannot replace " + path};
  }
  return OkStatus();
}

std::string Files(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " file" : " files");
}

Result<std::vector<std::string>> CollectTranscripts(
    const std::vector<std::string>& args) {
  std::vector<std::string> files;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(arg, ec), end; !ec && it != end;
           it.increment(ec)) {
        if (it->path().extension() == ".smtp" && it->is_regular_file(ec)) {
          found.push_back(it->path().string());
        }
      }
      if (ec) return Error{0, arg + ": " + ec.message()};
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(arg, ec)) {
      files.push_back(arg);
    } else {
      return Error{0, arg + ": no such file or directory"};
    }
  }
  return files;
}

int RunFiles(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) {
  for (const std::string& arg : args) {
    if (arg.starts_with("--")) {
      err << "smtpspec_cli files: unknown flag " << arg << "\n";
      return 2;
    }
  }
  Result<std::vector<std::string>> files = CollectTranscripts(args);
  if (!files.ok()) {
    err << "smtpspec_cli files: " << files.error().reason << "\n";
    return 2;
  }
  for (const std::string& file : *files) out << file << "\n";
  return 0;
}

namespace {

fs::path Normal(const std::string& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  return (ec ? fs::path(path) : abs).lexically_normal();
}

bool Inside(const fs::path& path, const fs::path& root) {
  fs::path rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

std::string IncludeRoot(const std::string& path) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  fs::path file = Normal(path);
  if (!ec && Inside(file, cwd.lexically_normal())) return cwd.string();
  return file.parent_path().string();
}

Result<std::string> FileLoader::Load(const std::string& path) {
  if (!Inside(Normal(path), fs::path(root_).lexically_normal())) {
    return Error{0, "it is outside " + root_ +
                        " (includes stay inside the current folder, or the "
                        "folder of a scenario run from outside it)"};
  }
  Result<std::string> r = ReadFile(path);
  if (!r.ok() && r.error().reason == std::generic_category().message(ENOENT)) {
    return Error{0, "no such file"};
  }
  return r;
}

parser::ParseResult LoadTranscript(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) {
    parser::ParseResult result;
    result.diagnostics.push_back(parser::Diagnostic{
        path, 1, 1, "cannot read the file: " + text.error().reason});
    return result;
  }
  parser::ParseResult parsed = parser::Parse(*text, path);
  if (!parsed.scenario) return parsed;
  std::string().swap(*text);  // the scenario owns all it needs of the text
  FileLoader loader(IncludeRoot(path));
  parser::ParseResult resolved =
      parser::ResolveIncludes(std::move(*parsed.scenario), path, loader);
  if (!resolved.scenario || !resolved.scenario->meta.delivers) {
    return resolved;
  }
  // A `delivers:` written in the front matter must say what the steps do.
  const parser::Step* step = parser::DeliveringStep(*resolved.scenario);
  if (*resolved.scenario->meta.delivers != (step != nullptr)) {
    resolved.diagnostics.push_back(parser::Diagnostic{
        path, step ? step->position.line : 1, 1,
        step ? std::string("the front matter says 'delivers: false', but "
                           "this step may complete a mail transaction")
             : std::string("the front matter says 'delivers: true', but no "
                           "step completes a mail transaction (a !body or "
                           "raw content after DATA, or !bdat ... last)")});
    resolved.scenario.reset();
  }
  return resolved;
}

}  // namespace smtpspec::cli
