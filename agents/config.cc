#include "agents/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>
#include <utility>

#include "engine/ext/registry.h"
#include "util/did_you_mean.h"

namespace smtpspec::agents::config {
namespace {

using std::chrono::milliseconds;

// Walks one YAML document, turning each node into a field of Server and
// each mistake into "file:line:col: reason".
class Reader {
 public:
  using Field =
      std::function<Status(const YAML::Node& value, const std::string& path)>;
  using Fields = std::vector<std::pair<std::string_view, Field>>;

  explicit Reader(std::string file) : file_(std::move(file)) {}

  Error At(const YAML::Node& node, const std::string& reason) const {
    YAML::Mark mark = node.Mark();
    if (mark.is_null()) return Error{0, file_ + ": " + reason};
    return Error{static_cast<std::size_t>(mark.pos),
                 file_ + ":" + std::to_string(mark.line + 1) + ":" +
                     std::to_string(mark.column + 1) + ": " + reason};
  }

  // A mapping whose keys must all be among `fields`.
  Status Map(const YAML::Node& node, const std::string& path,
             const Fields& fields) const {
    if (node.IsNull()) return OkStatus();
    if (!node.IsMap()) {
      return At(node, (path.empty() ? "the document" : path) +
                          " must be a mapping of keys to values");
    }
    std::vector<std::string_view> names;
    for (const auto& [name, field] : fields) names.push_back(name);
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string key = it->first.Scalar();
      std::string full = path.empty() ? key : path + "." + key;
      auto field = std::find_if(fields.begin(), fields.end(),
                                [&](const auto& f) { return f.first == key; });
      if (field == fields.end()) {
        return At(it->first, "unknown key '" + full + "'" +
                                 util::DidYouMeanOrList(key, names));
      }
      if (it->second.IsNull()) {
        return At(it->first, "'" + full + "' needs a value");
      }
      Status read = field->second(it->second, full);
      if (!read.ok()) return read;
    }
    return OkStatus();
  }

  Status Scalar(const YAML::Node& node, const std::string& path,
                std::string& out) const {
    if (!node.IsScalar()) return At(node, "'" + path + "' must be a scalar");
    out = node.Scalar();
    return OkStatus();
  }

  Status Bool(const YAML::Node& node, const std::string& path,
              bool& out) const {
    std::string text;
    Status read = Scalar(node, path, text);
    if (!read.ok()) return read;
    for (const char* yes : {"true", "yes", "on"}) {
      if (text == yes) return out = true, OkStatus();
    }
    for (const char* no : {"false", "no", "off"}) {
      if (text == no) return out = false, OkStatus();
    }
    return At(node, "'" + path + "' must be true or false, not '" + text + "'");
  }

  Status Number(const YAML::Node& node, const std::string& path,
                std::uint64_t& out, std::uint64_t minimum,
                const std::string& why = "") const {
    std::string text;
    Status read = Scalar(node, path, text);
    if (!read.ok()) return read;
    std::uint64_t value = 0;
    auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      return At(node,
                "'" + path + "' must be a whole number, not '" + text + "'");
    }
    if (value < minimum) {
      return At(node, "'" + path + "' must be at least " +
                          std::to_string(minimum) + why);
    }
    out = value;
    return OkStatus();
  }

