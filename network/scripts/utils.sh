# shellcheck shell=bash
# Shared helpers for network.sh and its step scripts: logging, step tracking, bounded waits.
# Sourced, never executed.

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
  C_RESET=$'\033[0m' C_BLUE=$'\033[0;34m' C_GREEN=$'\033[0;32m' C_YELLOW=$'\033[1;33m' C_RED=$'\033[0;31m'
else
  C_RESET='' C_BLUE='' C_GREEN='' C_YELLOW='' C_RED=''
fi

# The step currently running; every failure message names it.
CURRENT_STEP="${CURRENT_STEP:-startup}"

infoln() { printf '%s\n' "${C_BLUE}$*${C_RESET}"; }
successln() { printf '%s\n' "${C_GREEN}$*${C_RESET}"; }
warnln() { printf '%s\n' "${C_YELLOW}WARNING: $*${C_RESET}" >&2; }

# Print an error naming the failing step, then exit (default status 1).
fatalln() {
  local message="$1" status="${2:-1}"
  printf '%s\n' "${C_RED}ERROR [step: ${CURRENT_STEP}]: ${message}${C_RESET}" >&2
  exit "$status"
}

# Enter a named step; failures after this point are reported against it.
step() {
  CURRENT_STEP="$1"
  infoln "==> ${CURRENT_STEP}"
}

# ERR trap target: a command failed without an explicit fatalln.
on_unexpected_error() {
  local status="$1" line="$2" source_file="$3"
  printf '%s\n' "${C_RED}ERROR [step: ${CURRENT_STEP}]: command failed with status ${status} (${source_file}:${line})${C_RESET}" >&2
}

# wait_until DESCRIPTION ATTEMPTS DELAY_SECONDS COMMAND...
# Runs COMMAND until it succeeds; after ATTEMPTS failures exits naming what it waited for.
wait_until() {
  local description="$1" attempts="$2" delay="$3"
  shift 3
  local attempt
  for ((attempt = 1; attempt <= attempts; attempt++)); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep "$delay"
  done
  fatalln "timed out waiting for ${description} (${attempts} attempts, ${delay}s apart)"
}

# Run a command, capturing its output; on failure print the output and fail the step.
run_or_fail() {
  local description="$1"
  shift
  local output
  if ! output="$("$@" 2>&1)"; then
    printf '%s\n' "$output" >&2
    fatalln "${description} failed: $*"
  fi
}
