# shellcheck shell=bash
# Network settings and everything derived from them: organizations, component names, ports, paths.
# Pure functions over the variables loaded by load_settings; no Fabric binary is needed here.
#
# Lists (org keys, components, ports) are printed one item per line. Loops read a list whole first
# (`mapfile -t items < <(list)`), never `while read … done < <(list)`: a loop that leaves early
# (return, break, fatalln) closes the pipe while the list may still be writing; its `sed` then dies
# of SIGPIPE and the ERR trap, inherited under `set -E`, reported a false "status 141" error.
# Likewise a command's output is captured before `grep -q` looks at it: `cmd | grep -q` stops
# reading at the first match, and under pipefail a cmd still writing turns a match into status 141.

NETWORK_DIR="${NETWORK_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
REPO_DIR="$(cd "${NETWORK_DIR}/.." && pwd)"
# Overridable so tests never touch a real network's state or tools.
STATE_DIR="${NETWORK_STATE_DIR:-${NETWORK_DIR}/state}"
FABRIC_CONFIG_DIR="${FABRIC_CONFIG_DIR:-${NETWORK_DIR}/config}"
RECORDED_SETTINGS="${STATE_DIR}/network.env"
SETTINGS_KEYS=(CONSENSUS ALLOW_NO_FAULT_TOLERANCE MEMBER_ORGS RAFT_NODES CHANNEL_NAME BASE_PORT BATCH_TIMEOUT BATCH_MAX_MESSAGES
  CHAINCODE_NAME CHAINCODE_VERSION HOST HOSTS NETNS_SUBNET LEDGER_TIMEOUT DOMAIN WAIT_ATTEMPTS WAIT_DELAY)

# Defaults, then network.config (or $NETWORK_CONFIG), then the environment's HOST_* overrides.
load_settings() {
  CONSENSUS=bft ALLOW_NO_FAULT_TOLERANCE=0 MEMBER_ORGS=3 RAFT_NODES=1 CHANNEL_NAME=fedledger BASE_PORT=7050 BATCH_TIMEOUT=20ms
  BATCH_MAX_MESSAGES=50 CHAINCODE_NAME=fedledger CHAINCODE_VERSION=1.0 HOST=127.0.0.1 HOSTS=loopback NETNS_SUBNET=10.213.0 LEDGER_TIMEOUT=30s
  DOMAIN=example.com WAIT_ATTEMPTS=60 WAIT_DELAY=1
  local config_file="${NETWORK_CONFIG:-${NETWORK_DIR}/network.config}"
  if [[ -f "$config_file" ]]; then
    # shellcheck source=/dev/null
    source "$config_file"
  fi
  derive_timeouts
}

# The one timeout setting (docs/operations.md, "Timeouts"): LEDGER_TIMEOUT is each gateway's deadline
# for one ledger call (written into the connection files as ledgerTimeoutMs); a peer's Gateway waits
# a third of it for one endorser (peer.gateway.endorsementTimeout), so a plan naming a dead peer
# still leaves time for a second plan within the caller's deadline. Not whole seconds: left as is
# for validate_settings to report.
derive_timeouts() {
  if [[ "$LEDGER_TIMEOUT" =~ ^([1-9][0-9]*)s$ ]]; then
    local seconds="${BASH_REMATCH[1]}"
    ENDORSEMENT_TIMEOUT="$(((seconds + 2) / 3))s"
    LEDGER_TIMEOUT_MS="$((seconds * 1000))"
  fi
}

# Load what `up` recorded; returns 1 when the network was never brought up.
load_recorded_settings() {
  [[ -f "$RECORDED_SETTINGS" ]] || return 1
  # A record written before BFT existed has no CONSENSUS: such networks ran Raft.
  CONSENSUS=raft ALLOW_NO_FAULT_TOLERANCE=0
  # A record written before host layouts existed ran on the loopback.
  HOSTS=loopback NETNS_SUBNET=10.213.0 ENDORSEMENT_TIMEOUT=30s LEDGER_TIMEOUT=""
  # shellcheck source=/dev/null
  source "$RECORDED_SETTINGS"
  # A record written before LEDGER_TIMEOUT existed has the peers' ENDORSEMENT_TIMEOUT: three times it.
  [[ -n "$LEDGER_TIMEOUT" ]] || LEDGER_TIMEOUT="$((${ENDORSEMENT_TIMEOUT%s} * 3))s"
  derive_timeouts
}

