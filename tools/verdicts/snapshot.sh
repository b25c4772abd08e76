#!/usr/bin/env bash
# A verdict snapshot of the whole project's runs (snapshot.py): the corpus
# against the reference agents (`./smtpspec run`) and the real-peer matrix
# (tools/peers/matrix.sh), to compare before and after a change that must
# not change verdicts:
#
#   tools/verdicts/snapshot.sh before.tsv      (on the old commit)
#   tools/verdicts/snapshot.sh after.tsv       (on the new one)
#   python3 tools/verdicts/snapshot.py compare before.tsv after.tsv
#
# NO_MATRIX=1 leaves the matrix out. Run exit codes 0 and 1 are both
# fine here: the verdicts are what is compared.
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
out="${1:?usage: snapshot.sh OUT.tsv}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
reports=("$work/run.json")
./smtpspec run --report-json "$work/run.json" >"$work/run.log" 2>&1
[ $? -le 1 ] || { tail -5 "$work/run.log" >&2; exit 2; }
if [ -z "${NO_MATRIX-}" ]; then
  tools/peers/matrix.sh >"$work/matrix.log" 2>&1
  [ $? -le 1 ] || { tail -5 "$work/matrix.log" >&2; exit 2; }
  reports+=("$root/.smtpspec/matrix/matrix.json")
fi
/usr/bin/python3 tools/verdicts/snapshot.py take "${reports[@]}" >"$out"
echo "snapshot.sh: $(wc -l <"$out") lines in $out"
