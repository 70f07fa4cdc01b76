#!/usr/bin/env bash
# fedledger's Fabric consortium as native processes (no Docker): see `./network.sh help`
# and docs/operations.md.
set -Eeuo pipefail

NETWORK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPTS_DIR="${NETWORK_DIR}/scripts"
# shellcheck source=scripts/utils.sh
source "${SCRIPTS_DIR}/utils.sh"
# shellcheck source=scripts/settings.sh
source "${SCRIPTS_DIR}/settings.sh"
# shellcheck source=scripts/hosts.sh
source "${SCRIPTS_DIR}/hosts.sh"
# shellcheck source=scripts/process.sh
source "${SCRIPTS_DIR}/process.sh"
# shellcheck source=scripts/ordering.sh
source "${SCRIPTS_DIR}/ordering.sh"
# shellcheck source=scripts/artifacts.sh
source "${SCRIPTS_DIR}/artifacts.sh"
# shellcheck source=scripts/nodes.sh
source "${SCRIPTS_DIR}/nodes.sh"
# shellcheck source=scripts/chaincode.sh
source "${SCRIPTS_DIR}/chaincode.sh"
# shellcheck source=scripts/status.sh
source "${SCRIPTS_DIR}/status.sh"
# shellcheck source=scripts/help.sh
source "${SCRIPTS_DIR}/help.sh"

trap 'on_unexpected_error $? $LINENO "${BASH_SOURCE[0]}"' ERR

# --- argument parsing ------------------------------------------------------------------------

usage_error() {
  printf 'network.sh: %s\n\n' "$1" >&2
  print_usage >&2
  exit 2
}

# Flags each mode accepts (besides -h/--help).
mode_accepts() {
  local mode="$1" flag="$2"
  case "$mode:$flag" in
    up:-n | up:--orgs | up:-r | up:--raft | up:-c | up:--channel | up:-p | up:--base-port | up:-t | up:--batch-timeout) return 0 ;;
    up:--consensus | up:--allow-no-fault-tolerance | up:--hosts) return 0 ;;
    partition:--seconds) return 0 ;;
    logs:-f | logs:--follow | logs:-l | logs:--lines) return 0 ;;
  esac
  return 1
}

parse_args() {
  MODE="${1:-}"
  [[ -n "$MODE" ]] || usage_error "no mode given"
  shift
  case "$MODE" in
    up | deployCC | down | status | restart | logs | partition | heal | help) ;;
    -h | --help) MODE=help ;;
    *) usage_error "unknown mode '${MODE}'" ;;
  esac
  SHOW_HELP=0 COMPONENT="" HELP_TOPIC="" FOLLOW=0 LOG_LINES=100
  FLAG_ORGS="" FLAG_RAFT="" FLAG_CHANNEL="" FLAG_BASE_PORT="" FLAG_BATCH_TIMEOUT="" FLAG_CONSENSUS=""
  FLAG_ALLOW_NO_FAULT_TOLERANCE=0 FLAG_HOSTS="" PARTITION_SECONDS=""
  while [[ $# -gt 0 ]]; do
    local arg="$1"
    shift
    case "$arg" in
      -h | --help)
        SHOW_HELP=1
        continue
        ;;
      -*)
        mode_accepts "$MODE" "$arg" || usage_error "unknown flag '${arg}' for mode '${MODE}'"
        ;;
      *)
        if [[ "$MODE" == help && -z "$HELP_TOPIC" ]]; then
          HELP_TOPIC="$arg"
        elif [[ ("$MODE" == restart || "$MODE" == logs || "$MODE" == partition || "$MODE" == heal) && -z "$COMPONENT" ]]; then
          COMPONENT="$arg"
        else
          usage_error "unexpected argument '${arg}' for mode '${MODE}'"
        fi
        continue
        ;;
    esac
    case "$arg" in
      -f | --follow)
        FOLLOW=1
        continue
        ;;
      --allow-no-fault-tolerance)
        FLAG_ALLOW_NO_FAULT_TOLERANCE=1
        continue
        ;;
    esac
    [[ $# -gt 0 && "$1" != -* ]] || usage_error "flag '${arg}' needs a value"
    local value="$1"
    shift
    case "$arg" in
      -n | --orgs) FLAG_ORGS="$value" ;;
      -r | --raft) FLAG_RAFT="$value" ;;
      --consensus) FLAG_CONSENSUS="$value" ;;
      -c | --channel) FLAG_CHANNEL="$value" ;;
      -p | --base-port) FLAG_BASE_PORT="$value" ;;
      -t | --batch-timeout) FLAG_BATCH_TIMEOUT="$value" ;;
      --hosts) FLAG_HOSTS="$value" ;;
      --seconds)
        [[ "$value" =~ ^[1-9][0-9]*$ ]] || usage_error "--seconds needs a positive number (got '${value}')"
        PARTITION_SECONDS="$value"
        ;;
      -l | --lines)
        [[ "$value" =~ ^[1-9][0-9]*$ ]] || usage_error "--lines needs a positive number (got '${value}')"
        LOG_LINES="$value"
        ;;
    esac
  done
  if [[ "$SHOW_HELP" == 0 && ("$MODE" == restart || "$MODE" == logs) && -z "$COMPONENT" ]]; then
    usage_error "mode '${MODE}' needs a component (for example peer.org2, orderer1, cc.org1, peer.auditor)"
  fi
  if [[ "$SHOW_HELP" == 0 && ("$MODE" == partition || "$MODE" == heal) && -z "$COMPONENT" ]]; then
    usage_error "mode '${MODE}' needs an organization (for example org2, auditor)"
  fi
}

