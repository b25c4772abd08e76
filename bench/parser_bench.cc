// Transcript parser throughput, beside the bound a plain memchr line split
// of the same buffer sets. Run optimised:
//   bazel run -c opt //bench:parser_bench
// Goal (issue 4): at least 100 MB/s on the synthetic 50 MB transcript.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "parser/parser.h"

namespace {

namespace fs = std::filesystem;
using smtpspec::transcript::Parse;
using smtpspec::transcript::ParseResult;

// One transaction of a typical scenario, with numbers varied so that no
// two blocks are byte-identical; about one in fifty has a capturing regex.
std::string Block(int i) {
  std::string n = std::to_string(i);
  std::string b;
  b += "# transaction " + n + "\n";
  b += "C: MAIL FROM:<sender" + n + "@${domain}> SIZE=" + n + "\n";
  b += "S: 250 2.1.0 *\n";
  b += "C: RCPT TO:<rcpt" + n + "@example.org>\n";
  b += "S: 250|251 2.1.5 *\n";
  b += "C: DATA\n";
  b += "S: 354 *\n";
  b += "!body\n";
  b += "Subject: message " + n + "\n\n";
  b += "Line one of message " + n + ", which is long enough to be a line.\n";
  b += ".a dot-stuffed line\n";
  b += "!end\n";
  if (i % 50 == 0) {
    b += "S: 250 2.0.0 /queued as (?<qid>[A-Z0-9]+)/\n";
  } else {
    b += "S: 250 2.0.0 Ok: queued as " + n + "\n";
  }
  b += "C: RSET\n";
  b += "S: 250 *\n";
  b += "C: EHLO client" + n + ".${domain}\n";
  b += "S: 250-*\n";
  b += "S: 250 ... +PIPELINING +SIZE\n";
  b += "C! \"NOOP " + n + "\\r\\n\"\n\n";
  return b;
}

const std::string& Synthetic() {
  static const std::string* text = [] {
    auto* s = new std::string(
        "---\nid: bench.synthetic\ntitle: A long transcript\n"
        "vars: {domain: example.org}\n---\nS: 220 *\n");
    for (int i = 0; s->size() < (50u << 20); ++i) *s += Block(i);
    return s;
  }();
  return *text;
}

std::vector<std::string> Corpus() {
  std::vector<std::string> files;
  if (!fs::exists("scenarios")) return files;
  for (const auto& e : fs::recursive_directory_iterator("scenarios")) {
    if (e.path().extension() != ".smtp") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files.push_back(ss.str());
  }
  return files;
}

// The floor every line-oriented reader pays: finding the line ends.
void BM_MemchrLineSplit(benchmark::State& state) {
  const std::string& text = Synthetic();
  for (auto _ : state) {
    std::size_t lines = 0;
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
      const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      if (nl == nullptr) break;
      p = static_cast<const char*>(nl) + 1;
      ++lines;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_MemchrLineSplit)->Unit(benchmark::kMillisecond);

void BM_ParseSynthetic50MB(benchmark::State& state) {
  const std::string& text = Synthetic();
  std::size_t steps = 0;
  for (auto _ : state) {
    ParseResult r = Parse(text, "synthetic.smtp");
    if (!r.scenario) {
      state.SkipWithError("the synthetic transcript does not parse");
      return;
    }
    steps = r.scenario->steps.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["steps"] = static_cast<double>(steps);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ParseSynthetic50MB)->Unit(benchmark::kMillisecond);

void BM_ParseCorpus(benchmark::State& state) {
  static const std::vector<std::string> corpus = Corpus();
  if (corpus.empty()) {
    state.SkipWithError("no scenarios/ in the runfiles");
    return;
  }
  std::size_t bytes = 0;
  for (const std::string& f : corpus) bytes += f.size();
  for (auto _ : state) {
    for (const std::string& f : corpus) {
      ParseResult r = Parse(f, "corpus.smtp");
      benchmark::DoNotOptimize(r);
    }
  }
  state.counters["files"] = static_cast<double>(corpus.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ParseCorpus)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
