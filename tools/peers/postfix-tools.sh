#!/usr/bin/env bash
# Unpacks Debian's postfix package into .smtpspec/peers/postfix (without
# installing it: Debian's MTAs conflict with each other as packages, and an
# installed postfix would start a daemon on port 25) and runs one of its
# programs from there, e.g.:
#   tools/peers/postfix-tools.sh smtp-sink -u nobody 127.0.0.1:2526 100
#   tools/peers/postfix-tools.sh smtp-source -s 20 -m 1000 127.0.0.1:2525
# Idempotent; quiet when the package is already unpacked.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$root/.smtpspec/peers/postfix"
if [ ! -x "$dir/usr/sbin/smtp-sink" ]; then
  echo "smtpspec: unpacking Debian's postfix into $dir" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download postfix >/dev/null 2>&1) || {
    apt-get update -qq >/dev/null
    (cd "$tmp" && apt-get download postfix >/dev/null 2>&1)
  }
  mkdir -p "$dir"
  dpkg -x "$tmp"/postfix_*.deb "$dir"
fi
[ $# -eq 0 ] && { echo "$dir"; exit 0; }
prog="$1"
shift
export LD_LIBRARY_PATH="$dir/usr/lib/postfix${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec "$dir/usr/sbin/$prog" "$@"
