#!/usr/bin/env bash
# aiosmtpd (Debian's python3-aiosmtpd) on 127.0.0.1:12528, storing every
# message into a maildir with its Mailbox handler (which accepts any
# recipient).
#   tools/peers/aiosmtpd.sh start   prints the `./smtpspec run` arguments
#   tools/peers/aiosmtpd.sh stop    stops it by PID
# PEER_PORT and PEER_DIR pick another port and instance folder.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
name=aiosmtpd
port="${PEER_PORT:-12528}"
dir="${PEER_DIR:-$peers_base/$name/instance}"

start() {
  if running "$dir/pid"; then
    announce "$name" "$(cat "$dir/port")" "$dir/mail"
    return
  fi
  # Debian's python3, not whatever python3 comes first on PATH.
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null ||
    die "python3-aiosmtpd is missing: run tools/setup.sh"
  mkdir -p "$dir"/mail/{cur,new,tmp}
  echo "$port" >"$dir/port"
  local tls=()
  if tls_files "$(id -un)"; then
    # Offered, not required (--no-requiretls), as the other peers do.
    tls=(--tlscert "$dir/tls/cert.pem" --tlskey "$dir/tls/key.pem"
      --no-requiretls)
  fi
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" "${tls[@]}" \
    -c aiosmtpd.handlers.Mailbox "$dir/mail" </dev/null >"$dir/log" 2>&1 &
  echo $! >"$dir/pid"
  wait_listening "$port" "$(cat "$dir/pid")" "$dir/log"
  announce "$name" "$port" "$dir/mail"
}

case "${1:-}" in
  start) start ;;
  stop) stop_pid "$dir/pid" ;;
  *) die "usage: $0 start|stop" ;;
esac
