#!/usr/bin/env bash
# Postfix (Debian's postfix, unpacked, not installed) on 127.0.0.1:12525,
# with a main.cf and master.cf of its own: mail for smtpspec.test goes to
# maildirs through the virtual agent, no DNS, no chroot, logs to a file.
#   tools/peers/postfix.sh start   prints the `./smtpspec run` arguments
#   tools/peers/postfix.sh stop    stops the master by PID
# PEER_PORT and PEER_DIR pick another port and instance folder. Postfix
# refuses to run its daemons as root: they run as the user `postfix`,
# created (with the group `postdrop`) if missing.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
name=postfix
port="${PEER_PORT:-12525}"
dir="${PEER_DIR:-$peers_base/$name/instance}"
pkg="$peers_base/$name"

write_config() {
  mkdir -p "$dir/etc" "$dir/queue" "$dir/data" "$dir/mail" "$dir/log"
  cat >"$dir/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
command_directory = $pkg/usr/sbin
daemon_directory = $pkg/usr/lib/postfix/sbin
shlib_directory = $pkg/usr/lib/postfix
meta_directory = $pkg/etc/postfix
mail_owner = postfix
setgid_group = postdrop
# The daemons find the unpacked libraries through the environment.
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C
    LD_LIBRARY_PATH=$pkg/usr/lib/postfix
maillog_file = $dir/log/postfix.log
maillog_file_prefixes = $dir/log
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
myhostname = postfix.$peer_domain
mydomain = $peer_domain
# <postmaster> without a domain means postmaster@$peer_domain.
myorigin = \$mydomain
mydestination =
alias_maps =
alias_database =
disable_dns_lookups = yes
smtp_dns_support_level = disabled
biff = no
virtual_mailbox_domains = $peer_domain
virtual_mailbox_base = $dir/mail
virtual_mailbox_maps = inline:{ $peer_mailbox=alice/,
    postmaster@$peer_domain=postmaster/ }
virtual_minimum_uid = 1
virtual_uid_maps = static:$(id -u postfix)
virtual_gid_maps = static:$(id -g postfix)
CF
  cat >"$dir/etc/master.cf" <<CF
# service            type  private unpriv chroot wakeup maxproc command
127.0.0.1:$port      inet  n       -      n      -      -       smtpd
pickup               unix  n       -      n      60     1       pickup
cleanup              unix  n       -      n      -      0       cleanup
qmgr                 unix  n       -      n      300    1       qmgr
rewrite              unix  -       -      n      -      -       trivial-rewrite
bounce               unix  -       -      n      -      0       bounce
defer                unix  -       -      n      -      0       bounce
trace                unix  -       -      n      -      0       bounce
verify               unix  -       -      n      -      1       verify
flush                unix  n       -      n      1000?  0       flush
proxymap             unix  -       -      n      -      -       proxymap
showq                unix  n       -      n      -      -       showq
error                unix  -       -      n      -      -       error
retry                unix  -       -      n      -      -       error
discard              unix  -       -      n      -      -       discard
smtp                 unix  -       -      n      -      -       smtp
relay                unix  -       -      n      -      -       smtp
virtual              unix  -       n      n      -      -       virtual
anvil                unix  -       -      n      -      1       anvil
scache               unix  -       -      n      -      1       scache
postlog              unix-dgram n  -      n      -      1       postlogd
CF
  chown postfix:postfix "$dir/mail" "$dir/data"
  if tls_files root; then
    # STARTTLS offered, not required (RFC 3207 4: a publicly referenced
    # server must not require it); tlsmgr keeps the session cache.
    cat >>"$dir/etc/main.cf" <<CF
smtpd_tls_security_level = may
smtpd_tls_cert_file = $dir/tls/cert.pem
smtpd_tls_key_file = $dir/tls/key.pem
CF
    echo "tlsmgr               unix  -       -      n      1000?  1       tlsmgr" \
      >>"$dir/etc/master.cf"
  fi
}

start() {
  if running "$dir/pid"; then
    announce "$name" "$(cat "$dir/port")" "$dir/mail"
    return
  fi
  unpack "$name" postfix
  ensure_user postfix
  getent group postdrop >/dev/null || groupadd --system postdrop
  write_config
  echo "$port" >"$dir/port"
  export LD_LIBRARY_PATH="$pkg/usr/lib/postfix"
  "$pkg/usr/sbin/postfix" -c "$dir/etc" start >"$dir/log/start.log" 2>&1 ||
    { cat "$dir/log/"* >&2; die "postfix did not start"; }
  for _ in $(seq 50); do
    [ -s "$dir/queue/pid/master.pid" ] && break
    sleep 0.1
  done
  tr -dc 0-9 <"$dir/queue/pid/master.pid" >"$dir/pid"
  wait_listening "$port" "$(cat "$dir/pid")" "$dir/log/postfix.log"
  announce "$name" "$port" "$dir/mail"
}

case "${1:-}" in
  start) start ;;
  stop) stop_pid "$dir/pid" ;;
  *) die "usage: $0 start|stop" ;;
esac
