#include "interpreter/stream_view.h"

#include <utility>

#include "engine/bdat/bdat.h"

namespace smtpspec::interp {
namespace {

wire::FramerOptions Options(bool lenient, std::size_t max_chunk) {
  wire::FramerOptions options;
  options.commands.max_line = wire::kCommandLineMax;
  options.commands.accept_bare_lf = lenient;
  options.keep_chunk = max_chunk;
  return options;
}

} // namespace

StreamView::StreamView(bool lenient, std::size_t max_chunk)
    : framer_(Options(lenient, max_chunk)) {}

void StreamView::Feed(std::string_view bytes) { framer_.Feed(bytes); }

std::optional<StreamItem> StreamView::Next() {
  while (std::optional<wire::Frame> frame = framer_.Next()) {
    StreamItem item;
    if (auto *line = std::get_if<wire::frame::CommandLine>(&*frame)) {
      item.kind = StreamItem::Kind::kCommand;
      item.command = std::move(line->command);
      item.line = item.command.name;
      if (!item.command.argument.empty()) {
        item.line += ' ';
        item.line += item.command.argument;
      }
      item.octets = line->octets;
      item.notices = std::move(line->notices);
      if (item.command.verb == Verb::kBdat) {
        // RFC 3030 2: exactly `size` octets follow the command line; they
        // are not commands even if they look like them. The size is read
        // as the engine's server reads it, so both agree where the chunk
        // ends, even for a malformed argument (no size: no chunk).
        if (std::optional<std::uint64_t> size =
                bdat::AnnouncedSize(item.command.argument)) {
          framer_.BeginChunk(*size);
        }
      }
      return item;
    }
    if (auto *bad = std::get_if<wire::frame::BadLine>(&*frame)) {
      item.kind = StreamItem::Kind::kProblem;
      item.problem = std::move(bad->problem);
      item.line = item.problem.line;
      return item;
    }
    if (auto *notice = std::get_if<wire::frame::DataNotice>(&*frame)) {
      data_notices_.push_back(notice->notice);
    } else if (auto *end = std::get_if<wire::frame::DataEnd>(&*frame)) {
      item.kind = StreamItem::Kind::kDataEnd;
      item.content = std::move(end->content);
      item.data_notices = std::exchange(data_notices_, {});
      return item;
    } else if (auto *data = std::get_if<wire::frame::ChunkData>(&*frame)) {
      chunk_ += data->octets;
    } else if (std::holds_alternative<wire::frame::ChunkEnd>(*frame)) {
      item.kind = StreamItem::Kind::kBdatChunk;
      item.content = std::exchange(chunk_, {});
      return item;
    }
  }
  return std::nullopt;
}

} // namespace smtpspec::interp
