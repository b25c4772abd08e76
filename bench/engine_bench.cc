// How fast the wire readers turn bytes into commands and replies, against
// the speed limit of a plain memchr('\n') line split over the same bytes.
// The goal (issue 3) is a reader at least 1/3 as fast as the split.
//
//   bazel run -c opt //bench:engine_bench
//
// After the usual Google Benchmark output a table compares each reader with
// the split of the same buffer, fed in 64 KiB chunks as from a socket:
//   lines            LineReader::NextView: framing, limits, CR/LF/NUL checks
//   commands, views  CommandReader::NextView: commands as views, no copies
//   commands         CommandReader::Next: owning Commands, so one allocation
//                    for every argument longer than the short-string buffer
//   replies          ReplyReader::Next: owning Replies (a vector of strings)
// CPU time is measured, so other load on the machine matters less; on a
// busy machine add --benchmark_repetitions=5
// --benchmark_enable_random_interleaving=true and the table uses medians.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/wire/command_reader.h"
#include "engine/wire/line_reader.h"
#include "engine/wire/reply_reader.h"
#include "engine/wire/wire.h"

namespace smtpspec::bench {
namespace {

constexpr std::size_t kBufferSize = 16 << 20;
// Bytes per Feed, as from a socket read.
constexpr std::size_t kChunk = 64 << 10;

// A small deterministic generator, so every run measures the same bytes.
class Random {
 public:
  std::uint32_t Below(std::uint32_t n) {
    state_ = state_ * 1664525u + 1013904223u;
    return (state_ >> 8) % n;
  }
  std::string Name() {
    static constexpr std::string_view kNames[] = {
        "alice", "bob", "carol.smith", "dave+lists", "postmaster", "eve"};
    return std::string(kNames[Below(std::size(kNames))]) +
           std::to_string(Below(1000));
  }
  std::string Domain() {
    static constexpr std::string_view kDomains[] = {
        "example.org", "mail.example.com", "lists.example.net", "example.de"};
    return std::string(kDomains[Below(std::size(kDomains))]);
  }

