#!/usr/bin/env bash
# OpenSMTPD (Debian's opensmtpd, unpacked, not installed) on
# 127.0.0.1:12527 with an smtpd.conf of its own: mail for alice and
# postmaster at smtpspec.test goes to maildirs, nothing is relayed.
#   tools/peers/opensmtpd.sh start   prints the `./smtpspec run` arguments
#   tools/peers/opensmtpd.sh stop    stops it by PID
# PEER_PORT and PEER_DIR pick another port and instance folder.
#
# smtpd has its paths compiled in (/var/spool/smtpd for the queue,
# /run/smtpd.sock for control, /usr/libexec/opensmtpd for delivery), so it
# runs in a private mount namespace (unshare) where those folders (and
# /var/lib, for the empty chroot /var/lib/opensmtpd/empty) are
# bind-mounted from the instance and the unpacked package; the host's own
# folders are untouched. It runs its processes as the users opensmtpd and
# opensmtpq, created if missing, and delivers as the user mail.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
name=opensmtpd
port="${PEER_PORT:-12527}"
dir="${PEER_DIR:-$peers_base/$name/instance}"
pkg="$peers_base/$name"

write_config() {
  mkdir -p "$dir/spool" "$dir/run" "$dir/mail" "$dir/log" "$dir/lib/opensmtpd/empty"
  chown mail "$dir/mail"
  local pki="" tls=""
  if tls_files root; then
    pki="pki opensmtpd.$peer_domain cert \"$dir/tls/cert.pem\"
pki opensmtpd.$peer_domain key \"$dir/tls/key.pem\""
    tls=" tls pki opensmtpd.$peer_domain"
  fi
  cat >"$dir/smtpd.conf" <<CF
# Virtual users, each delivered as the system user mail. A bare local
# part matches in every domain: smtpd turns <postmaster> into
# postmaster@ its host name (RFC 5321 4.5.1).
table recipients { "$peer_mailbox" = "mail", "postmaster" = "mail" }
table domains { "$peer_domain", "opensmtpd.$peer_domain" }
$pki
listen on 127.0.0.1 port $port hostname opensmtpd.$peer_domain$tls
action "deliver" maildir "$dir/mail/%{rcpt.user:lowercase}" \\
    virtual <recipients>
match from any for domain <domains> action "deliver"
CF
}

start() {
  if running "$dir/pid"; then
    announce "$name" "$(cat "$dir/port")" "$dir/mail"
    return
  fi
  unpack "$name" opensmtpd
  # The privilege-separated processes chroot into their user's home.
  ensure_user opensmtpd
  ensure_user opensmtpq
  write_config
  echo "$port" >"$dir/port"
  # unshare execs the shell, which execs smtpd: $! is smtpd's PID.
  unshare --mount --propagation private -- bash -c '
    set -e
    mount --bind "$1/spool" /var/spool
    mount --bind "$1/run" /run
    mount --bind "$1/lib" /var/lib
    mount --bind "$2/usr/libexec" /usr/libexec
    exec "$2/usr/sbin/smtpd" -d -f "$1/smtpd.conf"' smtpd "$dir" "$pkg" \
    </dev/null >"$dir/log/smtpd.log" 2>&1 &
  echo $! >"$dir/pid"
  wait_listening "$port" "$(cat "$dir/pid")" "$dir/log/smtpd.log"
  announce "$name" "$port" "$dir/mail"
}

case "${1:-}" in
  start) start ;;
  stop) stop_pid "$dir/pid" ;;
  *) die "usage: $0 start|stop" ;;
esac
