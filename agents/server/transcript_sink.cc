#include "agents/server/transcript_sink.h"

#include <cerrno>
#include <cstring>
#include <utility>

namespace smtpspec::agents::server {
namespace {
// A block is written once it is this large, so a 10 MB message costs no
// more than this much memory in the log.
constexpr std::size_t kBlockMax = 64 * 1024;
}  // namespace

Result<std::unique_ptr<TranscriptSink>> TranscriptSink::Open(
    const std::string& target) {
  if (target == "-") {
    return std::unique_ptr<TranscriptSink>(new TranscriptSink(stderr, false));
  }
  std::FILE* file = std::fopen(target.c_str(), "ae");
  if (file == nullptr) {
    return Error{0, "cannot open the transcript log '" + target +
                        "': " + std::strerror(errno)};
  }
  return std::unique_ptr<TranscriptSink>(new TranscriptSink(file, true));
}

TranscriptSink::~TranscriptSink() {
  if (owned_) std::fclose(file_);
}

void TranscriptSink::Write(std::string_view block) {
  std::fwrite(block.data(), 1, block.size(), file_);
  std::fflush(file_);
}

SessionTranscript::SessionTranscript(TranscriptSink& sink, std::string title)
    : sink_(sink), title_(std::move(title)) {}

SessionTranscript::~SessionTranscript() {
  log_.Finish(pending_);
  if (!pending_.empty() || !continued_) {
    sink_.Write("# " + title_ + (continued_ ? " (continued)\n" : "\n") +
                pending_ + "\n");
  }
}

void SessionTranscript::Client(std::string_view bytes) {
  log_.Client(bytes, pending_);
  MaybeWrite();
}

void SessionTranscript::Server(std::string_view bytes) {
  log_.Server(bytes, pending_);
  MaybeWrite();
}

void SessionTranscript::StartTls() { log_.StartTls(pending_); }

void SessionTranscript::Note(std::string_view comment) {
  pending_ += "# ";
  pending_ += comment;
  pending_ += '\n';
}

void SessionTranscript::MaybeWrite() {
  if (pending_.size() < kBlockMax) return;
  sink_.Write("# " + title_ + (continued_ ? " (continued)\n" : "\n") +
              pending_);
  pending_.clear();
  continued_ = true;
}

}  // namespace smtpspec::agents::server