# Write the resolved settings (and HOST_* overrides) so later modes use exactly these.
record_settings() {
  local key overrides=()
  {
    echo "# Written by network.sh up; read by every later mode."
    for key in "${SETTINGS_KEYS[@]}"; do
      printf '%s=%q\n' "$key" "${!key}"
    done
    mapfile -t overrides < <(compgen -v HOST_ || true)
    for key in "${overrides[@]}"; do
      printf '%s=%q\n' "$key" "${!key}"
    done
  } >"$RECORDED_SETTINGS"
}

# Validate settings; prints the problem and returns 1 on the first bad value.
validate_settings() {
  local problem=""
  if ! [[ "$CONSENSUS" == bft || "$CONSENSUS" == raft ]]; then
    problem="consensus must be bft or raft (got '${CONSENSUS}')"
  elif ! [[ "$MEMBER_ORGS" =~ ^[1-9]$ ]]; then
    problem="member orgs must be 1-9 (got '${MEMBER_ORGS}')"
  elif ! [[ "$RAFT_NODES" == 1 || "$RAFT_NODES" == 3 ]]; then
    problem="raft nodes must be 1 or 3 (got '${RAFT_NODES}')"
  elif ! [[ "$CHANNEL_NAME" =~ ^[a-z][a-z0-9.-]{0,248}$ ]]; then
    problem="channel name must be lower case letters, digits, '.' or '-', starting with a letter (got '${CHANNEL_NAME}')"
  elif ! [[ "$BASE_PORT" =~ ^[0-9]+$ ]] || ((BASE_PORT < 1024 || BASE_PORT > 65300)); then
    problem="base port must be a number in 1024-65300 (got '${BASE_PORT}')"
  elif ! [[ "$BATCH_TIMEOUT" =~ ^[0-9]+(ms|s)$ ]]; then
    problem="batch timeout must look like 250ms or 2s (got '${BATCH_TIMEOUT}')"
  elif ! [[ "$LEDGER_TIMEOUT" =~ ^[1-9][0-9]*s$ ]]; then
    problem="LEDGER_TIMEOUT must be whole seconds like 30s (got '${LEDGER_TIMEOUT}')"
  elif ! [[ "$BATCH_MAX_MESSAGES" =~ ^[1-9][0-9]*$ ]]; then
    problem="BATCH_MAX_MESSAGES must be a positive integer (got '${BATCH_MAX_MESSAGES}')"
  elif ! [[ "$WAIT_ATTEMPTS" =~ ^[1-9][0-9]*$ && "$WAIT_DELAY" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
    problem="WAIT_ATTEMPTS must be a positive integer and WAIT_DELAY a number of seconds"
  elif ! [[ "$HOSTS" == loopback || "$HOSTS" == netns ]]; then
    problem="hosts must be loopback or netns (got '${HOSTS}')"
  elif ! [[ "$NETNS_SUBNET" =~ ^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){2}$ ]]; then
    problem="NETNS_SUBNET must be the first three numbers of an IPv4 /24, like 10.213.0 (got '${NETNS_SUBNET}')"
  elif ! [[ "$ALLOW_NO_FAULT_TOLERANCE" == 0 || "$ALLOW_NO_FAULT_TOLERANCE" == 1 ]]; then
    problem="ALLOW_NO_FAULT_TOLERANCE must be 0 or 1 (got '${ALLOW_NO_FAULT_TOLERANCE}')"
  elif [[ "$CONSENSUS" == bft && "$ALLOW_NO_FAULT_TOLERANCE" == 0 ]] && (($(orderer_count) < 4)); then
    problem="$(bft_fault_tolerance_text) Use --orgs 3 or more, or --consensus raft; for development only, --allow-no-fault-tolerance"
  fi
  if [[ -n "$problem" ]]; then
    printf '%s\n' "$problem"
    return 1
  fi
}

# --- ordering service ---------------------------------------------------------------------

# Orderer nodes: with BFT one per peer org (every member and the auditor runs its own), with Raft
# RAFT_NODES nodes of one separate ordering organization.
orderer_count() {
  if [[ "$CONSENSUS" == bft ]]; then echo $((MEMBER_ORGS + 1)); else echo "$RAFT_NODES"; fi
}

# SmartBFT tolerates f faulty (crashed or lying) nodes out of n = 3f + 1; the sentence says what
# this network's n buys, so a refusal or warning carries the arithmetic.
bft_fault_tolerance_text() {
  local n f
  n="$(orderer_count)"
  f=$(((n - 1) / 3))
  if ((f == 0)); then
    printf 'BFT ordering with %d orderer node(s) (one per member org plus the auditor) tolerates no faulty node: n = 3f + 1 nodes tolerate f faulty ones, so f = 1 needs 4 nodes, and with %d a single crashed or lying orderer stops or corrupts ordering.' "$n" "$n"
  else
    printf 'BFT ordering with %d orderer nodes tolerates f = %d faulty node(s) (n >= 3f + 1).' "$n" "$f"
  fi
}

# --- organizations -------------------------------------------------------------------------

# Keys of the member orgs: org1 org2 ...
member_org_keys() {
  local k
  for ((k = 1; k <= MEMBER_ORGS; k++)); do printf 'org%d\n' "$k"; done
}

# Member orgs then the auditor: every org that runs a peer.
peer_org_keys() {
  member_org_keys
  echo auditor
}

# 1-based slot of an org in the port layout; the auditor follows the last member.
org_index() {
  case "$1" in
    auditor) echo $((MEMBER_ORGS + 1)) ;;
    org[1-9]) echo "${1#org}" ;;
    *) return 1 ;;
  esac
}