  // "250ms", "30s", "5m", "1h", or a bare number of seconds.
  Status Duration(const YAML::Node& node, const std::string& path,
                  milliseconds& out) const {
    std::string text;
    Status read = Scalar(node, path, text);
    if (!read.ok()) return read;
    double value = 0;
    auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), value);
    std::string_view unit(end, text.data() + text.size() - end);
    double scale = unit == "ms"                  ? 1
                   : unit == "s" || unit.empty() ? 1000
                   : unit == "m"                 ? 60000
                   : unit == "h"                 ? 3600000
                                                 : -1;
    if (text.empty() || ec != std::errc() || scale < 0 || value <= 0) {
      return At(node, "'" + path +
                          "' must be a positive duration such as "
                          "250ms, 30s, 5m or 1h, not '" +
                          text + "'");
    }
    out = milliseconds(static_cast<std::int64_t>(value * scale + 0.5));
    return OkStatus();
  }

  Status Strings(const YAML::Node& node, const std::string& path,
                 std::vector<std::string>& out) const {
    if (node.IsScalar()) return out = {node.Scalar()}, OkStatus();
    if (!node.IsSequence()) {
      return At(node, "'" + path + "' must be a list");
    }
    std::vector<std::string> values;
    for (const YAML::Node& item : node) {
      std::string text;
      Status read = Scalar(item, path, text);
      if (!read.ok()) return read;
      values.push_back(text);
    }
    out = std::move(values);
    return OkStatus();
  }

  Status Addresses(const YAML::Node& node, const std::string& path,
                   std::vector<Address>& out) const {
    std::vector<std::string> texts;
    Status read = Strings(node, path, texts);
    if (!read.ok()) return read;
    std::vector<Address> addresses;
    for (const std::string& text : texts) {
      Result<Address> address = ParseAddress(text);
      if (!address.ok()) {
        return At(node, "'" + path + "': " + address.error().reason);
      }
      addresses.push_back(*address);
    }
    out = std::move(addresses);
    return OkStatus();
  }

  template <typename E>
  Status Choice(const YAML::Node& node, const std::string& path,
                const std::vector<std::pair<std::string_view, E>>& choices,
                E& out) const {
    std::string text;
    Status read = Scalar(node, path, text);
    if (!read.ok()) return read;
    std::vector<std::string_view> names;
    for (const auto& [name, value] : choices) {
      if (text == name) return out = value, OkStatus();
      names.push_back(name);
    }
    return At(node, "'" + path + "' cannot be '" + text + "'" +
                        util::DidYouMeanOrList(text, names));
  }

 private:
  std::string file_;
};

// `extensions:`: one key per built-in module (engine/ext/registry.h),
// plus VRFY. A key that names no module is refused, naming the
// known ones: nothing may be switched on that the server does not do.
Status ReadExtensions(const Reader& r, const YAML::Node& node,
                      const std::string& path, Server& s) {
  std::vector<std::string_view> names;
  for (const ext::Registered& registered : ext::Registry()) {
    names.push_back(registered.module->name());
  }
  names.push_back("vrfy");
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (std::find(names.begin(), names.end(), key) != names.end()) continue;
      std::string closest = util::Closest(key, names);
      std::string known;
      for (std::string_view name : names) {
        known += (known.empty() ? "" : ", ") + std::string(name);
      }
      return r.At(
          it->first,
          "unknown extension '" + path + "." + key +
              "': no module implements it" +
              (closest.empty() ? "" : "; did you mean '" + closest + "'?") +
              " (known: " + known + ")");
    }
  }
  Reader::Fields fields;
  for (const ext::Registered& registered : ext::Registry()) {
    std::string_view name = registered.module->name();
    fields.emplace_back(
        name, [&r, &s, name](const YAML::Node& v, const std::string& p) {
          bool on = false;
          Status read = r.Bool(v, p, on);
          if (!read.ok()) return read;
          if (on) {
            ext::Enable(s.extensions, name);
          } else {
            ext::Disable(s.extensions, name);
          }
          return OkStatus();
        });
  }
  fields.emplace_back("vrfy",
                      [&r, &s](const YAML::Node& v, const std::string& p) {
                        return r.Bool(v, p, s.vrfy_enabled);
                      });
  return r.Map(node, path, fields);
}

Status ReadLimits(const Reader& r, const YAML::Node& node,
                  const std::string& path, Limits& l) {
  auto number = [&r](std::uint64_t& field, std::uint64_t minimum,
                     std::string why = "") {
    return
        [&r, &field, minimum, why](const YAML::Node& v, const std::string& p) {
          return r.Number(v, p, field, minimum, why);
        };
  };
  return r.Map(
      node, path,
      {{"message_size", number(l.message_size, 1)},
       {"recipients",
        number(l.recipients, 100,
               " (RFC 5321 4.5.3.1.8: a server must accept 100 recipients)")},
       {"command_line", number(l.command_line, 8)},
       {"text_line", number(l.text_line, 8)},
       {"connections", number(l.connections, 1)}});
}

