#include "engine/wire/framer.h"

#include <utility>

namespace smtpspec::wire {

Framer::Framer(FramerOptions options, std::size_t start_offset)
    : options_(std::move(options)),
      commands_(options_.commands, start_offset) {}

void Framer::Feed(std::string_view bytes) {
  if (data_ && !data_->done()) {
    const std::size_t used = data_->Feed(bytes);
    if (data_->done()) {
      ResumeCommands(data_start_ + data_->consumed(), bytes.substr(used));
    }
  } else if (chunk_ && !chunk_->done()) {
    const std::size_t used = chunk_->Feed(bytes);
    if (chunk_->done()) {
      ResumeCommands(chunk_start_ + chunk_->size(), bytes.substr(used));
    }
  } else {
    commands_.Feed(bytes);
  }
}

void Framer::ResumeCommands(std::size_t offset, std::string_view rest) {
  // RFC 2920 3.1: commands pipelined after the end of data (or after a
  // chunk) are commands again; a fresh reader keeps their offsets.
  commands_ = CommandReader(options_.commands, offset);
  commands_.Feed(rest);
}

void Framer::BeginData() {
  if (data_ || chunk_) return;
  // RFC 5321 4.1.1.4: after 354 the stream is content, not lines; what was
  // read ahead as lines is content too.
  data_start_ = commands_.offset();
  data_.emplace(options_.data);
  notices_sent_ = 0;
  Feed(commands_.TakeBuffered());
}

void Framer::BeginChunk(std::uint64_t size) {
  if (data_ || chunk_) return;
  // RFC 3030 2: "The message data is sent immediately after the trailing
  // <CR> <LF> of the BDAT command line": octets, counted, never lines.
  chunk_start_ = commands_.offset();
  chunk_.emplace(size, options_.keep_chunk);
  std::string ahead = commands_.TakeBuffered();
  if (size == 0) {
    ResumeCommands(chunk_start_, ahead);
  } else {
    Feed(ahead);
  }
}

void Framer::Restart(std::size_t offset) {
  data_.reset();
  chunk_.reset();
  commands_ = CommandReader(options_.commands, offset);
}

std::size_t Framer::buffered() const {
  std::size_t held = commands_.buffered();
  if (chunk_) held += chunk_->content().size();
  return held;
}

std::optional<Frame> Framer::Next() {
  if (data_) {
    const std::vector<data::Notice> &notices = data_->notices();
    if (notices_sent_ < notices.size()) {
      const data::Notice &notice = notices[notices_sent_++];
      return frame::DataNotice{notice, data_start_ + notice.offset};
    }
    if (!data_->done()) return std::nullopt;
    frame::DataEnd end{data_->TakeContent(), data_->too_big(), data_start_,
                       data_->consumed()};
    data_.reset();
    return end;
  }
  if (chunk_) {
    if (!chunk_->content().empty()) {
      return frame::ChunkData{chunk_->TakeContent()};
    }
    if (!chunk_->done()) return std::nullopt;
    frame::ChunkEnd end{chunk_start_, chunk_->size()};
    chunk_.reset();
    return end;
  }
  return NextCommand();
}

std::optional<Frame> Framer::NextCommand() {
  Event<Received<Command>> event = commands_.Next();
  if (std::holds_alternative<NeedData>(event)) return std::nullopt;
  if (auto *problem = std::get_if<Problem>(&event)) {
    return frame::BadLine{std::move(*problem)};
  }
  auto &received = std::get<Received<Command>>(event);
  return frame::CommandLine{std::move(received.value), received.offset,
                            commands_.offset() - received.offset,
                            std::move(received.notices)};
}

}  // namespace smtpspec::wire
