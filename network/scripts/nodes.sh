# shellcheck shell=bash
# Orderer and peer processes: launchers (per-process environment over the shared config in
# network/config), health waits, channel joins, and the peer CLI environment of each org.

# Run the peer CLI as the admin of an org against that org's peer.
peer_as_admin() {
  local key="$1"
  shift
  FABRIC_CFG_PATH="$FABRIC_CONFIG_DIR" \
    CORE_PEER_TLS_ENABLED=true \
    CORE_PEER_LOCALMSPID="$(org_msp_id "$key")" \
    CORE_PEER_TLS_ROOTCERT_FILE="$(peer_tls_ca "$key")" \
    CORE_PEER_MSPCONFIGPATH="$(org_admin_msp "$key")" \
    CORE_PEER_ADDRESS="$(peer_endpoint "$key")" \
    "${FABRIC_BIN_DIR}/peer" "$@"
}

# Arguments that point a peer CLI command at the first orderer over TLS. The CLI talks to one
# orderer only; with BFT, orderer1 leads the first view, so deployCC right after up reaches the leader.
orderer_cli_args() {
  ORDERER_ARGS=(-o "$(orderer_endpoint 1)" --tls --cafile "$(orderer_tls_ca 1)")
}

# osnadmin with the admin of the node's own ordering org (the admin endpoint is mutual TLS and
# trusts only that org's TLS CA: with BFT, no org can join or remove another org's node).
osnadmin_on() {
  local i="$1"
  shift
  "${FABRIC_BIN_DIR}/osnadmin" "$@" -o "$(node_address "orderer$i"):$(orderer_admin_port "$i")" \
    --ca-file "$(orderer_tls_ca "$i")" \
    --client-cert "$(orderer_admin_dir "$i")/tls/client.crt" \
    --client-key "$(orderer_admin_dir "$i")/tls/client.key"
}

# Bracketed list of every ordering org's TLS CA: a node dials (cluster) and accepts nodes of
# other ordering orgs.
orderer_tls_roots() {
  local i n files=()
  n="$(orderer_count)"
  for ((i = 1; i <= n; i++)); do files+=("$(orderer_node_dir "$i")/tls/ca.crt"); done
  [[ "$CONSENSUS" == bft ]] || files=("${files[0]}")
  local IFS=,
  echo "[${files[*]}]"
}

healthy() {
  curl -fsS --max-time 2 "http://$1/healthz" >/dev/null
}

write_orderer_launcher() {
  local i="$1" node tls data address roots
  node="$(orderer_node_dir "$i")"
  tls="${node}/tls"
  data="${STATE_DIR}/orderers/orderer${i}"
  address="$(node_address "orderer$i")"
  roots="$(orderer_tls_roots)"
  mkdir -p "${data}/ledger" "${data}/consensus/wal" "${data}/consensus/snapshot"
  write_launcher "orderer$i" "$data" \
    "FABRIC_CFG_PATH=${FABRIC_CONFIG_DIR}" \
    "ORDERER_GENERAL_LISTENADDRESS=${address}" \
    "ORDERER_GENERAL_LISTENPORT=$(orderer_port "$i")" \
    "ORDERER_GENERAL_LOCALMSPID=$(orderer_msp_id "$i")" \
    "ORDERER_GENERAL_LOCALMSPDIR=${node}/msp" \
    "ORDERER_GENERAL_BOOTSTRAPMETHOD=none" \
    "ORDERER_GENERAL_TLS_ENABLED=true" \
    "ORDERER_GENERAL_TLS_CERTIFICATE=${tls}/server.crt" \
    "ORDERER_GENERAL_TLS_PRIVATEKEY=${tls}/server.key" \
    "ORDERER_GENERAL_TLS_ROOTCAS=${roots}" \
    "ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE=${tls}/server.crt" \
    "ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY=${tls}/server.key" \
    "ORDERER_GENERAL_CLUSTER_ROOTCAS=${roots}" \
    "ORDERER_CHANNELPARTICIPATION_ENABLED=true" \
    "ORDERER_FILELEDGER_LOCATION=${data}/ledger" \
    "ORDERER_CONSENSUS_WALDIR=${data}/consensus/wal" \
    "ORDERER_CONSENSUS_SNAPDIR=${data}/consensus/snapshot" \
    "ORDERER_METRICS_PROVIDER=prometheus" \
    "ORDERER_OPERATIONS_LISTENADDRESS=${address}:$(orderer_operations_port "$i")" \
    "ORDERER_ADMIN_LISTENADDRESS=${address}:$(orderer_admin_port "$i")" \
    "ORDERER_ADMIN_TLS_ENABLED=true" \
    "ORDERER_ADMIN_TLS_CERTIFICATE=${tls}/server.crt" \
    "ORDERER_ADMIN_TLS_PRIVATEKEY=${tls}/server.key" \
    "ORDERER_ADMIN_TLS_ROOTCAS=[${tls}/ca.crt]" \
    "ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true" \
    "ORDERER_ADMIN_TLS_CLIENTROOTCAS=[${tls}/ca.crt]" \
    -- "${FABRIC_BIN_DIR}/orderer"
}

