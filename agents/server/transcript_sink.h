// Where the reference server writes session transcripts (RFC-free: our own
// C:/S: format, agents/transcript_log.h), so a logged session can be pasted
// into a scenario. Sessions run interleaved on one loop; each session's
// lines are collected and written as one block, headed by a comment naming
// the session, so blocks never interleave. A block is written early (and
// continued later) once it grows past a bound, so memory stays bounded.
#ifndef SMTPSPEC_AGENTS_SERVER_TRANSCRIPT_SINK_H_
#define SMTPSPEC_AGENTS_SERVER_TRANSCRIPT_SINK_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "agents/transcript_log.h"
#include "engine/result.h"

namespace smtpspec::agents::server {

class TranscriptSink {
 public:
  // `target`: "-" standard error, anything else a file appended to.
  static Result<std::unique_ptr<TranscriptSink>> Open(
      const std::string& target);
  ~TranscriptSink();
  TranscriptSink(const TranscriptSink&) = delete;
  TranscriptSink& operator=(const TranscriptSink&) = delete;

  // Writes `block` (whole lines) at once, and flushes.
  void Write(std::string_view block);

 private:
  TranscriptSink(std::FILE* file, bool owned) : file_(file), owned_(owned) {}
  std::FILE* file_;
  bool owned_;
};

// One session's transcript, written to a TranscriptSink.
class SessionTranscript {
 public:
  SessionTranscript(TranscriptSink& sink, std::string title);
  ~SessionTranscript();  // writes what is left

  void Client(std::string_view bytes);
  void Server(std::string_view bytes);
  void StartTls();
  void Note(std::string_view comment);  // a "# ..." line

 private:
  void MaybeWrite();

  TranscriptSink& sink_;
  std::string title_;
  transcript_log::SessionLog log_;
  std::string pending_;
  bool continued_ = false;
};

}  // namespace smtpspec::agents::server

#endif  // SMTPSPEC_AGENTS_SERVER_TRANSCRIPT_SINK_H_
