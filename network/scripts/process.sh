# shellcheck shell=bash
# Process bookkeeping: every process is started from a launcher script under state/run/, logs to
# state/logs/<component>.log and is recorded in state/pids/<component>.pid as "PID START_TIME".
# Needs settings.sh and hosts.sh (a launcher enters its component's namespace on the netns layout).
# Processes are only ever stopped through these records, never by name pattern.

# Kernel start time of a process (clock ticks since boot), or empty where /proc is unavailable.
# Stored next to the PID so that a PID reused by an unrelated process is never signalled.
process_start_time() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  # Field 22 of /proc/PID/stat; the command name (field 2) may contain spaces, so cut after ')'.
  stat="${stat##*) }"
  awk '{ print $20 }' <<<"$stat"
}

# True when the process exists and is not a zombie.
pid_alive() {
  local pid="$1" state
  kill -0 "$pid" 2>/dev/null || return 1
  state="$(cat "/proc/${pid}/stat" 2>/dev/null)" || return 0
  state="${state##*) }"
  [[ "${state%% *}" != Z ]]
}

record_pid() {
  local component="$1" pid="$2"
  mkdir -p "$(dirname "$(pid_path "$component")")"
  printf '%s %s\n' "$pid" "$(process_start_time "$pid")" >"$(pid_path "$component")"
}

# Print the PID recorded in a pid file if that very process is still running; return 1 otherwise.
# Garbage, empty or stale files are reported (stderr) and treated as "not running".
recorded_live_pid() {
  local file="$1" pid="" start="" rest=""
  [[ -f "$file" ]] || return 1
  read -r pid start rest <"$file" 2>/dev/null || true
  if ! [[ "$pid" =~ ^[1-9][0-9]*$ ]]; then
    warnln "ignoring ${file}: it does not hold a PID"
    return 1
  fi
  pid_alive "$pid" || return 1
  if [[ -n "$start" && "$(process_start_time "$pid")" != "$start" ]]; then
    warnln "ignoring ${file}: PID ${pid} now belongs to a different process"
    return 1
  fi
  echo "$pid"
}

component_running() {
  recorded_live_pid "$(pid_path "$1")" >/dev/null 2>&1
}

# Start a component from its launcher in the background and record its PID.
start_component() {
  local component="$1" launcher
  launcher="$(launcher_path "$component")"
  [[ -f "$launcher" ]] || fatalln "no launcher for ${component} at ${launcher} ('up' writes those of orderers and peers, 'deployCC' those of chaincode servers)"
  if component_running "$component"; then
    warnln "${component} is already running"
    return 0
  fi
  mkdir -p "$(dirname "$(log_path "$component")")"
  printf '\n==== %s starting %s ====\n' "$(date -u +%FT%TZ)" "$component" >>"$(log_path "$component")"
  # The launcher execs the real binary, so $! is the process to record and later signal.
  nohup bash "$launcher" >>"$(log_path "$component")" 2>&1 </dev/null &
  record_pid "$component" "$!"
  infoln "started ${component} (pid $!, log $(log_path "$component"))"
}

# Stop the process recorded in one pid file: TERM, bounded wait, then KILL. Removes the file.
stop_recorded() {
  local file="$1" label="$2" pid attempt
  if pid="$(recorded_live_pid "$file")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((attempt = 0; attempt < 50; attempt++)); do
      pid_alive "$pid" || break
      sleep 0.2
    done
    if pid_alive "$pid"; then
      warnln "${label} (pid ${pid}) ignored SIGTERM for 10s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    infoln "stopped ${label} (pid ${pid})"
  fi
  rm -f "$file"
}

stop_component() {
  stop_recorded "$(pid_path "$1")" "$1"
}

# Stop every recorded process, whatever the recorded settings say: this is what `down` relies on
# after a partial `up` or with a damaged state directory.
stop_all_recorded() {
  local file
  [[ -d "${STATE_DIR}/pids" ]] || return 0
  for file in "${STATE_DIR}"/pids/*.pid; do
    [[ -e "$file" ]] || continue
    stop_recorded "$file" "$(basename "$file" .pid)"
  done
}

# Write a launcher: `cd DIR`, exported environment, then exec of the command. Arguments after
# `--` are the command; before it, NAME=VALUE pairs.
write_launcher() {
  local component="$1" workdir="$2"
  shift 2
  local file namespace
  file="$(launcher_path "$component")"
  mkdir -p "$(dirname "$file")"
  {
    echo '#!/usr/bin/env bash'
    echo "# Launcher for ${component}, written by network.sh up/deployCC. Restart reuses it."
    echo 'set -euo pipefail'
    printf 'cd %q\n' "$workdir"
    while [[ $# -gt 0 && "$1" != -- ]]; do
      printf 'export %q\n' "$1"
      shift
    done
    shift
    printf 'exec'
    # On the netns layout the process runs in its org's namespace; `ip netns exec` execs it in
    # place, so the recorded PID is still the process itself.
    namespace="$(component_namespace "$component")"
    [[ -z "$namespace" ]] || printf ' ip netns exec %q' "$namespace"
    printf ' %q' "$@"
    printf '\n'
  } >"$file"
  chmod +x "$file"
}