write_peer_launcher() {
  local key="$1" node tls data address endpoint
  node="$(peer_node_dir "$key")"
  tls="${node}/tls"
  data="${STATE_DIR}/peers/peer.${key}"
  address="$(node_address "$key")"
  endpoint="$(peer_endpoint "$key")"
  mkdir -p "${data}/production" "${data}/snapshots"
  write_launcher "peer.$key" "$data" \
    "FABRIC_CFG_PATH=${FABRIC_CONFIG_DIR}" \
    "CORE_PEER_ID=$(peer_host_name "$key")" \
    "CORE_PEER_LOCALMSPID=$(org_msp_id "$key")" \
    "CORE_PEER_MSPCONFIGPATH=${node}/msp" \
    "CORE_PEER_LISTENADDRESS=${endpoint}" \
    "CORE_PEER_ADDRESS=${endpoint}" \
    "CORE_PEER_CHAINCODELISTENADDRESS=${address}:$(peer_chaincode_port "$key")" \
    "CORE_PEER_CHAINCODEADDRESS=${address}:$(peer_chaincode_port "$key")" \
    "CORE_PEER_GOSSIP_BOOTSTRAP=${endpoint}" \
    "CORE_PEER_GOSSIP_EXTERNALENDPOINT=${endpoint}" \
    "CORE_PEER_TLS_ENABLED=true" \
    "CORE_PEER_TLS_CERT_FILE=${tls}/server.crt" \
    "CORE_PEER_TLS_KEY_FILE=${tls}/server.key" \
    "CORE_PEER_TLS_ROOTCERT_FILE=${tls}/ca.crt" \
    "CORE_PEER_FILESYSTEMPATH=${data}/production" \
    "CORE_LEDGER_SNAPSHOTS_ROOTDIR=${data}/snapshots" \
    "CORE_OPERATIONS_LISTENADDRESS=${address}:$(peer_operations_port "$key")" \
    "CORE_PEER_GATEWAY_ENDORSEMENTTIMEOUT=${ENDORSEMENT_TIMEOUT}" \
    -- "${FABRIC_BIN_DIR}/peer" node start
}

wait_orderer_healthy() {
  local i="$1" url
  url="$(node_address "orderer$i"):$(orderer_operations_port "$i")"
  wait_until "orderer${i} health at http://${url}/healthz (log: $(log_path "orderer$i"))" \
    "$WAIT_ATTEMPTS" "$WAIT_DELAY" healthy "$url"
}

wait_peer_healthy() {
  local key="$1" url
  url="$(node_address "$key"):$(peer_operations_port "$key")"
  wait_until "peer.${key} health at http://${url}/healthz (log: $(log_path "peer.$key"))" \
    "$WAIT_ATTEMPTS" "$WAIT_DELAY" healthy "$url"
}

start_orderers() {
  local i n
  n="$(orderer_count)"
  for ((i = 1; i <= n; i++)); do
    write_orderer_launcher "$i"
    start_component "orderer$i"
  done
  for ((i = 1; i <= n; i++)); do wait_orderer_healthy "$i"; done
}

orderer_channel_active() {
  local output
  output="$(osnadmin_on "$1" channel list --channelID "$CHANNEL_NAME" 2>&1)" || return 1
  grep -Eq '"status": *"active"' <<<"$output"
}

# A node whose certificates are not in the genesis block's consenter set joins as a "follower"
# (it only pulls blocks) instead of failing: caught here so the mismatch is named, not discovered
# later as a channel that never reaches quorum.
require_consenter() {
  local i="$1" output relation
  output="$(osnadmin_on "$i" channel list --channelID "$CHANNEL_NAME" 2>&1)" || true
  relation="$(sed -n 's/.*"consensusRelation": *"\([a-z]*\)".*/\1/p' <<<"$output" | head -n1)"
  [[ -z "$relation" || "$relation" == consenter ]] ||
    fatalln "orderer${i} joined ${CHANNEL_NAME} as '${relation}', not as a consenter: the certificates it runs with ($(orderer_identity_cert "$i"), $(orderer_node_dir "$i")/tls/server.crt) do not match its ConsenterMapping/Consenters entry in the genesis block"
}

