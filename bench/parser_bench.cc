// Transcript parser throughput (issue 4), beside the bound a plain memchr
// line split of the same buffer sets. Run optimised:
//
//   bazel run -c opt //bench:parser_bench
//
// Goal: Parse and the freeing of its result at least 100 MB/s on the
// synthetic 50 MB transcript (about 1.65 M steps, 30 bytes a step), with
// memory warm, in a process set up as the smtpspec binaries set theirs up
// (cli::TuneAllocatorForParsing: glibc's fastbins off). After the usual
// Google Benchmark output a table puts side by side, in MB of input per CPU
// second:
//   synthetic/warm   Parse of the 50 MB transcript, result freed (the two
//                    also timed apart: parse_ms, free_ms), with the
//                    allocator keeping its pages between iterations, as in a
//                    process that parses file after file
//   synthetic/warm/glibc-defaults
//                    the same with glibc's allocator as it comes (fastbins
//                    on): what the tuning is worth
//   synthetic/cold   the same as warm, but every page handed back to the
//                    kernel first, as in a one-shot `smtpspec lint`: each
//                    parse faults its memory in again
//   corpus           every file of scenarios/, parsed one after the other
//   front_matter     the YAML front matter of those files alone, read by
//                    yaml-cpp: most of the corpus's time
//   memchr           the line split of the synthetic buffer: the speed limit
//   fresh pages      touching newly mapped memory, one byte a page: what a
//                    page fault costs on this machine, which is what cold
//                    adds to warm
// and the memory one 50 MB parse holds (heap allocated, reserved capacity
// included, and peak RSS growth), relative to the input. CPU time is measured,
// so other load on the machine matters less; on a busy machine add
// --benchmark_repetitions=3 and the table uses medians.
#include <malloc.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "cli/allocator.h"
#include "parser/diagnostic.h"
#include "parser/front_matter.h"
#include "parser/parser.h"

