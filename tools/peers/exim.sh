#!/usr/bin/env bash
# Exim (Debian's exim4-daemon-light, unpacked, not installed) on
# 127.0.0.1:12526 with a minimal configuration of its own: mail for
# alice and postmaster at smtpspec.test goes to maildirs, nothing is
# relayed, no DNS.
#   tools/peers/exim.sh start   prints the `./smtpspec run` arguments
#   tools/peers/exim.sh stop    stops the daemon by PID
# PEER_PORT and PEER_DIR pick another port and instance folder. Exim
# wants its compiled-in user `Debian-exim`, created if missing; a -C
# configuration that is not in /etc/exim4/trusted_configs makes it give
# up root, so it runs (and delivers) as that user.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
name=exim
port="${PEER_PORT:-12526}"
dir="${PEER_DIR:-$peers_base/$name/instance}"
pkg="$peers_base/$name"

write_config() {
  mkdir -p "$dir/spool" "$dir/mail" "$dir/log"
  # No STARTTLS unless the test gives a certificate (lib.sh, tls_files).
  local tls="tls_advertise_hosts ="
  if tls_files Debian-exim; then
    tls="tls_advertise_hosts = *
tls_certificate = $dir/tls/cert.pem
tls_privatekey = $dir/tls/key.pem"
  fi
  cat >"$dir/exim.conf" <<CF
primary_hostname = exim.$peer_domain
# Exim re-executes itself to deliver and to run the queue.
exim_path = $pkg/usr/sbin/exim4
keep_environment =
$tls
qualify_domain = $peer_domain
# @ is the primary host name: Exim turns <postmaster> into
# postmaster@exim.$peer_domain (RFC 5321 4.5.1).
domainlist local_domains = @ : $peer_domain
local_interfaces = 127.0.0.1
spool_directory = $dir/spool
log_file_path = $dir/log/%slog
pid_file_path = $dir/exim.pid
host_lookup =
rfc1413_hosts =
acl_smtp_rcpt = acl_check_rcpt

begin acl
acl_check_rcpt:
  accept domains = +local_domains
         local_parts = alice : postmaster
  deny   domains = +local_domains
         message = unknown user
  deny   message = relay not permitted

begin routers
mailboxes:
  driver = accept
  domains = +local_domains
  local_parts = alice : postmaster
  transport = maildir

begin transports
maildir:
  driver = appendfile
  # The matched list item, not the tainted address from the wire.
  directory = $dir/mail/\$local_part_data
  maildir_format
  create_directory
  user = Debian-exim

begin retry
* * F,1h,10m
CF
  chown -R Debian-exim "$dir/spool" "$dir/mail" "$dir/log"
}

start() {
  if running "$dir/pid"; then
    announce "$name" "$(cat "$dir/port")" "$dir/mail"
    return
  fi
  unpack "$name" exim4-daemon-light
  ensure_user Debian-exim
  write_config
  echo "$port" >"$dir/port"
  # -bdf: the daemon stays in the foreground, so $! is its PID.
  "$pkg/usr/sbin/exim4" -C "$dir/exim.conf" -bdf -q30m -oX "$port" \
    </dev/null >"$dir/log/daemon.out" 2>&1 &
  echo $! >"$dir/pid"
  wait_listening "$port" "$(cat "$dir/pid")" "$dir/log/paniclog"
  announce "$name" "$port" "$dir/mail"
}

case "${1:-}" in
  start) start ;;
  stop) stop_pid "$dir/pid" ;;
  *) die "usage: $0 start|stop" ;;
esac
