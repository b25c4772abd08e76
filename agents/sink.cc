#include "agents/sink.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "agents/sink_record.h"

namespace smtpspec::agents::sink {
namespace {

constexpr std::string_view kEnvelopeHeader = "X-Smtpspec-Envelope: ";

Error SystemError(const std::string& what) {
  return Error{0, what + ": " + std::strerror(errno)};
}

// Writes every byte, retrying short writes (a full disk shows up here as
// ENOSPC, a quota as EDQUOT).
Status WriteFully(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return SystemError("cannot write '" + path + "'");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return OkStatus();
}

// fsync on a directory makes the entries in it (a rename, a new file)
// durable, which fsync on the file alone does not promise.
Status SyncDirectory(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return SystemError("cannot open directory '" + path + "'");
  int result = fsync(fd);
  int saved = errno;
  close(fd);
  errno = saved;
  if (result != 0) return SystemError("cannot sync directory '" + path + "'");
  return OkStatus();
}

Status MakeDirectory(const std::string& path) {
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return SystemError("cannot create directory '" + path + "'");
  }
  struct stat info;
  if (stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return Error{0, "'" + path + "' is not a directory"};
  }
  return OkStatus();
}

std::string Parent(const std::string& path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return SystemError("cannot read '" + path + "'");
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// This host's name as the last part of a maildir file name ('/' and ':'
// have meanings there).
std::string HostPart() {
  char host[256] = "localhost";
  gethostname(host, sizeof(host) - 1);
  std::string part = host;
  std::replace(part.begin(), part.end(), '/', '_');
  std::replace(part.begin(), part.end(), ':', '_');
  return part;
}

// The writer's process id in a name written by Maildir::UniqueName
// ("SECS.MUSECS" "P" PID "Q" N "." HOST), or 0 for any other name.
int WriterPid(const std::string& name, const std::string& host) {
  if (name.size() <= host.size() || !name.ends_with("." + host)) return 0;
  int pid = 0;
  long long secs = 0, micros = 0;
  unsigned long long n = 0;
  if (std::sscanf(name.c_str(), "%lld.M%lldP%dQ%llu.", &secs, &micros, &pid,
                  &n) != 4) {
    return 0;
  }
  return pid > 0 ? pid : 0;
}

// Removes what a crashed delivery left in DIR/tmp: files that no reader
// ever takes for messages (only new/ and cur/ hold those), so removing them
// loses nothing, but they would pile up. A file is stale when this host's
// process that wrote it is gone, or when it has not changed for 36 hours,
// the maildir convention for files of other writers (maildir(5)). Files of
// a live writer, which may be mid-delivery, stay.
void RemoveStaleTemporaries(const std::string& directory) {
  const std::string tmp = directory + "/tmp";
  const std::string host = HostPart();
  DIR* d = opendir(tmp.c_str());
  if (d == nullptr) return;
  const std::time_t now = std::time(nullptr);
  std::vector<std::string> stale;
  while (dirent* entry = readdir(d)) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    std::string path = tmp + "/" + name;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    int pid = WriterPid(name, host);
    bool writer_gone =
        pid > 0 && pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH;
    if (writer_gone || now - st.st_mtime > 36 * 3600) stale.push_back(path);
  }
  closedir(d);
  for (const std::string& path : stale) unlink(path.c_str());
}

class Maildir : public Sink {
 public:
  explicit Maildir(std::string directory)
      : directory_(std::move(directory)), host_(HostPart()) {}

  Status Deliver(const Envelope& envelope, std::string_view data) override {
    std::string name = UniqueName();
    std::string temporary = directory_ + "/tmp/" + name;
    std::string final_path = directory_ + "/new/" + name;
    int fd =
        open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return SystemError("cannot create '" + temporary + "'");
    std::string header(kEnvelopeHeader);
    header += EncodeRecord(envelope, data, /*with_data=*/false);
    header += "\r\n";
    Status written = WriteFully(fd, header, temporary);
    if (written.ok()) written = WriteFully(fd, data, temporary);
    if (written.ok() && fsync(fd) != 0) {
      written = SystemError("cannot sync '" + temporary + "'");
    }
    if (close(fd) != 0 && written.ok()) {
      written = SystemError("cannot close '" + temporary + "'");
    }
    if (written.ok() && rename(temporary.c_str(), final_path.c_str()) != 0) {
      written = SystemError("cannot move '" + temporary + "' into new/");
    }
    if (!written.ok()) {
      unlink(temporary.c_str());
      return written;
    }
    return SyncDirectory(directory_ + "/new");
  }

 private:
  // time.M<usec>P<pid>Q<n>.host (the maildir convention): unique across
  // processes and within one, and sorted by delivery time.
  std::string UniqueName() {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(now).count();
    char name[128];
    std::snprintf(name, sizeof(name), "%lld.M%06lldP%dQ%06llu.",
                  static_cast<long long>(micros / 1000000),
                  static_cast<long long>(micros % 1000000),
                  static_cast<int>(getpid()),
                  static_cast<unsigned long long>(++count_));
    return name + host_;
  }