# Join every orderer to the channel with its genesis block, then wait until consensus made it active.
join_orderers() {
  local i n output
  n="$(orderer_count)"
  for ((i = 1; i <= n; i++)); do
    output="$(osnadmin_on "$i" channel join --channelID "$CHANNEL_NAME" --config-block "$(channel_block)" 2>&1)" || true
    if grep -q 'Status: 201' <<<"$output"; then
      infoln "orderer${i} joined ${CHANNEL_NAME}"
    elif grep -q 'Status: 405' <<<"$output" && grep -qi 'already' <<<"$output"; then
      infoln "orderer${i} was already a member of ${CHANNEL_NAME}"
    else
      printf '%s\n' "$output" >&2
      fatalln "osnadmin channel join failed on orderer${i} (admin port $(orderer_admin_port "$i"))"
    fi
  done
  CURRENT_STEP="check orderers joined ${CHANNEL_NAME} as consenters"
  for ((i = 1; i <= n; i++)); do require_consenter "$i"; done
  for ((i = 1; i <= n; i++)); do
    wait_until "orderer${i} to report channel ${CHANNEL_NAME} active (${CONSENSUS} consensus running)" \
      "$WAIT_ATTEMPTS" "$WAIT_DELAY" orderer_channel_active "$i"
  done
}

start_peers() {
  local keys=() key
  mapfile -t keys < <(peer_org_keys)
  for key in "${keys[@]}"; do
    write_peer_launcher "$key"
    start_component "peer.$key"
  done
  for key in "${keys[@]}"; do wait_peer_healthy "$key"; done
}

peer_joined() {
  local output
  output="$(peer_as_admin "$1" channel getinfo -c "$CHANNEL_NAME" 2>&1)" || return 1
  grep -q 'Blockchain info' <<<"$output"
}

try_peer_join() {
  local key="$1" output
  output="$(peer_as_admin "$key" channel join -b "$(channel_block)" 2>&1)" && return 0
  grep -qi 'already exists' <<<"$output"
}

join_peers() {
  local keys=() key
  mapfile -t keys < <(peer_org_keys)
  for key in "${keys[@]}"; do
    if peer_joined "$key"; then
      infoln "peer.${key} already has ${CHANNEL_NAME}"
      continue
    fi
    wait_until "peer.${key} to join ${CHANNEL_NAME} as $(org_msp_id "$key") admin" \
      "$WAIT_ATTEMPTS" "$WAIT_DELAY" try_peer_join "$key"
    infoln "peer.${key} joined ${CHANNEL_NAME}"
  done
}

# Private data travels by gossip: at endorsement the peer pushes it to the other member peers it
# knows; a peer nobody knows yet gets nothing and must pull it when it commits the block, waiting up
# to pullRetryThreshold (60 s) — seen as a peer stuck one block behind the others. Peers refuse each
# other's gossip until they have joined the channel, so right after the joins membership is often
# incomplete. `up` therefore ends only when every peer's gossip membership on the channel (the
# Prometheus metric on its operations port) counts every other peer.
peer_knows_other_peers() {
  local key="$1" others="$2" metrics known
  metrics="$(curl -fsS --max-time 2 "http://$(node_address "$key"):$(peer_operations_port "$key")/metrics")" || return 1
  known="$(sed -n "s/^gossip_membership_total_peers_known{channel=\"${CHANNEL_NAME}\"} \([0-9]*\).*/\1/p" <<<"$metrics")"
  [[ -n "$known" && "$known" -ge "$others" ]]
}

wait_gossip_membership() {
  local keys=() key
  mapfile -t keys < <(peer_org_keys)
  for key in "${keys[@]}"; do
    wait_until "peer.${key} to know the other $((${#keys[@]} - 1)) peers of ${CHANNEL_NAME} over gossip (metric gossip_membership_total_peers_known; log: $(log_path "peer.$key"))" \
      "$WAIT_ATTEMPTS" "$WAIT_DELAY" peer_knows_other_peers "$key" "$((${#keys[@]} - 1))"
  done
  infoln "every peer knows the other $((${#keys[@]} - 1)) over gossip"
}

write_connection_files() {
  local keys=() key
  mapfile -t keys < <(peer_org_keys)
  local host_args=() tls_cas=()
  # Every org's TLS CA, so a gateway can recognise the other orgs on blob-path connections (ADR 0022).
  for key in "${keys[@]}"; do
    tls_cas+=("$(org_msp_id "$key")=$(peer_org_dir "$key")/tlsca/tlsca.$(org_domain "$key")-cert.pem")
  done
  for key in "${keys[@]}"; do
    host_args=()
    [[ "${HOSTS:-loopback}" != netns ]] || host_args=(--namespace "$(netns_name "$key")" --address "$(netns_address "$key")")
    node "${NETWORK_DIR}/scripts/write-connection-file.js" \
      --org-dir "$(peer_org_dir "$key")" \
      --msp-id "$(org_msp_id "$key")" \
      --domain "$(org_domain "$key")" \
      --endpoint "$(peer_endpoint "$key")" \
      --host-alias "$(peer_host_name "$key")" \
      --channel "$CHANNEL_NAME" \
      --chaincode "$CHAINCODE_NAME" \
      --ledger-timeout-ms "$LEDGER_TIMEOUT_MS" \
      --consortium-tls-cas "$(IFS=,; echo "${tls_cas[*]}")" \
      --out "${STATE_DIR}/connections/${key}.json" "${host_args[@]}" ||
      fatalln "could not write the connection file for ${key}"
  done
  infoln "connection files in ${STATE_DIR}/connections/"
}
