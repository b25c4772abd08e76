#include "parser/include.h"

#include <algorithm>
#include <utility>
#include <variant>
#include <vector>

namespace smtpspec::parser {

std::string JoinIncludePath(std::string_view from_file,
                            std::string_view include) {
  std::string joined;
  if (!include.empty() && include[0] == '/') {
    joined = std::string(include);
  } else {
    std::size_t slash = from_file.rfind('/');
    if (slash != std::string_view::npos) {
      joined = std::string(from_file.substr(0, slash + 1));
    }
    joined += include;
  }
  bool absolute = !joined.empty() && joined[0] == '/';
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);
      }
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += "/";
    out += parts[i];
  }
  return out;
}

namespace {

class Resolver {
 public:
  Resolver(Loader& loader, Scenario& out) : loader_(loader), out_(out) {}

  // Moves the steps of `s` (read from `path`) to the end of the output.
  void Expand(Scenario& s, const std::string& path) {
    stack_.push_back(path);
    for (Step& step : s.steps) {
      if (!diagnostics_.empty()) break;  // one broken include is enough
      const Include* inc = std::get_if<Include>(&step.action);
      if (inc == nullptr) {
        const bool included = stack_.size() > 1;
        // The file's own steps are bounded by its size already; the bound
        // is on what includes add, which repetition makes exponential.
        if (included && ++included_ > kMaxResolvedSteps) {
          Fail(path, step.position.line,
               "the included files add more than " +
                   std::to_string(kMaxResolvedSteps) +
                   " steps to the file's own; is a file included over and "
                   "over?");
          break;
        }
        out_.steps.push_back(std::move(step));
        if (included && out_.steps.back().position.file.empty()) {
          out_.steps.back().position.file = path;
        }
        continue;
      }
      ExpandInclude(*inc, path, step.position.line);
    }
    stack_.pop_back();
  }

  std::vector<Diagnostic> Take() { return std::move(diagnostics_); }

 private:
  void Fail(const std::string& file, int line, std::string message) {
    diagnostics_.push_back(Diagnostic{file, line, 1, std::move(message)});
  }

  void ExpandInclude(const Include& inc, const std::string& from, int line) {
    std::string target = JoinIncludePath(from, inc.path);
    if (std::find(stack_.begin(), stack_.end(), target) != stack_.end()) {
      std::string chain;
      for (const std::string& f : stack_) chain += f + " -> ";
      Fail(from, line, "include cycle: " + chain + target);
      return;
    }
    if (static_cast<int>(stack_.size()) >= kMaxIncludeDepth) {
      Fail(from, line,
           "includes nest deeper than " + std::to_string(kMaxIncludeDepth) +
               " files");
      return;
    }
    Result<std::string> text = loader_.Load(target);
    if (!text.ok()) {
      Fail(from, line,
           "cannot include '" + inc.path + "': " + text.error().reason);
      return;
    }
    included_bytes_ += text->size();
    if (included_bytes_ > kMaxIncludedBytes) {
      Fail(from, line,
           "cannot include '" + inc.path +
               "': the included files add up to "
               "more than " +
               std::to_string(kMaxIncludedBytes >> 20) +
               " MiB of text; is a file included over and over?");
      return;
    }
    ParseResult parsed = Parse(*text, target);
    if (!parsed.scenario) {
      Fail(from, line,
           "the included file '" + inc.path + "' has errors (below)");
      for (Diagnostic& d : parsed.diagnostics) {
        diagnostics_.push_back(std::move(d));
      }
      return;
    }
    Merge(parsed.scenario->meta);
    Expand(*parsed.scenario, target);
  }

  void Merge(const Metadata& meta) {
    for (const Var& v : meta.vars) {
      bool known = std::any_of(out_.meta.vars.begin(), out_.meta.vars.end(),
                               [&](const Var& o) { return o.name == v.name; });
      if (!known) out_.meta.vars.push_back(v);
    }
    auto& req = out_.meta.requires_keywords;
    for (const std::string& k : meta.requires_keywords) {
      if (std::find(req.begin(), req.end(), k) == req.end()) req.push_back(k);
    }
  }

  Loader& loader_;
  Scenario& out_;
  std::size_t included_ = 0;        // steps taken from included files
  std::size_t included_bytes_ = 0;  // text read for them
  std::vector<std::string> stack_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace

ParseResult ResolveIncludes(Scenario scenario, const std::string& file,
                            Loader& loader) {
  Scenario out;
  out.meta = std::move(scenario.meta);
  out.tail = std::move(scenario.tail);
  if (std::none_of(scenario.steps.begin(), scenario.steps.end(),
                   [](const Step& s) {
                     return std::holds_alternative<Include>(s.action);
                   })) {
    // Nothing to resolve: the steps stay where they are, without a second
    // array of them.
    out.steps = std::move(scenario.steps);
    return ParseResult{std::move(out), {}};
  }
  out.steps.reserve(scenario.steps.size());
  Resolver resolver(loader, out);
  resolver.Expand(scenario, file);
  std::vector<Diagnostic> diagnostics = resolver.Take();
  if (!diagnostics.empty())
    return ParseResult{std::nullopt, std::move(diagnostics)};
  return ParseResult{std::move(out), {}};
}

}  // namespace smtpspec::parser