namespace smtpspec::bench {
namespace {

namespace fs = std::filesystem;
using parser::Parse;
using parser::ParseResult;

constexpr std::size_t kSyntheticBytes = 50u << 20;
constexpr std::size_t kPage = 4096;
constexpr std::size_t kFreshBytes = 64u << 20;
// How the allocator is set up for a benchmark: as the smtpspec binaries
// set it up, or as glibc comes. mallopt merges what the fastbins hold
// before it changes them, so a benchmark can switch.
enum class Allocator { kAsShipped, kGlibcDefaults };

void SetUpAllocator(Allocator allocator) {
  if (allocator == Allocator::kAsShipped) {
    cli::TuneAllocatorForParsing();
  } else {
    cli::RestoreAllocatorDefaults();
  }
}

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

std::string Synthetic() {
  std::string s =
      "---\nid: bench.synthetic\ntitle: A long transcript\n"
      "vars: {domain: example.org}\n---\nS: 220 *\n";
  s.reserve(kSyntheticBytes + 1024);
  for (int i = 0; s.size() < kSyntheticBytes; ++i) s += Block(i);
  return s;
}

// Every scenario of the corpus, as the runfiles have them (the data of
// //bench:parser_bench: //scenarios:corpus and //scenarios/examples:files).
// A file that does not parse is named, with its first problem: the corpus
// is meant to be clean, and a failing file measures the error path.
std::vector<std::string> Corpus() {
  std::vector<std::string> files;
  if (!fs::exists("scenarios")) return files;
  for (const auto& e : fs::recursive_directory_iterator("scenarios")) {
    if (e.path().extension() != ".smtp") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files.push_back(ss.str());
    ParseResult r = Parse(files.back(), e.path().string());
    if (!r.scenario && !r.diagnostics.empty()) {
      std::fprintf(stderr, "corpus file does not parse: %s\n",
                   parser::FormatDiagnostic(r.diagnostics[0]).c_str());
    }
  }
  return files;
}

std::size_t TotalSize(const std::vector<std::string>& files) {
  std::size_t bytes = 0;
  for (const std::string& f : files) bytes += f.size();
  return bytes;
}

// The floor every line-oriented reader pays: finding the line ends.
void MemchrLineSplit(benchmark::State& state, const std::string& text) {
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
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}

// Maps fresh memory and touches each page once: the page-fault cost that a
// cold parse pays for every page of its result.
void FreshPages(benchmark::State& state) {
  for (auto _ : state) {
    void* m = mmap(nullptr, kFreshBytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
      state.SkipWithError("mmap failed");
      return;
    }
    auto* p = static_cast<volatile char*>(m);
    for (std::size_t i = 0; i < kFreshBytes; i += kPage) p[i] = 1;
    munmap(m, kFreshBytes);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kFreshBytes));
}

double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Parses `text` and frees the result, every iteration; the counters split
// the CPU time between the two. Cold hands the allocator's free pages back
// to the kernel before each (untimed), so that the parse faults them in
// again.
void ParseSynthetic(benchmark::State& state, const std::string& text, bool cold,
                    Allocator allocator) {
  SetUpAllocator(allocator);
  std::size_t steps = 0;
  double parse_s = 0;
  double free_s = 0;
  // One untimed parse, so that a warm run starts with its pages.
  if (!cold) benchmark::DoNotOptimize(Parse(text, "synthetic.smtp"));
  for (auto _ : state) {
    if (cold) {
      state.PauseTiming();
      malloc_trim(0);
      state.ResumeTiming();
    }
    double t0 = CpuSeconds();
    {
      ParseResult r = Parse(text, "synthetic.smtp");
      parse_s += CpuSeconds() - t0;
      if (!r.scenario) {
        state.SkipWithError("the synthetic transcript does not parse");
        return;
      }
      steps = r.scenario->steps.size();
      benchmark::DoNotOptimize(r);
      t0 = CpuSeconds();
    }
    free_s += CpuSeconds() - t0;
  }
  state.counters["steps"] = static_cast<double>(steps);
  state.counters["parse_ms"] =
      benchmark::Counter(parse_s * 1e3, benchmark::Counter::kAvgIterations);
  state.counters["free_ms"] =
      benchmark::Counter(free_s * 1e3, benchmark::Counter::kAvgIterations);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}

void ParseCorpus(benchmark::State& state,
                 const std::vector<std::string>& corpus) {
  if (corpus.empty()) {
    state.SkipWithError("no scenarios/ in the runfiles");
    return;
  }
  SetUpAllocator(Allocator::kAsShipped);
  std::size_t failed = 0;
  for (auto _ : state) {
    failed = 0;
    for (const std::string& f : corpus) {
      ParseResult r = Parse(f, "corpus.smtp");
      failed += !r.scenario;
      benchmark::DoNotOptimize(r);
    }
  }
  state.counters["files"] = static_cast<double>(corpus.size());
  state.counters["failed"] = static_cast<double>(failed);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(TotalSize(corpus)));
}

// The text between a file's '---' lines, or "" when it has none.
std::string_view FrontMatterOf(std::string_view file) {
  if (file.substr(0, 4) != "---\n") return {};
  std::size_t end = file.find("\n---", 3);
  return end == std::string_view::npos ? std::string_view()
                                       : file.substr(4, end - 3);
}

// ParseFrontMatter alone on every file's front matter; bytes are those of
// the whole files, so that the figure compares with the corpus row.
void ParseCorpusFrontMatter(benchmark::State& state,
                            const std::vector<std::string>& corpus) {
  if (corpus.empty()) {
    state.SkipWithError("no scenarios/ in the runfiles");
    return;
  }
  SetUpAllocator(Allocator::kAsShipped);
  std::size_t yaml_bytes = 0;
  for (const std::string& f : corpus) yaml_bytes += FrontMatterOf(f).size();
  for (auto _ : state) {
    for (const std::string& f : corpus) {
      parser::DiagnosticSink sink("corpus.smtp");
      benchmark::DoNotOptimize(
          parser::ParseFrontMatter(FrontMatterOf(f), 2, sink));
    }
  }
  state.counters["yaml_bytes"] = static_cast<double>(yaml_bytes);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(TotalSize(corpus)));
}

// What one parse of `text` holds and how far it raises the peak RSS, in
// bytes. Measured once, before the benchmarks raise the peak themselves.
struct Memory {
  std::size_t heap = 0;      // allocated and not freed while the result lives
  std::size_t peak_rss = 0;  // growth of the process's peak resident set
};

std::size_t PeakRssBytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<std::size_t>(u.ru_maxrss) * 1024;  // KiB on Linux
}

