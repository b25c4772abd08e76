#!/usr/bin/env bash
# The conformance matrix against real peers from Debian (docs/peers.md):
# starts Postfix, Exim, OpenSMTPD and aiosmtpd on loopback, runs the
# server scenarios against all of them in one `./smtpspec run`, runs the
# client scenarios against swaks, msmtp, curl and Python's smtplib (one
# `./smtpspec run --client-cmd` each, templates in clients.conf), merges
# everything into one report with the expectations files applied, and
# stops every server, also on failure or Ctrl-C.
#
#   tools/peers/matrix.sh [PATH...]      (default: scenarios/rfc5321)
#
# Writes .smtpspec/matrix/matrix.html and matrix.json (and one part per
# run in .smtpspec/matrix/parts/). Exits 0 when every divergence is an
# expected one, 1 otherwise, 2 when something could not run.
# SERVERS and CLIENTS (space-separated names) pick a subset.
set -euo pipefail
peers="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
root="$(cd "$peers/../.." && pwd)"
out="$root/.smtpspec/matrix"
read -r -a servers <<<"${SERVERS:-postfix exim opensmtpd aiosmtpd}"
read -r -a clients <<<"${CLIENTS:-swaks msmtp curl smtplib}"
paths=("$@")
[ ${#paths[@]} -eq 0 ] && paths=("$root/scenarios/rfc5321")

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

rm -rf "$out/parts"
mkdir -p "$out/parts"
expect=("$root"/expectations/*.expect)
cat "${expect[@]}" >"$out/parts/all.expect"
mapfile -t server_files < <(files_for server)
mapfile -t client_files < <(files_for client)
parts=()
status=0

if [ ${#servers[@]} -gt 0 ] && [ ${#server_files[@]} -gt 0 ]; then
  args=()
  for server in "${servers[@]}"; do
    # Word splitting wanted: the script prints `--target ... --var ...`.
    # shellcheck disable=SC2207
    args+=($("$peers/$server.sh" start))
  done
  echo "smtpspec: ${#server_files[@]} scenarios against ${servers[*]}" >&2
  ./smtpspec run "${args[@]}" --expect "$out/parts/all.expect" \
    --report-json "$out/parts/servers.json" "${server_files[@]}" \
    >"$out/parts/servers.log" || status=$?
  [ "$status" -le 1 ] || { cat "$out/parts/servers.log" >&2; exit 2; }
  parts+=("$out/parts/servers.json")
  stop_all
fi

for client in "${clients[@]}"; do
  [ ${#client_files[@]} -gt 0 ] || break
  template="$(awk -v n="$client" '$1 == n { sub(/^[^ ]+ +/, ""); print }' \
    "$peers/clients.conf")"
  [ -n "$template" ] || { echo "no client $client in clients.conf" >&2; exit 2; }
  echo "smtpspec: ${#client_files[@]} client scenarios against $client" >&2
  status=0
  ./smtpspec run --client-cmd "${template//\{clients\}/$peers/clients}" \
    --var domain=smtpspec.test --var client_domain=client.smtpspec.test \
    --report-json "$out/parts/client-$client.json" "${client_files[@]}" \
    >"$out/parts/client-$client.log" || status=$?
  [ "$status" -le 1 ] || { cat "$out/parts/client-$client.log" >&2; exit 2; }
  parts+=("$out/parts/client-$client.json:$client")
done

expect_flags=()
for file in "${expect[@]}"; do expect_flags+=(--expect "$file"); done
/usr/bin/python3 "$peers/merge.py" --json "$out/matrix.json" \
  --html "$out/matrix.html" "${expect_flags[@]}" "${parts[@]}"
