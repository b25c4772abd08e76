# Shared by the peer scripts in tools/peers/ (source it, do not run it).
#
# Layout, per peer NAME:
#   .smtpspec/peers/NAME/           Debian's package, unpacked with dpkg -x
#   .smtpspec/peers/NAME/instance/  one running server: config, queue,
#                                   mail, log and pid file
# PEER_DIR overrides the instance folder and PEER_PORT the port, so tests
# can run a second instance next to the matrix. Only 127.0.0.1 is used.

peers_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
peers_base="${SMTPSPEC_PEERS:-$peers_root/.smtpspec/peers}"

# The variables every server here is configured for, and that every client
# here is given (tools/peers/matrix.sh), so all of them see the same
# addresses.
peer_domain="smtpspec.test"
peer_mailbox="alice@smtpspec.test"
peer_client_domain="client.smtpspec.test"
peer_sender="sender@client.smtpspec.test"

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# unpack NAME PKG...: apt-get download + dpkg -x into .smtpspec/peers/NAME,
# once. A lock keeps a test and the matrix from unpacking at the same time.
unpack() {
  local name="$1"
  shift
  local dir="$peers_base/$name"
  mkdir -p "$dir"
  (
    flock 9
    [ -f "$dir/.unpacked" ] && [ "$(cat "$dir/.unpacked")" = "$*" ] && exit 0
    echo "smtpspec: unpacking Debian's $* into $dir" >&2
    local tmp
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    # apt runs downloads as _apt, which cannot write into mktemp's folder.
    chmod 755 "$tmp"
    (cd "$tmp" && apt-get download "$@" >/dev/null 2>&1) || {
      apt-get update -qq >/dev/null
      (cd "$tmp" && apt-get download "$@" >/dev/null)
    }
    for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$dir"; done
    echo "$*" >"$dir/.unpacked"
  ) 9>"$dir/.lock"
}

# ensure_user NAME: the unprivileged user an MTA insists on running as.
ensure_user() {
  getent passwd "$1" >/dev/null && return 0
  useradd --system --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$1"
}

# wait_listening PORT PID: until 127.0.0.1:PORT greets with 220, or fail
# (with the log) if PID died or 20 s passed.
wait_listening() {
  local port="$1" pid="$2" log="${3:-}"
  for _ in $(seq 200); do
    if ! kill -0 "$pid" 2>/dev/null; then
      [ -n "$log" ] && [ -f "$log" ] && tail -20 "$log" >&2
      die "the server (PID $pid) exited before it listened on port $port"
    fi
    if timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && head -c3 <&3" \
      2>/dev/null | grep -q 220; then
      return 0
    fi
    sleep 0.1
  done
  [ -n "$log" ] && [ -f "$log" ] && tail -20 "$log" >&2
  die "nothing greets on 127.0.0.1:$port after 20 s"
}

# stop_pid PIDFILE: SIGTERM to that PID, SIGKILL after 10 s; quiet and
# successful when nothing runs.
stop_pid() {
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid="$(tr -dc 0-9 <"$file")"
  rm -f "$file"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# running PIDFILE: whether the PID in that file is alive.
running() {
  [ -f "$1" ] && kill -0 "$(tr -dc 0-9 <"$1")" 2>/dev/null
}

# announce NAME PORT [MAILDIR]: the arguments `./smtpspec run` needs for
# this server, on one line, e.g. ./smtpspec run $(tools/peers/postfix.sh
# start). The variables are this target's own (--var NAME:KEY=VALUE), so
# they hold for it alone when other servers and clients share the run.
# MAILDIR (where the server delivers: one maildir, or one per mailbox
# below it) becomes --delivered NAME=maildir:MAILDIR, so the run compares
# what the server stored with what it was sent (runner/delivery.py).
announce() {
  echo "--target $1=127.0.0.1:$2 --var $1:domain=$peer_domain" \
    "--var $1:mailbox=$peer_mailbox --var $1:sender=$peer_sender" \
    "--var $1:client_domain=$peer_client_domain" \
    ${3:+"--delivered $1=maildir:$3"}
}

# STARTTLS for a peer (the probe's TLS tests): PEER_TLS_CERT and
# PEER_TLS_KEY name a certificate and key made at test time; both or
# neither. tls_files copies them into the instance folder, readable by the
# server's own user, and succeeds only when they are set.
tls_files() {
  local owner="$1"
  [ -n "${PEER_TLS_CERT:-}${PEER_TLS_KEY:-}" ] || return 1
  [ -r "${PEER_TLS_CERT:-}" ] && [ -r "${PEER_TLS_KEY:-}" ] ||
    die "PEER_TLS_CERT and PEER_TLS_KEY must both name readable files"
  mkdir -p "$dir/tls"
  cp "$PEER_TLS_CERT" "$dir/tls/cert.pem"
  cp "$PEER_TLS_KEY" "$dir/tls/key.pem"
  chmod 600 "$dir/tls/key.pem"
  chown -R "$owner" "$dir/tls"
}