Status ReadTimeouts(const Reader& r, const YAML::Node& node,
                    const std::string& path, Timeouts& t) {
  auto duration = [&r](milliseconds& field) {
    return [&r, &field](const YAML::Node& v, const std::string& p) {
      return r.Duration(v, p, field);
    };
  };
  return r.Map(node, path,
               {{"initial", duration(t.initial)},
                {"mail", duration(t.mail)},
                {"rcpt", duration(t.rcpt)},
                {"data_initiation", duration(t.data_initiation)},
                {"data_block", duration(t.data_block)},
                {"data_termination", duration(t.data_termination)},
                {"server", duration(t.server)}});
}

Status ReadTls(const Reader& r, const YAML::Node& node, const std::string& path,
               Tls& t) {
  auto text = [&r](std::string& field) {
    return [&r, &field](const YAML::Node& v, const std::string& p) {
      return r.Scalar(v, p, field);
    };
  };
  using tls::ClientCertificate;
  return r.Map(node, path,
               {{"certificate", text(t.certificate)},
                {"key", text(t.key)},
                {"implicit_listen",
                 [&](const YAML::Node& v, const std::string& p) {
                   return r.Addresses(v, p, t.implicit_listen);
                 }},
                {"client_certificate",
                 [&](const YAML::Node& v, const std::string& p) {
                   return r.Choice<ClientCertificate>(
                       v, p,
                       {{"none", ClientCertificate::kNone},
                        {"request", ClientCertificate::kRequest},
                        {"require", ClientCertificate::kRequire}},
                       t.client_certificate);
                 }},
                {"client_ca", text(t.client_ca)}});
}

Status ReadSink(const Reader& r, const YAML::Node& node,
                const std::string& path, Sink& s) {
  return r.Map(node, path,
               {{"kind",
                 [&](const YAML::Node& v, const std::string& p) {
                   return r.Choice<sink::Kind>(
                       v, p,
                       {{"maildir", sink::Kind::kMaildir},
                        {"jsonl", sink::Kind::kJsonLines},
                        {"discard", sink::Kind::kDiscard}},
                       s.kind);
                 }},
                {"path", [&](const YAML::Node& v, const std::string& p) {
                   return r.Scalar(v, p, s.path);
                 }}});
}

Status ReadServer(const Reader& r, const YAML::Node& node, Server& s) {
  auto text = [&r](std::string& field) {
    return [&r, &field](const YAML::Node& v, const std::string& p) {
      return r.Scalar(v, p, field);
    };
  };
  auto strings = [&r](std::vector<std::string>& field) {
    return [&r, &field](const YAML::Node& v, const std::string& p) {
      return r.Strings(v, p, field);
    };
  };
  return r.Map(
      node, "",
      {{"listen",
        [&](const YAML::Node& v, const std::string& p) {
          return r.Addresses(v, p, s.listen);
        }},
       {"hostname", text(s.hostname)},
       {"greeting", text(s.greeting)},
       {"extensions",
        [&](const YAML::Node& v, const std::string& p) {
          return ReadExtensions(r, v, p, s);
        }},
       {"limits",
        [&](const YAML::Node& v, const std::string& p) {
          return ReadLimits(r, v, p, s.limits);
        }},
       {"timeouts",
        [&](const YAML::Node& v, const std::string& p) {
          return ReadTimeouts(r, v, p, s.timeouts);
        }},
       {"local_domains", strings(s.local_domains)},
       {"mailboxes", strings(s.mailboxes)},
       {"vrfy",
        [&](const YAML::Node& v, const std::string& p) {
          return r.Choice<VrfyMode>(v, p,
                                    {{"250", VrfyMode::k250},
                                     {"251", VrfyMode::k251},
                                     {"252", VrfyMode::k252}},
                                    s.vrfy);
        }},
       {"tls", [&](const YAML::Node& v,
                   const std::string& p) { return ReadTls(r, v, p, s.tls); }},
       {"sink",
        [&](const YAML::Node& v, const std::string& p) {
          return ReadSink(r, v, p, s.sink);
        }},
       {"transcript_log", text(s.transcript_log)}});
}

}  // namespace