std::size_t HeapInUse() {
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;  // small blocks + mmapped blocks
}

Memory MeasureOneParse(const std::string& text) {
  Memory m;
  std::size_t rss_before = PeakRssBytes();
  std::size_t heap_before = HeapInUse();
  {
    ParseResult r = Parse(text, "synthetic.smtp");
    std::size_t heap_after = HeapInUse();
    m.heap = heap_after > heap_before ? heap_after - heap_before : 0;
    m.peak_rss = PeakRssBytes() - rss_before;
  }
  return m;
}

// The console output as usual, and the counters of each benchmark kept for
// the summary.
class Reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    // With --benchmark_repetitions the median is kept, else the one run.
    for (const Run& run : runs) {
      const std::string& name = run.run_name.function_name;
      if (run.run_type == Run::RT_Iteration ? !medians_.contains(name)
                                            : run.aggregate_name == "median") {
        for (const auto& [key, counter] : run.counters) {
          counters_[name][key] = counter.value;
        }
        if (run.run_type == Run::RT_Aggregate) medians_.insert(name);
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // Counter `key` of benchmark `name`, or 0 when it did not run.
  double Get(const std::string& name, const std::string& key) const {
    auto it = counters_.find(name);
    if (it == counters_.end()) return 0;
    auto c = it->second.find(key);
    return c == it->second.end() ? 0 : c->second;
  }

  // MB/s (10^6 bytes) of `name`, or 0 when it did not run.
  double MBps(const std::string& name) const {
    return Get(name, "bytes_per_second") / 1e6;
  }

 private:
  std::map<std::string, std::map<std::string, double>> counters_;
  std::set<std::string> medians_;
};

constexpr double kGoalMBps = 100;

void PrintSummary(const Reporter& reporter, std::size_t synthetic_bytes,
                  std::size_t corpus_files, std::size_t corpus_bytes,
                  const Memory& memory) {
  const double memchr = reporter.MBps("memchr");
  const double mb = synthetic_bytes / 1e6;
  std::printf(
      "\nMB of input per CPU second. 'parse+free' is Parse and freeing its "
      "result (the goal's\nmeasure), 'parse' the Parse call alone; ratio is "
      "parse+free over the memchr line split\nof the synthetic buffer, the "
      "speed limit of any line reader.\n");
  std::printf("%-30s %8s %11s %8s %8s %8s  %s\n", "input", "MB", "parse+free",
              "parse", "memchr", "ratio", "goal >= 100 MB/s");
  struct Row {
    const char* label;
    const char* name;
    double mb;
    bool goal;
  };
  for (const Row& row : {
           Row{"synthetic, warm", "synthetic/warm", mb, true},
           Row{"synthetic, warm, glibc defaults",
               "synthetic/warm/glibc-defaults", mb, false},
           Row{"synthetic, cold", "synthetic/cold", mb, false},
           Row{"corpus", "corpus", corpus_bytes / 1e6, false},
           Row{"corpus, front matter alone", "front_matter", corpus_bytes / 1e6,
               false},
       }) {
    const double both = reporter.MBps(row.name);
    if (both == 0) continue;
    const double parse_ms = reporter.Get(row.name, "parse_ms");
    std::string parse =
        parse_ms > 0
            ? std::to_string(static_cast<int>(row.mb / (parse_ms / 1e3) + 0.5))
            : "-";
    std::printf("%-30s %8.2f %11.1f %8s %8.0f %8.4f  %s\n", row.label, row.mb,
                both, parse.c_str(), memchr, memchr > 0 ? both / memchr : 0.0,
                !row.goal           ? "(not the goal's measure)"
                : both >= kGoalMBps ? "met"
                                    : "NOT MET");
  }
  if (reporter.MBps("corpus") > 0) {
    std::printf("  corpus: %zu files, each with YAML front matter\n",
                corpus_files);
  }
  const double corpus_mbps = reporter.MBps("corpus");
  const double yaml_mbps = reporter.MBps("front_matter");
  if (corpus_mbps > 0 && yaml_mbps > corpus_mbps) {
    // Seconds per MB of the whole files: the corpus's, less yaml-cpp's.
    const double body_mbps = 1 / (1 / corpus_mbps - 1 / yaml_mbps);
    std::printf(
        "  front matter (%.0f bytes of YAML, read by yaml-cpp): %.0f %% of "
        "the corpus's time;\n  the rest of each file parses at %.0f MB/s\n",
        reporter.Get("front_matter", "yaml_bytes"),
        100 * corpus_mbps / yaml_mbps, body_mbps);
  }
  const double tuned = reporter.MBps("synthetic/warm");
  const double defaults = reporter.MBps("synthetic/warm/glibc-defaults");
  if (tuned > 0 && defaults > 0) {
    std::printf(
        "  warm: glibc's fastbins off (as the smtpspec binaries run) is %.2f "
        "x its defaults\n",
        tuned / defaults);
  }
  std::printf("\nmemory of one parse of the %.1f MB transcript (%.0f steps):\n",
              mb, reporter.Get("synthetic/warm", "steps"));
  std::printf(
      "  heap allocated for the result  %7.1f MB  %5.1f x input "
      "(reserved capacity included)\n",
      memory.heap / 1e6, static_cast<double>(memory.heap) / synthetic_bytes);
  std::printf("  peak RSS growth                %7.1f MB  %5.1f x input\n",
              memory.peak_rss / 1e6,
              static_cast<double>(memory.peak_rss) / synthetic_bytes);
  const double warm = reporter.MBps("synthetic/warm");
  const double cold = reporter.MBps("synthetic/cold");
  const double fresh = reporter.MBps("fresh_pages");
  if (warm > 0 && cold > 0 && fresh > 0) {
    const double us_per_page = kPage / (fresh * 1e6) * 1e6;
    const double extra_s = mb / cold - mb / warm;
    const double faults_s =
        static_cast<double>(memory.peak_rss) / kPage * us_per_page / 1e6;
    std::printf(
        "\npage faults: fresh memory costs %.2f us a 4 KiB page here. Cold "
        "takes %.2f s more than\nwarm a parse; faulting in the peak RSS "
        "growth alone would take %.2f s.\n",
        us_per_page, extra_s, faults_s);
  }
}

}  // namespace
}  // namespace smtpspec::bench