  std::string directory_;
  std::string host_;
  std::uint64_t count_ = 0;
};

class JsonLines : public Sink {
 public:
  JsonLines(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~JsonLines() override { close(fd_); }

  Status Deliver(const Envelope& envelope, std::string_view data) override {
    std::string line = EncodeRecord(envelope, data, /*with_data=*/true);
    line += '\n';
    struct stat before;
    if (fstat(fd_, &before) != 0) {
      return SystemError("cannot stat '" + path_ + "'");
    }
    Status written = WriteFully(fd_, line, path_);
    if (written.ok() && fdatasync(fd_) != 0) {
      written = SystemError("cannot sync '" + path_ + "'");
    }
    if (!written.ok()) {
      // Take back a partial line so the next record starts on a line of
      // its own and every line stays valid JSON.
      if (ftruncate(fd_, before.st_size) != 0) {
        written = Error{0, written.error().reason +
                               " (and the partial record could not be "
                               "removed)"};
      }
    }
    return written;
  }

 private:
  int fd_;
  std::string path_;
};

class Discard : public Sink {
 public:
  Status Deliver(const Envelope&, std::string_view) override {
    return OkStatus();
  }
};

}  // namespace

Result<std::unique_ptr<Sink>> Open(Kind kind, const std::string& path) {
  switch (kind) {
    case Kind::kDiscard:
      return std::unique_ptr<Sink>(new Discard());
    case Kind::kMaildir: {
      if (path.empty()) return Error{0, "a maildir sink needs a directory"};
      for (const std::string& dir :
           {path, path + "/tmp", path + "/new", path + "/cur"}) {
        Status made = MakeDirectory(dir);
        if (!made.ok()) return made.error();
      }
      Status synced = SyncDirectory(path);
      if (!synced.ok()) return synced.error();
      RemoveStaleTemporaries(path);
      return std::unique_ptr<Sink>(new Maildir(path));
    }
    case Kind::kJsonLines: {
      if (path.empty()) return Error{0, "a jsonl sink needs a file name"};
      int fd =
          open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
      if (fd < 0) return SystemError("cannot open '" + path + "'");
      std::unique_ptr<Sink> sink(new JsonLines(fd, path));
      if (fsync(fd) != 0 && errno != EINVAL) {
        return SystemError("cannot sync '" + path + "'");
      }
      struct stat info;
      if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
        Status synced = SyncDirectory(Parent(path));
        if (!synced.ok()) return synced.error();
      }
      return sink;
    }
  }
  return Error{0, "unknown sink kind"};
}

Result<std::vector<Message>> ReadMaildir(const std::string& directory) {
  std::string new_dir = directory + "/new";
  DIR* dir = opendir(new_dir.c_str());
  if (dir == nullptr) return SystemError("cannot list '" + new_dir + "'");
  std::vector<std::string> names;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') names.push_back(entry->d_name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  std::vector<Message> messages;
  for (const std::string& name : names) {
    std::string path = new_dir + "/" + name;
    Result<std::string> contents = ReadFile(path);
    if (!contents.ok()) return contents.error();
    std::size_t end = contents->find("\r\n");
    if (contents->rfind(kEnvelopeHeader, 0) != 0 || end == std::string::npos) {
      return Error{0, "'" + path + "' does not start with an envelope line"};
    }
    Result<Decoded> decoded = DecodeRecord(std::string_view(*contents).substr(
        kEnvelopeHeader.size(), end - kEnvelopeHeader.size()));
    if (!decoded.ok()) {
      return Error{0, path + ": " + decoded.error().reason};
    }
    decoded->message.data = contents->substr(end + 2);
    if (decoded->message.data.size() != decoded->size) {
      return Error{0, "'" + path + "' holds " +
                          std::to_string(decoded->message.data.size()) +
                          " bytes of message, its envelope says " +
                          std::to_string(decoded->size)};
    }
    messages.push_back(std::move(decoded->message));
  }
  return messages;
}

Result<std::vector<Message>> ReadJsonLines(const std::string& path) {
  Result<std::string> contents = ReadFile(path);
  if (!contents.ok()) return contents.error();
  std::vector<Message> messages;
  std::size_t start = 0;
  int line_number = 1;
  while (start < contents->size()) {
    std::size_t end = contents->find('\n', start);
    if (end == std::string::npos) {
      return Error{start, path + ":" + std::to_string(line_number) +
                              ": the last record has no newline"};
    }
    Result<Decoded> decoded =
        DecodeRecord(std::string_view(*contents).substr(start, end - start));
    if (!decoded.ok()) {
      return Error{start + decoded.error().offset,
                   path + ":" + std::to_string(line_number) + ": " +
                       decoded.error().reason};
    }
    if (decoded->message.data.size() != decoded->size) {
      return Error{start, path + ":" + std::to_string(line_number) +
                              ": size does not match the data"};
    }
    messages.push_back(std::move(decoded->message));
    start = end + 1;
    ++line_number;
  }
  return messages;
}

}  // namespace smtpspec::agents::sink
