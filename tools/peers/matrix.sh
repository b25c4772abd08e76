#!/usr/bin/env bash
# The conformance matrix against real peers from Debian (docs/peers.md):
# starts Postfix, Exim, OpenSMTPD and aiosmtpd on loopback, and runs the
# server scenarios against them and the client scenarios against swaks,
# msmtp, curl and Python's smtplib (templates in clients.conf) in one
# `./smtpspec run`, with those peers' expectations files applied, each
# server's maildir checked against what it was sent (--delivered); stops
# every server, also on failure or Ctrl-C.
#
#   tools/peers/matrix.sh [PATH...]   (default: scenarios/rfc5321, rfc3030 and rfc1870)
#
# Writes .smtpspec/matrix/matrix.html, matrix.json and matrix.xml (JUnit). Exits 0 when every
# divergence is an expected one, 1 otherwise, 2 when something could not
# run. SERVERS and CLIENTS (space-separated names; empty for none) pick a
# subset.
set -euo pipefail
peers="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
root="$(cd "$peers/../.." && pwd)"
source "$peers/lib.sh"
out="$root/.smtpspec/matrix"
read -r -a servers <<<"${SERVERS-postfix exim opensmtpd aiosmtpd}"
read -r -a clients <<<"${CLIENTS-swaks msmtp curl smtplib}"
paths=("$@")
[ ${#paths[@]} -eq 0 ] && paths=("$root/scenarios/rfc5321" "$root/scenarios/rfc3030" "$root/scenarios/rfc1870")
if [ ${#servers[@]} -eq 0 ] && [ ${#clients[@]} -eq 0 ]; then
  echo "matrix.sh: SERVERS and CLIENTS are both empty" >&2
  exit 2
fi

"$root/tools/setup.sh"
cd "$root"

stop_all() {
  for server in "${servers[@]}"; do "$peers/$server.sh" stop || true; done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# Scenario files for one side: `smtpspec list` prints ID LEVEL TESTS ...
# FILE, one scenario a line after a header.
files_for() {
  ./smtpspec list "${paths[@]}" |
    awk -v side="$1" 'NR > 1 && ($3 == side || $3 == "both") { print $NF }' |
    sort -u
}

# With servers and clients, `run` gives each side its own scenarios; with
# one side only, the other side's scenarios are left out rather than shown
# as SKIPPED.
files=("${paths[@]}")
[ ${#clients[@]} -gt 0 ] || mapfile -t files < <(files_for server)
[ ${#servers[@]} -gt 0 ] || mapfile -t files < <(files_for client)
if [ ${#files[@]} -eq 0 ]; then
  echo "matrix.sh: no scenario for these peers under ${paths[*]}" >&2
  exit 2
fi

args=()
expect=()
for server in "${servers[@]}"; do
  # Word splitting wanted: the script prints `--target ... --var ...`.
  # shellcheck disable=SC2207
  args+=($("$peers/$server.sh" start))
done
for client in "${clients[@]}"; do
  template="$(awk -v n="$client" '$1 == n { sub(/^[^ ]+ +/, ""); print }' \
    "$peers/clients.conf")"
  [ -n "$template" ] || { echo "matrix.sh: no client $client in clients.conf" >&2; exit 2; }
  # The addresses the servers are configured for (lib.sh), for this client.
  args+=(--client "$client=$template"
    --var "$client:domain=$peer_domain" --var "$client:mailbox=$peer_mailbox"
    --var "$client:sender=$peer_sender"
    --var "$client:client_domain=$peer_client_domain")
done
for name in "${servers[@]}" "${clients[@]}"; do
  [ ! -f "$root/expectations/$name.expect" ] ||
    expect+=(--expect "$root/expectations/$name.expect")
done

rm -rf "$out/parts" # what earlier versions merged
mkdir -p "$out"
echo "smtpspec: ${servers[*]} ${clients[*]}: ${paths[*]}" >&2
status=0
./smtpspec run "${args[@]}" "${expect[@]}" --report-json "$out/matrix.json" \
  --report-html "$out/matrix.html" --report-junit "$out/matrix.xml" \
  "${files[@]}" || status=$?
echo "smtpspec: matrix in $out/matrix.html" >&2
exit "$status"