int main(int argc, char** argv) {
  using namespace smtpspec;
  const std::string synthetic = bench::Synthetic();
  const std::vector<std::string> corpus = bench::Corpus();
  // Before any benchmark raises the peak RSS, set up as smtpspec lint is.
  bench::SetUpAllocator(bench::Allocator::kAsShipped);
  const bench::Memory memory = bench::MeasureOneParse(synthetic);
  // Keep freed memory in the process, big blocks included, so that warm
  // iterations reuse their pages; cold ones give them back explicitly.
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);

  benchmark::RegisterBenchmark("memchr", [&](benchmark::State& s) {
    bench::MemchrLineSplit(s, synthetic);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("fresh_pages", bench::FreshPages)
      ->Unit(benchmark::kMillisecond);
  using bench::Allocator;
  benchmark::RegisterBenchmark("synthetic/warm",
                               [&](benchmark::State& s) {
                                 bench::ParseSynthetic(s, synthetic, false,
                                                       Allocator::kAsShipped);
                               })
      ->Unit(benchmark::kMillisecond)
      ->MinTime(2);
  benchmark::RegisterBenchmark(
      "synthetic/warm/glibc-defaults",
      [&](benchmark::State& s) {
        bench::ParseSynthetic(s, synthetic, false, Allocator::kGlibcDefaults);
      })
      ->Unit(benchmark::kMillisecond)
      ->MinTime(2);
  benchmark::RegisterBenchmark("synthetic/cold",
                               [&](benchmark::State& s) {
                                 bench::ParseSynthetic(s, synthetic, true,
                                                       Allocator::kAsShipped);
                               })
      ->Unit(benchmark::kMillisecond)
      ->MinTime(2);
  benchmark::RegisterBenchmark("corpus", [&](benchmark::State& s) {
    bench::ParseCorpus(s, corpus);
  })->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("front_matter", [&](benchmark::State& s) {
    bench::ParseCorpusFrontMatter(s, corpus);
  })->Unit(benchmark::kMicrosecond);

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bench::Reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  bench::PrintSummary(reporter, synthetic.size(), corpus.size(),
                      bench::TotalSize(corpus), memory);
  return 0;
}
