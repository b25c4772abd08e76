#!/usr/bin/env bash
# Installs every Debian package smtpspec needs to build and test.
# Idempotent: when everything is present it prints nothing and exits 0.
# Usage: tools/setup.sh [--quiet]
set -euo pipefail

# Build and unit tests (issue 3 onwards).
PACKAGES=(
  bazel-bootstrap      # Bazel 4.2.3, works offline in WORKSPACE mode
  bazel-rules-java     # @rules_java for the offline WORKSPACE
  g++
  libgtest-dev
  libgmock-dev
  libyaml-cpp-dev
  libssl-dev
  openssl              # test-time key and certificate generation
  libbenchmark-dev     # bench/ (Google Benchmark)
  python3              # /usr/bin/python3 for the runner
  python3-pytest
  python3-lxml         # JUnit XSD validation in reports/ tests
  python3-yaml         # the run configuration, smtpspec.yaml (runner/run_config.py)
  chromium             # headless rendering test of the HTML report
  # Real peers for interoperability tests (issue 5) and client mode.
  swaks
  libnet-ssleay-perl   # swaks --tls (STARTTLS) needs Net::SSLeay
  msmtp
  curl
  python3-aiosmtpd
  valgrind             # bench/: instructions per session (callgrind)
)

missing=()
for p in "${PACKAGES[@]}"; do
  # dpkg-query is fast and needs no package lists.
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "smtpspec setup: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Package lists may be absent on a fresh machine; refresh once.
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "smtpspec setup: done" >&2