org_name() { if [[ "$1" == auditor ]]; then echo Auditor; else echo "Org${1#org}"; fi; }
org_msp_id() { echo "$(org_name "$1")MSP"; }
org_domain() { echo "$1.${DOMAIN}"; }
peer_host_name() { echo "peer0.$(org_domain "$1")"; }

# The org that runs orderer i: with BFT the i-th peer org (org1.., then the auditor), with Raft
# none (the separate ordering organization, key "orderer").
orderer_org_key() {
  if [[ "$CONSENSUS" == bft ]]; then
    local keys=()
    mapfile -t keys < <(peer_org_keys)
    echo "${keys[$(($1 - 1))]}"
  else
    echo orderer
  fi
}
# Each member's orderer has an ordering MSP of its own (Org1OrdererMSP): its own CA, so no other
# org can issue an identity that signs blocks in its name. Raft keeps one OrdererMSP.
orderer_msp_id() {
  local key
  key="$(orderer_org_key "$1")"
  if [[ "$key" == orderer ]]; then echo OrdererMSP; else echo "$(org_name "$key")OrdererMSP"; fi
}
orderer_org_name() { local id; id="$(orderer_msp_id "$1")"; echo "${id%MSP}"; }
orderer_domain() {
  local key
  key="$(orderer_org_key "$1")"
  if [[ "$key" == orderer ]]; then echo "$DOMAIN"; else echo "orderer.$(org_domain "$key")"; fi
}
orderer_host_name() { echo "orderer$1.$(orderer_domain "$1")"; }

# Comma-separated MSP ids of the member orgs (the auditor never endorses).
member_msp_ids_csv() {
  local keys=() key ids=()
  mapfile -t keys < <(member_org_keys)
  for key in "${keys[@]}"; do ids+=("$(org_msp_id "$key")"); done
  local IFS=,
  echo "${ids[*]}"
}

# Address a node binds to and advertises: HOST_<NODE> if set, else HOST.
node_address() {
  local override="HOST_${1^^}"
  echo "${!override:-$HOST}"
}

# --- ports ---------------------------------------------------------------------------------

