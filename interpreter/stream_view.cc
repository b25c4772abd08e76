#include "interpreter/stream_view.h"

#include <utility>

namespace smtpspec::interp {
namespace {

wire::Policy CommandPolicy(bool lenient) {
  wire::Policy policy;
  policy.max_line = wire::kCommandLineMax;
  policy.accept_bare_lf = lenient;
  return policy;
}

}  // namespace

StreamView::StreamView(bool lenient, std::size_t max_chunk)
    : lenient_(lenient),
      max_chunk_(max_chunk),
      commands_(CommandPolicy(lenient)) {}

void StreamView::Feed(std::string_view bytes) {
  if (data_ != nullptr || chunk_) {
    pending_.append(bytes);
  } else {
    commands_.Feed(bytes);
  }
}

std::size_t StreamView::buffered() const {
  return pending_.size() + commands_.buffered() +
         (chunk_ ? chunk_->content().size() : 0);
}

void StreamView::BeginData() {
  if (data_ != nullptr) return;
  data_ = std::make_unique<data::Reader>();
  pending_.insert(0, commands_.TakeBuffered());
}

std::optional<StreamItem> StreamView::Next() {
  if (chunk_) {
    pending_.erase(0, chunk_->Feed(pending_));
    if (!chunk_->done()) return std::nullopt;
    StreamItem item;
    item.kind = StreamItem::Kind::kBdatChunk;
    item.content = chunk_->TakeContent();
    chunk_.reset();
    commands_.Feed(pending_);
    pending_.clear();
    return item;
  }
  if (data_ != nullptr) {
    const std::size_t used = data_->Feed(pending_);
    pending_.erase(0, used);
    if (!data_->done()) return std::nullopt;
    StreamItem item;
    item.kind = StreamItem::Kind::kDataEnd;
    item.content = data_->TakeContent();
    item.data_notices = data_->notices();
    data_.reset();
    commands_.Feed(pending_);
    pending_.clear();
    return item;
  }
  return NextCommand();
}

std::optional<StreamItem> StreamView::NextCommand() {
  wire::Event<wire::Received<Command>> event = commands_.Next();
  if (std::holds_alternative<wire::NeedData>(event)) return std::nullopt;
  StreamItem item;
  if (auto* problem = std::get_if<wire::Problem>(&event)) {
    item.kind = StreamItem::Kind::kProblem;
    item.problem = std::move(*problem);
    item.line = item.problem.line;
    return item;
  }
  auto& received = std::get<wire::Received<Command>>(event);
  item.kind = StreamItem::Kind::kCommand;
  item.command = std::move(received.value);
  item.line = item.command.name;
  if (!item.command.argument.empty()) {
    item.line += ' ';
    item.line += item.command.argument;
  }
  item.octets = commands_.offset() - received.offset;
  item.notices = std::move(received.notices);
  if (item.command.verb == Verb::kBdat) {
    // RFC 3030 2: exactly `size` octets follow the command line; they are
    // not commands even if they look like them. The size is read as the
    // engine's server reads it, so both agree where the chunk ends, even
    // for a malformed argument (no size: no chunk).
    if (std::optional<std::uint64_t> size =
            bdat::AnnouncedSize(item.command.argument)) {
      chunk_.emplace(*size, max_chunk_);
      pending_.insert(0, commands_.TakeBuffered());
    }
  }
  return item;
}

}  // namespace smtpspec::interp
