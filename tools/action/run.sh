#!/usr/bin/env bash
# The GitHub action's step (action.yml): `smtpspec run` from the INPUT_*
# variables, through the Dockerfile's image or this checkout's ./smtpspec,
# with the three reports in INPUT_REPORTS; their paths and smtpspec's exit
# code go to $GITHUB_OUTPUT, and the step exits with that code (0 passed,
# 1 divergences, 2 usage or setup error).
#
# Multi-line inputs (target, client, scenarios, args) are one value a line;
# blank lines are skipped. SMTPSPEC_ACTION_PATH overrides where smtpspec is
# (default: the action's folder, $GITHUB_ACTION_PATH); DOCKER overrides the
# container tool (default docker; podman works too).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
action="${SMTPSPEC_ACTION_PATH:-${GITHUB_ACTION_PATH:-$here}}"
docker="${DOCKER:-docker}"
how="${INPUT_HOW:-image}"
reports="${INPUT_REPORTS:-smtpspec-results}"

fail() {
  echo "smtpspec action: $*" >&2
  exit 2
}

case "$how" in
  image|direct) ;;
  *) fail "input 'how' is '$how'; it must be 'image' or 'direct'" ;;
esac
[ -n "${GITHUB_OUTPUT:-}" ] || fail "GITHUB_OUTPUT is not set (run.sh runs as a GitHub Actions step)"

# lines NAME: the non-blank lines of $NAME, into the array LINES.
lines() {
  LINES=()
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    if [ -n "${line//[[:space:]]/}" ]; then LINES+=("$line"); fi
  done <<< "${!1:-}"
}

argv=(run)
lines INPUT_TARGET
for t in ${LINES[@]+"${LINES[@]}"}; do argv+=(--target "$t"); done
lines INPUT_CLIENT
for c in ${LINES[@]+"${LINES[@]}"}; do argv+=(--client "$c"); done
[ -z "${INPUT_EXPECT:-}" ] || argv+=(--expect "$INPUT_EXPECT")
[ -z "${INPUT_TAGS:-}" ] || argv+=(--tags "$INPUT_TAGS")
mkdir -p "$reports"
junit="$reports/junit.xml" html="$reports/report.html" json="$reports/run.json"
argv+=(--report-junit "$junit" --report-html "$html" --report-json "$json")
lines INPUT_ARGS
argv+=(${LINES[@]+"${LINES[@]}"})
lines INPUT_SCENARIOS
argv+=(${LINES[@]+"${LINES[@]}"})

if [ "$how" = direct ]; then
  command=("$action/smtpspec")
else
  image="smtpspec-action:local"
  "$docker" build --quiet --tag "$image" "$action" >/dev/null ||
    fail "could not build the image of $action/Dockerfile with $docker"
  # The workspace at the same path (relative scenario and report paths,
  # annotations' file names), the host's network (a target on
  # 127.0.0.1), the job summary's folder, and GitHub's variables.
  mounts=(--volume "$PWD:$PWD")
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    summary_dir="$(dirname "$GITHUB_STEP_SUMMARY")"
    mounts+=(--volume "$summary_dir:$summary_dir")
  fi
  command=("$docker" run --rm --network host "${mounts[@]}" --workdir "$PWD"
           --env CI --env GITHUB_ACTIONS --env GITHUB_STEP_SUMMARY
           "$image")
fi

code=0
"${command[@]}" "${argv[@]}" || code=$?
{
  echo "exit-code=$code"
  echo "junit=$junit"
  echo "html=$html"
  echo "json=$json"
} >> "$GITHUB_OUTPUT"
exit "$code"