# --- shared checks ---------------------------------------------------------------------------

# Settings recorded by `up`; every mode but `up` and `down` needs a network that was brought up.
require_network_up() {
  CURRENT_STEP="check the network is up"
  load_recorded_settings ||
    fatalln "the network is not up (no ${RECORDED_SETTINGS}); run './network.sh up' first"
  FABRIC_BIN_DIR="${FABRIC_BIN_DIR:-${NETWORK_DIR}/bin}"
}

require_organization() {
  org_index "$1" >/dev/null || usage_error "unknown organization '$1'; this network has: $(peer_org_keys | tr '\n' ' ')"
}

require_component() {
  is_known_component "$1" ||
    usage_error "unknown component '$1'; this network has: $(all_components | tr '\n' ' ')"
}

# Every planned port must be free before anything is generated or started.
check_ports_free() {
  if [[ "$HOSTS" == netns ]]; then
    infoln "netns layout: every node listens in a namespace created for it, so no port can be taken yet"
    return 0
  fi
  local ports=() busy=() port use address
  address="$HOST"
  mapfile -t ports < <(planned_ports | cut -f1)
  mapfile -t busy < <(node "${SCRIPTS_DIR}/check-ports.js" "$address" "${ports[@]}")
  if [[ ${#busy[@]} -gt 0 ]]; then
    for port in "${busy[@]}"; do
      use="$(planned_ports | awk -F'\t' -v p="$port" '$1 == p { print $2 }')"
      warnln "port ${port} (${use}) is already in use on ${address}"
    done
    fatalln "port(s) ${busy[*]} already in use on ${address}: stop whatever holds them or choose another base port with -p/--base-port (now ${BASE_PORT})"
  fi
  infoln "all $((${#ports[@]})) ports from ${BASE_PORT} free on ${address}"
}

# --- modes -----------------------------------------------------------------------------------

apply_up_flags() {
  [[ -z "$FLAG_CONSENSUS" ]] || CONSENSUS="$FLAG_CONSENSUS"
  [[ "$FLAG_ALLOW_NO_FAULT_TOLERANCE" == 0 ]] || ALLOW_NO_FAULT_TOLERANCE=1
  [[ -z "$FLAG_ORGS" ]] || MEMBER_ORGS="$FLAG_ORGS"
  [[ -z "$FLAG_RAFT" ]] || RAFT_NODES="$FLAG_RAFT"
  [[ -z "$FLAG_CHANNEL" ]] || CHANNEL_NAME="$FLAG_CHANNEL"
  [[ -z "$FLAG_BASE_PORT" ]] || BASE_PORT="$FLAG_BASE_PORT"
  [[ -z "$FLAG_BATCH_TIMEOUT" ]] || BATCH_TIMEOUT="$FLAG_BATCH_TIMEOUT"
  [[ -z "$FLAG_HOSTS" ]] || HOSTS="$FLAG_HOSTS"
  # With BFT the node count follows the orgs; a Raft node count would be silently ignored.
  if [[ -n "$FLAG_RAFT" && "$CONSENSUS" == bft ]]; then
    usage_error "-r/--raft sets the Raft node count; with --consensus bft every member org and the auditor runs one orderer (add --consensus raft)"
  fi
  local problem
  problem="$(validate_settings)" || usage_error "$problem"
  if [[ "$CONSENSUS" == bft ]] && (($(orderer_count) < 4)); then
    warnln "************************************************************************************"
    warnln "--allow-no-fault-tolerance: $(bft_fault_tolerance_text)"
    warnln "For development only: this network is not Byzantine fault tolerant."
    warnln "************************************************************************************"
  fi
}

# The certificates named in the genesis block's consenter entries must be the ones each orderer
# runs with; checked before the block is made, so a mismatch stops 'up' at this step, by name.
check_consenter_certificates() {
  local i n file named
  n="$(orderer_count)"
  for ((i = 1; i <= n; i++)); do
    # Raft consenters are known by TLS certificate only; SmartBFT ones also by signing identity.
    named=("$(orderer_node_dir "$i")/tls/server.crt")
    [[ "$CONSENSUS" != bft ]] || named+=("$(orderer_identity_cert "$i")")
    for file in "${named[@]}" "$(orderer_node_dir "$i")/tls/server.key"; do
      [[ -s "$file" ]] || fatalln "orderer${i}: ${file} is missing or empty (cryptogen output incomplete)"
    done
    for file in "${named[@]}"; do
      grep -qF -- "$file" "${STATE_DIR}/config/configtx.yaml" ||
        fatalln "orderer${i}: configtx.yaml does not name ${file}, the certificate it runs with"
    done
  done
  infoln "${n} consenter(s): identity and TLS certificates present and named in configtx.yaml"
}

# From the moment state exists, a failed `up` leaves it (and any started process) behind.
hint_down_after_failed_up() {
  if [[ "$1" != 0 ]]; then
    warnln "'up' did not finish; processes started so far keep running. './network.sh down' stops them and removes ${STATE_DIR}"
  fi
}

network_up() {
  load_settings
  apply_up_flags

  step "check for an existing network"
  if [[ -e "$STATE_DIR" ]]; then
    fatalln "${STATE_DIR} already exists (a running network or the remains of a failed 'up'); run './network.sh down' first"
  fi

  if [[ "$HOSTS" == netns ]]; then
    step "check that network namespaces can be created"
    check_netns_capability
    check_netns_free
    apply_host_layout
  fi

  step "check ports"
  check_ports_free

  step "Fabric tools"
  local tools_status=0 bin_dir_file
  # The script picks the source (FABRIC_BIN, network/bin, a release bundle, a build) and names the
  # directory it chose in this file.
  bin_dir_file="$(mktemp "${TMPDIR:-/tmp}/fedledger-fabric-bin.XXXXXX")"
  "${SCRIPTS_DIR}/build-fabric-tools.sh" --bin-dir-file "$bin_dir_file" || tools_status=$?
  FABRIC_BIN_DIR="$(cat "$bin_dir_file")"
  rm -f "$bin_dir_file"
  if [[ "$tools_status" == 3 ]]; then
    fatalln "the Fabric tools cannot be obtained on this machine (see the error above)" 3
  elif [[ "$tools_status" != 0 ]]; then
    fatalln "Fabric tools are not available (see the error above)"
  fi
  [[ -n "$FABRIC_BIN_DIR" ]] || fatalln "build-fabric-tools.sh succeeded but did not say where the tools are"

  step "record settings"
  mkdir -p "${STATE_DIR}"/{config,channel-artifacts,logs,pids,run,connections}
  trap 'hint_down_after_failed_up $?' EXIT
  record_settings
  printf 'FABRIC_BIN_DIR=%q\n' "$FABRIC_BIN_DIR" >>"$RECORDED_SETTINGS"
  printf 'FABRIC_CONFIG_DIR=%q\n' "$FABRIC_CONFIG_DIR" >>"$RECORDED_SETTINGS"

  if [[ "$HOSTS" == netns ]]; then
    step "create one host (network namespace) per organization on bridge ${NETNS_BRIDGE}"
    create_hosts
  fi

  step "generate identities (cryptogen)"
  write_crypto_config "${STATE_DIR}/config/crypto-config.yaml"
  run_or_fail "cryptogen generate" "${FABRIC_BIN_DIR}/cryptogen" generate \
    --config "${STATE_DIR}/config/crypto-config.yaml" --output "$(crypto_dir)"

  step "check consenter certificates"
  write_configtx "${STATE_DIR}/config/configtx.yaml"
  check_consenter_certificates

  step "create the genesis block of channel ${CHANNEL_NAME} (configtxgen)"
  run_or_fail "configtxgen" "${FABRIC_BIN_DIR}/configtxgen" -configPath "${STATE_DIR}/config" \
    -profile FedLedgerChannel -channelID "$CHANNEL_NAME" -outputBlock "$(channel_block)"

  step "start $(orderer_count) orderer(s) (${CONSENSUS})"
  start_orderers

  step "join orderers to ${CHANNEL_NAME} (osnadmin)"
  join_orderers

  step "start peers"
  start_peers

  step "join peers to ${CHANNEL_NAME}"
  join_peers

  step "wait for gossip membership (private data reaches every member peer)"
  wait_gossip_membership

  step "write client connection files"
  write_connection_files

  successln "network up: $(orderer_count) orderer(s) (${CONSENSUS}), $(peer_org_keys | wc -l) peers on channel ${CHANNEL_NAME}. Next: ./network.sh deployCC"
}

network_deploy_cc() {
  require_network_up
  local keys=() key
  mapfile -t keys < <(peer_org_keys)
  step "check the network is running"
  for key in "${keys[@]}"; do
    component_running "peer.$key" || fatalln "peer.${key} is not running; see './network.sh status'"
  done
  orderer_cli_args

  step "build the chaincode"
  ensure_chaincode_built

  step "render collections config and endorsement policy"
  render_deploy_config

  step "package and install (one ccaas package per org)"
  for key in "${keys[@]}"; do package_and_install "$key"; done

  step "approve the chaincode definition"
  choose_sequence
  definition_args
  for key in "${keys[@]}"; do approve_for_org "$key"; done
  wait_until "every org's approval to be visible (checkcommitreadiness)" "$WAIT_ATTEMPTS" "$WAIT_DELAY" all_orgs_approved

  step "commit the chaincode definition"
  commit_definition

  step "start chaincode servers"
  start_chaincode_servers

  step "wait for the chaincode on every peer"
  wait_chaincode_ready

  step "initialize the consortium"
  init_consortium

  successln "chaincode ${CHAINCODE_NAME} ${CHAINCODE_VERSION} (sequence ${SEQUENCE}) running; connection files in ${STATE_DIR}/connections/"
}

network_down() {
  step "stop recorded processes"
  stop_all_recorded
  step "remove the hosts of the netns layout (if any)"
  destroy_hosts
  step "remove generated state"
  case "$STATE_DIR" in
    "" | / | "$HOME" | "$NETWORK_DIR" | "$REPO_DIR") fatalln "refusing to remove '${STATE_DIR}'" ;;
  esac
  if [[ -e "$STATE_DIR" || -L "$STATE_DIR" ]]; then
    rm -rf "$STATE_DIR"
    infoln "removed ${STATE_DIR}"
  else
    infoln "nothing to remove (${STATE_DIR} does not exist)"
  fi
  successln "network down"
}

network_restart() {
  require_network_up
  require_component "$COMPONENT"
  step "restart ${COMPONENT}"
  stop_component "$COMPONENT"
  start_component "$COMPONENT"
  case "$COMPONENT" in
    orderer*) wait_orderer_healthy "${COMPONENT#orderer}" ;;
    peer.*) wait_peer_healthy "${COMPONENT#peer.}" ;;
    cc.*)
      local key="${COMPONENT#cc.}"
      wait_until "${COMPONENT} to listen on $(chaincode_address "$key")" "$WAIT_ATTEMPTS" "$WAIT_DELAY" \
        port_accepting "$(node_address "$key")" "$(chaincode_server_port "$key")"
      ;;
  esac
  successln "${COMPONENT} restarted"
}