orderer_port() { echo $((BASE_PORT + 10 * ($1 - 1))); }
orderer_admin_port() { echo $((BASE_PORT + 10 * ($1 - 1) + 1)); }
orderer_operations_port() { echo $((BASE_PORT + 10 * ($1 - 1) + 2)); }
peer_port() { echo $((BASE_PORT + 100 + 10 * ($(org_index "$1") - 1))); }
peer_chaincode_port() { echo $(($(peer_port "$1") + 1)); }
peer_operations_port() { echo $(($(peer_port "$1") + 2)); }
chaincode_server_port() { echo $(($(peer_port "$1") + 3)); }

orderer_endpoint() { echo "$(node_address "orderer$1"):$(orderer_port "$1")"; }
peer_endpoint() { echo "$(node_address "$1"):$(peer_port "$1")"; }

# Every port `up` and `deployCC` will listen on, one per line as "PORT<TAB>USE".
planned_ports() {
  local i keys=() key
  for ((i = 1; i <= $(orderer_count); i++)); do
    printf '%s\torderer%s listen\n' "$(orderer_port "$i")" "$i"
    printf '%s\torderer%s admin\n' "$(orderer_admin_port "$i")" "$i"
    printf '%s\torderer%s operations\n' "$(orderer_operations_port "$i")" "$i"
  done
  mapfile -t keys < <(peer_org_keys)
  for key in "${keys[@]}"; do
    printf '%s\tpeer.%s listen\n' "$(peer_port "$key")" "$key"
    printf '%s\tpeer.%s chaincode listener\n' "$(peer_chaincode_port "$key")" "$key"
    printf '%s\tpeer.%s operations\n' "$(peer_operations_port "$key")" "$key"
    printf '%s\tcc.%s chaincode server\n' "$(chaincode_server_port "$key")" "$key"
  done
}

# --- components ----------------------------------------------------------------------------

orderer_components() {
  local i
  for ((i = 1; i <= $(orderer_count); i++)); do echo "orderer$i"; done
}
peer_components() { peer_org_keys | sed 's/^/peer./'; }
chaincode_components() { peer_org_keys | sed 's/^/cc./'; }

# Every process the network runs, in start order.
all_components() {
  orderer_components
  peer_components
  chaincode_components
}

is_known_component() {
  local wanted="$1" names=() name
  mapfile -t names < <(all_components)
  for name in "${names[@]}"; do
    [[ "$name" != "$wanted" ]] || return 0
  done
  return 1
}

# --- paths ---------------------------------------------------------------------------------

crypto_dir() { echo "${STATE_DIR}/crypto"; }
# Orderer paths take the node number: with BFT every node belongs to a different organization.
orderer_org_dir() { echo "$(crypto_dir)/ordererOrganizations/$(orderer_domain "$1")"; }
orderer_node_dir() { echo "$(orderer_org_dir "$1")/orderers/$(orderer_host_name "$1")"; }
orderer_tls_ca() { echo "$(orderer_org_dir "$1")/tlsca/tlsca.$(orderer_domain "$1")-cert.pem"; }
orderer_admin_dir() { echo "$(orderer_org_dir "$1")/users/Admin@$(orderer_domain "$1")"; }
orderer_identity_cert() { echo "$(orderer_node_dir "$1")/msp/signcerts/$(orderer_host_name "$1")-cert.pem"; }
peer_org_dir() { echo "$(crypto_dir)/peerOrganizations/$(org_domain "$1")"; }
peer_node_dir() { echo "$(peer_org_dir "$1")/peers/$(peer_host_name "$1")"; }
peer_tls_ca() { echo "$(peer_org_dir "$1")/tlsca/tlsca.$(org_domain "$1")-cert.pem"; }
org_admin_msp() { echo "$(peer_org_dir "$1")/users/Admin@$(org_domain "$1")/msp"; }
channel_block() { echo "${STATE_DIR}/channel-artifacts/${CHANNEL_NAME}.block"; }
launcher_path() { echo "${STATE_DIR}/run/$1.sh"; }
log_path() { echo "${STATE_DIR}/logs/$1.log"; }
pid_path() { echo "${STATE_DIR}/pids/$1.pid"; }