ext::List DefaultExtensions() {
  ext::List list = ext::Defaults();
  ext::Enable(list, "starttls");  // offered only with tls.certificate
  ext::Enable(list, "smtputf8");
  return list;
}

Status Apply(std::string_view text, const std::string& filename,
             Server& server) {
  Server updated = server;
  try {
    YAML::Node document = YAML::Load(std::string(text));
    Status read = ReadServer(Reader(filename), document, updated);
    if (!read.ok()) return read;
  } catch (const YAML::Exception& e) {
    // yaml-cpp's syntax errors carry a position; keep it in our form.
    return Error{e.mark.pos < 0 ? 0 : static_cast<std::size_t>(e.mark.pos),
                 filename + ":" + std::to_string(e.mark.line + 1) + ":" +
                     std::to_string(e.mark.column + 1) + ": " + e.msg};
  }
  server = std::move(updated);
  return OkStatus();
}

// Whole-configuration rules that no single key can check.
Status Validate(const Server& s, const std::string& filename) {
  auto fail = [&](const std::string& reason) {
    return Error{0, filename + ": " + reason};
  };
  if (s.listen.empty() && s.tls.implicit_listen.empty()) {
    return fail("nothing to listen on: set 'listen' or 'tls.implicit_listen'");
  }
  bool has_tls = !s.tls.certificate.empty() || !s.tls.key.empty();
  if (has_tls && (s.tls.certificate.empty() || s.tls.key.empty())) {
    return fail("'tls.certificate' and 'tls.key' go together");
  }
  if (!s.tls.implicit_listen.empty() && !has_tls) {
    return fail("'tls.implicit_listen' needs 'tls.certificate' and 'tls.key'");
  }
  if (s.tls.client_certificate != tls::ClientCertificate::kNone &&
      s.tls.client_ca.empty()) {
    return fail(
        "'tls.client_certificate' needs 'tls.client_ca' to verify "
        "client certificates against");
  }
  if (s.sink.kind != sink::Kind::kDiscard && s.sink.path.empty()) {
    return fail("'sink.path' is needed for a maildir or jsonl sink");
  }
  return OkStatus();
}

Result<Server> Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{0, path + ": cannot read the configuration file"};
  std::ostringstream text;
  text << in.rdbuf();
  Server server;
  Status applied = Apply(text.str(), path, server);
  if (applied.ok()) applied = Validate(server, path);
  if (!applied.ok()) return applied.error();
  return server;
}

Status Set(std::string_view assignment, Server& server) {
  std::string origin = "--set " + std::string(assignment);
  std::size_t equals = assignment.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    return Error{0,
                 origin + ": expected KEY=VALUE, e.g. limits.recipients=200"};
  }
  Server updated = server;
  try {
    // Rebuild {a: {b: value}} from "a.b=value" and read it like a file, so
    // flags and files share every check and message.
    YAML::Node document;
    YAML::Node value = YAML::Load(std::string(assignment.substr(equals + 1)));
    std::vector<std::string> keys;
    std::string_view path = assignment.substr(0, equals);
    for (std::size_t dot; (dot = path.find('.')) != std::string_view::npos;) {
      keys.emplace_back(path.substr(0, dot));
      path.remove_prefix(dot + 1);
    }
    keys.emplace_back(path);
    YAML::Node nested = value;
    for (auto key = keys.rbegin(); key != keys.rend(); ++key) {
      YAML::Node parent;
      parent[*key] = nested;
      nested = parent;
    }
    Status read = ReadServer(Reader(origin), nested, updated);
    if (!read.ok()) return read;
  } catch (const YAML::Exception& e) {
    return Error{0, origin + ": " + e.msg};
  }
  server = std::move(updated);
  return OkStatus();
}

}  // namespace smtpspec::agents::config