 private:
  std::uint32_t state_ = 42;
};

// Sessions of realistic commands, as a server reads them.
std::string Commands() {
  Random random;
  std::string out;
  while (out.size() < kBufferSize) {
    out += "EHLO client" + std::to_string(random.Below(100)) + "." +
           random.Domain() + "\r\n";
    const std::uint32_t transactions = 1 + random.Below(3);
    for (std::uint32_t t = 0; t < transactions; ++t) {
      out += "MAIL FROM:<" + random.Name() + "@" + random.Domain() +
             "> SIZE=" + std::to_string(random.Below(10000000)) +
             " BODY=8BITMIME\r\n";
      const std::uint32_t recipients = 1 + random.Below(4);
      for (std::uint32_t r = 0; r < recipients; ++r) {
        out += "RCPT TO:<" + random.Name() + "@" + random.Domain() + ">\r\n";
      }
      out += random.Below(4) == 0 ? "RSET\r\n" : "DATA\r\n";
    }
    if (random.Below(3) == 0) out += "VRFY " + random.Name() + "\r\n";
    out += "NOOP\r\nQUIT\r\n";
  }
  return out;
}

// The replies to such sessions, as a client reads them.
std::string Replies() {
  Random random;
  std::string out;
  while (out.size() < kBufferSize) {
    out += "220 mx." + random.Domain() + " ESMTP ready\r\n";
    out += "250-mx." + random.Domain() + " greets client." + random.Domain() +
           "\r\n250-PIPELINING\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n"
           "250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-CHUNKING\r\n"
           "250-DSN\r\n250 SMTPUTF8\r\n";
    const std::uint32_t transactions = 1 + random.Below(3);
    for (std::uint32_t t = 0; t < transactions; ++t) {
      out += "250 2.1.0 Sender <" + random.Name() + "@" + random.Domain() +
             "> ok\r\n";
      const std::uint32_t recipients = 1 + random.Below(4);
      for (std::uint32_t r = 0; r < recipients; ++r) {
        out += random.Below(5) == 0
                   ? "550-5.1.1 The email account that you tried to reach "
                     "does not exist.\r\n550 5.1.1 Please check the "
                     "address.\r\n"
                   : "250 2.1.5 Recipient ok\r\n";
      }
      out += "354 Start mail input; end with <CRLF>.<CRLF>\r\n";
      out += "250 2.0.0 Ok: queued as " +
             std::to_string(random.Below(1 << 30)) + "\r\n";
    }
    out += "221 2.0.0 Bye\r\n";
  }
  return out;
}

// Feeds `input` in socket-sized chunks and drains the reader after each, as
// a server or client loop would; counts the items read.
template <typename Reader, typename Item, auto kNext = &Reader::Next>
void ReadAll(benchmark::State& state, const std::string& input) {
  std::size_t items = 0;
  for (auto _ : state) {
    Reader reader;
    for (std::size_t at = 0; at < input.size(); at += kChunk) {
      reader.Feed(std::string_view(input).substr(at, kChunk));
      for (auto event = (reader.*kNext)();
           !std::holds_alternative<wire::NeedData>(event);
           event = (reader.*kNext)()) {
        if (const Item* item = std::get_if<Item>(&event)) {
          benchmark::DoNotOptimize(item);
          ++items;
        } else {
          state.SkipWithError("the reader found a fault in clean input");
          return;
        }
      }
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(input.size()));
  state.counters["items"] = benchmark::Counter(
      static_cast<double>(items), benchmark::Counter::kAvgIterations);
}

// The speed limit: find every '\n' and look at each line, nothing more.
void SplitAll(benchmark::State& state, const std::string& input) {
  for (auto _ : state) {
    std::size_t lines = 0;
    const char* p = input.data();
    const char* end = p + input.size();
    while (const void* lf = std::memchr(p, '\n', end - p)) {
      std::string_view line(p, static_cast<const char*>(lf) - p);
      benchmark::DoNotOptimize(line);
      ++lines;
      p = static_cast<const char*>(lf) + 1;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(input.size()));
}

// The console output as usual, and bytes/s per benchmark kept for the table.
class Reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    // With --benchmark_repetitions the median is kept, else the one run.
    for (const Run& run : runs) {
      auto rate = run.counters.find("bytes_per_second");
      if (rate == run.counters.end()) continue;
      const std::string& name = run.run_name.function_name;
      if (run.run_type == Run::RT_Iteration ? !medians_.contains(name)
                                            : run.aggregate_name == "median") {
        rates_[name] = rate->second.value;
        if (run.run_type == Run::RT_Aggregate) medians_.insert(name);
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // MB/s (10^6 bytes) of `name`, or 0 when it did not run.
  double MBps(const std::string& name) const {
    auto it = rates_.find(name);
    return it == rates_.end() ? 0 : it->second / 1e6;
  }

 private:
  std::map<std::string, double> rates_;
  std::set<std::string> medians_;
};

void PrintTable(const Reporter& reporter) {
  std::printf("\n%-16s %12s %12s %8s  %s\n", "buffer", "reader MB/s",
              "memchr MB/s", "ratio", "goal >= 0.33");
  struct Row {
    const char* label;
    const char* reader;
    const char* split;
  };
  for (const Row& row : {
           Row{"lines", "commands/lines", "commands/memchr"},
           Row{"commands, views", "commands/views", "commands/memchr"},
           Row{"commands", "commands/reader", "commands/memchr"},
           Row{"replies", "replies/reader", "replies/memchr"},
       }) {
    const double reader = reporter.MBps(row.reader);
    const double split = reporter.MBps(row.split);
    if (reader == 0 || split == 0) continue;
    const double ratio = reader / split;
    std::printf("%-16s %12.0f %12.0f %8.2f  %s\n", row.label, reader, split,
                ratio, ratio >= 1.0 / 3 ? "met" : "MISSED");
  }
}

}  // namespace
}  // namespace smtpspec::bench

int main(int argc, char** argv) {
  using namespace smtpspec;
  const std::string commands = bench::Commands();
  const std::string replies = bench::Replies();
  benchmark::RegisterBenchmark("commands/reader", [&](benchmark::State& s) {
    bench::ReadAll<wire::CommandReader, wire::Received<Command>>(s, commands);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("commands/lines", [&](benchmark::State& s) {
    bench::ReadAll<wire::LineReader, wire::LineView,
                   &wire::LineReader::NextView>(s, commands);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("commands/views", [&](benchmark::State& s) {
    bench::ReadAll<wire::CommandReader, wire::Received<wire::CommandView>,
                   &wire::CommandReader::NextView>(s, commands);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("commands/memchr", [&](benchmark::State& s) {
    bench::SplitAll(s, commands);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("replies/reader", [&](benchmark::State& s) {
    bench::ReadAll<wire::ReplyReader, wire::Received<Reply>>(s, replies);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("replies/memchr", [&](benchmark::State& s) {
    bench::SplitAll(s, replies);
  })->Unit(benchmark::kMillisecond);

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bench::Reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  bench::PrintTable(reporter);
  return 0;
}
