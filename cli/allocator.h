// How the smtpspec binaries set up the C library's allocator before they
// parse transcripts.
#ifndef SMTPSPEC_CLI_ALLOCATOR_H_
#define SMTPSPEC_CLI_ALLOCATOR_H_

namespace smtpspec::cli {

// Turns off glibc's fastbins (mallopt(M_MXFAST, 0)); the per-thread cache
// still serves the small sizes a parse allocates and frees most.
//
// Why: a parsed transcript is millions of small blocks (a glob's segments,
// a reply's lines, texts past the small-string buffer). With fastbins, each
// freed block stays unmerged until the next large request, which then
// consolidates every one of them, a cache miss each: about a third of the
// time of parsing a 50 MB transcript and freeing it went there
// (bench/parser_bench.cc, which measures both settings side by side). With
// fastbins off, a freed block merges with its free neighbours at once.
//
// A process-wide setting, so only a main() calls it, first thing. Returns
// false when the allocator refused (another malloc, a sanitizer's), which
// is harmless: only speed depends on it.
bool TuneAllocatorForParsing();

// Undoes TuneAllocatorForParsing: glibc's fastbins as glibc comes
// (DEFAULT_MXFAST in its malloc.c). For benchmarks and tests that compare
// the two; false when the allocator refused.
bool RestoreAllocatorDefaults();

}  // namespace smtpspec::cli

#endif  // SMTPSPEC_CLI_ALLOCATOR_H_
