# shellcheck shell=bash
# Host layouts (HOSTS, flag --hosts):
#   loopback  every process binds HOST (127.0.0.1 by default): one machine, one shared loopback.
#   netns     every organization is a host of its own: a Linux network namespace "fl-<org>" holding
#             that org's peer, chaincode server and orderer node (and, when the demo or the tests
#             start them, its gateway), with one address on a bridge this script creates. The
#             namespaces get no default route, so nothing leaves the machine, and no process reaches
#             another org's process except through that bridge (no shared loopback). With Raft the
#             separate ordering organization gets a namespace "fl-ordering" of its own.
# The root namespace keeps the bridge's first address, so the operator's tools (peer CLI, osnadmin,
# health checks, the demo's HTTP client) reach every org the way a machine on the LAN would.
#
# Everything `up` creates is listed in state/hosts.created as it is created, so a failed `up` and
# `down` remove exactly that and nothing someone else made.

NETNS_BRIDGE=flbr0
NETNS_PREFIX=fl-

hosts_created_file() { echo "${STATE_DIR}/hosts.created"; }

# The host (namespace suffix) a component runs on: the org key, or "ordering" for Raft orderers.
component_host_key() {
  case "$1" in
    orderer*)
      local key
      key="$(orderer_org_key "${1#orderer}")"
      if [[ "$key" == orderer ]]; then echo ordering; else echo "$key"; fi
      ;;
    peer.* | cc.*) echo "${1#*.}" ;;
    *) return 1 ;;
  esac
}

# Every host of the netns layout, one per line.
netns_host_keys() {
  peer_org_keys
  [[ "$CONSENSUS" != raft ]] || echo ordering
}

netns_name() { echo "${NETNS_PREFIX}$1"; }

# Address of a host on the bridge: .1 is the root namespace, .9 the Raft ordering org, .10+k org k.
netns_address() {
  if [[ "$1" == ordering ]]; then
    echo "${NETNS_SUBNET}.9"
  else
    echo "${NETNS_SUBNET}.$((10 + $(org_index "$1")))"
  fi
}

# The namespace a component's launcher enters, or nothing on the loopback layout.
component_namespace() {
  [[ "${HOSTS:-loopback}" == netns ]] || return 0
  netns_name "$(component_host_key "$1")"
}

# With netns, each node binds and advertises its host's address: set the HOST_<NODE> overrides
# that node_address reads (and record_settings records) before anything is generated.
apply_host_layout() {
  [[ "$HOSTS" == netns ]] || return 0
  local i keys=() key
  for ((i = 1; i <= $(orderer_count); i++)); do
    printf -v "HOST_ORDERER${i}" '%s' "$(netns_address "$(component_host_key "orderer$i")")"
    export "HOST_ORDERER${i}"
  done
  mapfile -t keys < <(peer_org_keys)
  for key in "${keys[@]}"; do
    printf -v "HOST_${key^^}" '%s' "$(netns_address "$key")"
    export "HOST_${key^^}"
  done
  HOST="${NETNS_SUBNET}.1"
}

# Fails with the missing capability named when this process cannot create network namespaces.
check_netns_capability() {
  command -v ip >/dev/null 2>&1 ||
    fatalln "--hosts netns needs the 'ip' command (iproute2); install it or use --hosts loopback"
  local probe="${NETNS_PREFIX}probe-$$" output
  if ! output="$(ip netns add "$probe" 2>&1)"; then
    fatalln "--hosts netns needs CAP_NET_ADMIN (root) to create network namespaces, and this process cannot: 'ip netns add' said: ${output}. Run as root or use --hosts loopback"
  fi
  ip netns del "$probe" 2>/dev/null || true
}

# The layout must not collide with one already on this machine (another network's, or remains).
check_netns_free() {
  local keys=() key existing
  if ip link show "$NETNS_BRIDGE" >/dev/null 2>&1; then
    fatalln "bridge ${NETNS_BRIDGE} already exists: another network runs on the netns layout (or a failed run left it). './network.sh down' in that checkout removes it; by hand: ip link del ${NETNS_BRIDGE}"
  fi
  existing="$(ip netns list 2>/dev/null | awk '{ print $1 }')"
  mapfile -t keys < <(netns_host_keys)
  for key in "${keys[@]}"; do
    if grep -qx -- "$(netns_name "$key")" <<<"$existing"; then
      fatalln "network namespace $(netns_name "$key") already exists; remove it first (ip netns del $(netns_name "$key"))"
    fi
  done
}

note_created() { echo "$1" >>"$(hosts_created_file)"; }

# Bridge in the root namespace, then per host: namespace, loopback up, a veth pair whose outer end
# joins the bridge, the host's address on the inner end. No default route anywhere.
create_hosts() {
  local keys=() key ns outer
  run_or_fail "create bridge ${NETNS_BRIDGE}" ip link add "$NETNS_BRIDGE" type bridge
  note_created "link ${NETNS_BRIDGE}"
  run_or_fail "address the bridge" ip addr add "${NETNS_SUBNET}.1/24" dev "$NETNS_BRIDGE"
  run_or_fail "bring the bridge up" ip link set "$NETNS_BRIDGE" up
  mapfile -t keys < <(netns_host_keys)
  for key in "${keys[@]}"; do
    ns="$(netns_name "$key")"
    outer="$(netns_link "$key")"
    run_or_fail "create namespace ${ns}" ip netns add "$ns"
    note_created "netns ${ns}"
    run_or_fail "loopback of ${ns}" ip -n "$ns" link set lo up
    run_or_fail "veth pair for ${ns}" ip link add "$outer" type veth peer name eth0 netns "$ns"
    note_created "link ${outer}"
    run_or_fail "attach ${outer} to ${NETNS_BRIDGE}" ip link set "$outer" master "$NETNS_BRIDGE" up
    run_or_fail "address of ${ns}" ip -n "$ns" addr add "$(netns_address "$key")/24" dev eth0
    run_or_fail "bring up eth0 in ${ns}" ip -n "$ns" link set eth0 up
    infoln "host ${key}: namespace ${ns}, address $(netns_address "$key")"
  done
}

# Name of a host's link in the root namespace (at most 15 characters: fl-auditor is 10).
netns_link() { echo "${NETNS_PREFIX}$1"; }

# Removes what create_hosts recorded, newest first; missing pieces are not an error.
destroy_hosts() {
  local file entries=() i kind name
  file="$(hosts_created_file)"
  [[ -f "$file" ]] || return 0
  mapfile -t entries <"$file"
  for ((i = ${#entries[@]} - 1; i >= 0; i--)); do
    read -r kind name <<<"${entries[$i]}"
    case "$kind" in
      netns) ip netns del "$name" 2>/dev/null || true ;;
      link) ip link del "$name" 2>/dev/null || true ;;
    esac
  done
  rm -f "$file"
  infoln "removed the netns layout (${#entries[@]} namespaces and links)"
}

# Cuts one org off the bridge (a network partition) or reconnects it: the fault tests' lever.
set_host_link() {
  local key="$1" state="$2"
  [[ "$HOSTS" == netns ]] || fatalln "partitions need the netns layout (network.sh up --hosts netns)"
  run_or_fail "link of ${key} ${state}" ip link set "$(netns_link "$key")" "$state"
}
