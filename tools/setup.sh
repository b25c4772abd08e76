#!/usr/bin/env bash
# Installs the Debian packages smtpspec needs, in three tiers:
#   runtime: what the prebuilt binaries and the Python runner need to run
#            (all a release tarball needs: //:release, docs/building.md);
#   build:   runtime + what `bazel build //:release` needs;
#   all:     build + what the tests, the benchmarks and the peers need.
# In a checkout (a WORKSPACE beside tools/) the default is all; in an
# unpacked release (no sources, nothing to build) it is runtime.
# Idempotent: when everything is present it prints nothing and exits 0.
# Usage: tools/setup.sh [--quiet] [--runtime|--build|--all] [--print]
#   --quiet  say nothing, not even what is being installed
#   --print  install nothing: print the tier's packages, one a line
set -euo pipefail

# The binaries link these dynamically (tools/release/release_test.py checks
# that every library they load comes from one of them); the runner is
# Debian's python3 and calls the openssl command (a throw-away certificate
# for the reference server, the probe's chain check); ca-certificates is
# what the probe verifies a live server's certificate against.
RUNTIME=(
  python3              # /usr/bin/python3 for the runner
  python3-yaml         # the run configuration, smtpspec.yaml (runner/run_config.py)
  libc6
  libstdc++6
  libgcc-s1
  libssl3
  libyaml-cpp0.7
  openssl
  ca-certificates
)

# Build (issue 3 onwards).
BUILD=(
  bazel-bootstrap      # Bazel 4.2.3, works offline in WORKSPACE mode
  bazel-rules-java     # @rules_java for the offline WORKSPACE
  g++
  python-is-python3    # Bazel 4's py_binary stub runs "/usr/bin/env python"
  libyaml-cpp-dev
  libssl-dev
)

# Unit tests, benchmarks and the real peers.
TEST=(
  libgtest-dev
  libgmock-dev
  libbenchmark-dev     # bench/ (Google Benchmark)
  python3-pytest
  python3-lxml         # JUnit XSD validation in reports/ tests
  chromium             # headless rendering test of the HTML report
  zsh                  # runner:completion_test completes in a real zsh
  groff-base           # runner:manpage_test renders the man page
  man-db
  # Real peers for interoperability tests (issue 5) and client mode.
  swaks
  libnet-ssleay-perl   # swaks --tls (STARTTLS) needs Net::SSLeay
  msmtp
  curl
  python3-aiosmtpd
  valgrind             # bench/: instructions per session (callgrind)
)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tier=all
[ -e "$root/WORKSPACE" ] || tier=runtime
quiet="" print=""
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=1 ;;
    --print) print=1 ;;
    --runtime) tier=runtime ;;
    --build) tier=build ;;
    --all) tier=all ;;
    *) echo "smtpspec setup: unknown argument '$arg' (usage: tools/setup.sh" \
         "[--quiet] [--runtime|--build|--all] [--print])" >&2; exit 2 ;;
  esac
done

PACKAGES=("${RUNTIME[@]}")
[ "$tier" = runtime ] || PACKAGES+=("${BUILD[@]}")
[ "$tier" = all ] && PACKAGES+=("${TEST[@]}")
if [ -n "$print" ]; then
  printf '%s\n' "${PACKAGES[@]}"
  exit 0
fi

missing=()
for p in "${PACKAGES[@]}"; do
  # dpkg-query is fast and needs no package lists.
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ -n "$quiet" ] || echo "smtpspec setup: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Package lists may be absent on a fresh machine; refresh once.
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
[ -n "$quiet" ] || echo "smtpspec setup: done" >&2
