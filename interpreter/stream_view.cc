#include "interpreter/stream_view.h"

#include <charconv>
#include <utility>

namespace smtpspec::interp {
namespace {

wire::Policy CommandPolicy(bool lenient) {
  wire::Policy policy;
  policy.max_line = wire::kCommandLineMax;
  policy.accept_bare_lf = lenient;
  return policy;
}

// The chunk size of "BDAT <size> [LAST]" (RFC 3030 2), or nullopt.
std::optional<std::uint64_t> BdatSize(std::string_view argument) {
  std::string_view digits = argument.substr(0, argument.find(' '));
  std::uint64_t size = 0;
  auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), size);
  if (error != std::errc() || end != digits.data() + digits.size() ||
      digits.empty()) {
    return std::nullopt;
  }
  return size;
}

}  // namespace

StreamView::StreamView(bool lenient)
    : lenient_(lenient), commands_(CommandPolicy(lenient)) {}

void StreamView::Feed(std::string_view bytes) {
  if (data_ != nullptr || chunk_active_) {
    pending_.append(bytes);
  } else {
    commands_.Feed(bytes);
  }
}

std::size_t StreamView::buffered() const {
  return pending_.size() + commands_.buffered() + chunk_.size();
}

void StreamView::BeginData() {
  if (data_ != nullptr) return;
  data_ = std::make_unique<data::Reader>();
  pending_.insert(0, commands_.TakeBuffered());
}

std::optional<StreamItem> StreamView::Next() {
  if (chunk_active_) {
    const std::size_t take = static_cast<std::size_t>(
        std::min<std::uint64_t>(chunk_left_, pending_.size()));
    chunk_.append(pending_, 0, take);
    pending_.erase(0, take);
    chunk_left_ -= take;
    if (chunk_left_ > 0) return std::nullopt;
    chunk_active_ = false;
    StreamItem item;
    item.kind = StreamItem::Kind::kBdatChunk;
    item.content = std::move(chunk_);
    chunk_.clear();
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
    if (std::optional<std::uint64_t> size = BdatSize(item.command.argument)) {
      // RFC 3030 2: exactly `size` octets follow the command line; they are
      // not commands even if they look like them.
      chunk_left_ = *size;
      chunk_active_ = true;
      pending_.insert(0, commands_.TakeBuffered());
    }
  }
  return item;
}

}  // namespace smtpspec::interp