# Cuts an org's host off the bridge (every process of that org loses every other org), for
# --seconds N (then heals) or until `heal`.
network_partition() {
  require_network_up
  require_organization "$COMPONENT"
  set_host_link "$COMPONENT" down
  if [[ -z "$PARTITION_SECONDS" ]]; then
    successln "${COMPONENT} cut off; './network.sh heal ${COMPONENT}' reconnects it"
    return 0
  fi
  infoln "${COMPONENT} cut off for ${PARTITION_SECONDS}s"
  sleep "$PARTITION_SECONDS"
  set_host_link "$COMPONENT" up
  successln "${COMPONENT} reconnected after ${PARTITION_SECONDS}s"
}

network_heal() {
  require_network_up
  require_organization "$COMPONENT"
  set_host_link "$COMPONENT" up
  successln "${COMPONENT} reconnected"
}

network_logs() {
  require_network_up
  require_component "$COMPONENT"
  local file
  file="$(log_path "$COMPONENT")"
  [[ -f "$file" ]] || fatalln "no log for ${COMPONENT} yet (${file}); has it been started?"
  if [[ "$FOLLOW" == 1 ]]; then
    exec tail -n "$LOG_LINES" -F "$file"
  fi
  tail -n "$LOG_LINES" "$file"
}

main() {
  parse_args "$@"
  if [[ "$SHOW_HELP" == 1 ]]; then
    print_mode_help "$MODE"
    exit 0
  fi
  case "$MODE" in
    help)
      if [[ -n "$HELP_TOPIC" ]]; then
        print_mode_help "$HELP_TOPIC" || usage_error "unknown mode '${HELP_TOPIC}'"
      else
        print_usage
      fi
      ;;
    up) network_up ;;
    deployCC) network_deploy_cc ;;
    down) network_down ;;
    status) network_status || exit 1 ;;
    restart) network_restart ;;
    logs) network_logs ;;
    partition) network_partition ;;
    heal) network_heal ;;
  esac
}

main "$@"
