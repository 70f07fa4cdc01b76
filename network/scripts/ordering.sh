# shellcheck shell=bash
# The ordering service's part of crypto-config.yaml and configtx.yaml, for CONSENSUS=bft (one
# orderer per peer org, each in an ordering organization of that org) or CONSENSUS=raft (one
# separate ordering organization). Pure file generation from the settings, tested on its own.

# SmartBFT options (Orderer.SmartBFT), chosen for interactive federated rounds where every commit
# waits for ordering; docs/operations.md ("BFT ordering") gives the measurements behind them.
# - RequestBatchMaxInterval: the leader proposes a block at most this long after the first pending
#   request; the BFT counterpart of Raft's BatchTimeout, so it takes BATCH_TIMEOUT.
# - LeaderHeartbeatTimeout/Count: a follower that hears nothing from the leader for the timeout
#   complains and a view change starts. This bounds the time without ordering after a leader crash
#   (Fabric's 1 min default means a minute without rounds). Heartbeats every 300 ms cost nothing
#   measurable; 3 s stays well above scheduling hiccups on a small machine.
# - RequestForwardTimeout: a node that received a request but sees it unordered forwards it to the
#   leader after this; the peer CLI (deployCC) sends to one orderer and waits at most this long.
#   The Gateway sends to every orderer, so rounds do not pay it.
# - RequestComplainTimeout: a request still unordered this long after forwarding makes followers
#   complain about the leader: this is what removes a leader that censors, so it is kept short.
# - ViewChangeTimeout/ResendInterval: bound one view change; if the next leader is down as well,
#   the view after it is tried.
# - LeaderRotation off: with rotation on, a crashed node keeps coming back as leader in its turn and
#   each turn costs a heartbeat timeout; a censoring leader is replaced through complaints anyway.
SMARTBFT_LEADER_HEARTBEAT_TIMEOUT=3s
SMARTBFT_LEADER_HEARTBEAT_COUNT=10
SMARTBFT_REQUEST_FORWARD_TIMEOUT=1s
SMARTBFT_REQUEST_COMPLAIN_TIMEOUT=4s
SMARTBFT_REQUEST_AUTO_REMOVE_TIMEOUT=3m
SMARTBFT_VIEW_CHANGE_RESEND_INTERVAL=1s
SMARTBFT_VIEW_CHANGE_TIMEOUT=6s
SMARTBFT_COLLECT_TIMEOUT=1s

# OrdererOrgs of crypto-config.yaml. BFT: one ordering organization per node with its own CA
# (orderer.org1.example.com, ...); Raft: one organization with RAFT_NODES nodes.
write_orderer_crypto_orgs() {
  local i n
  n="$(orderer_count)"
  echo "OrdererOrgs:"
  if [[ "$CONSENSUS" == bft ]]; then
    for ((i = 1; i <= n; i++)); do
      echo "  - Name: $(orderer_org_name "$i")"
      echo "    Domain: $(orderer_domain "$i")"
      echo "    EnableNodeOUs: true"
      echo "    Specs:"
      echo "      - Hostname: orderer${i}"
      echo "        SANS: [\"$(node_address "orderer$i")\", localhost]"
    done
    return 0
  fi
  echo "  - Name: Orderer"
  echo "    Domain: ${DOMAIN}"
  echo "    EnableNodeOUs: true"
  echo "    Specs:"
  for ((i = 1; i <= n; i++)); do
    echo "      - Hostname: orderer${i}"
    echo "        SANS: [\"$(node_address "orderer$i")\", localhost]"
  done
}

# One ordering organization of configtx.yaml. Under V3_0 there are no global orderer addresses:
# each ordering org lists the endpoints of its own nodes (peers and clients find orderers here).
write_orderer_org_entry() {
  local first="$1" last="$2" msp i
  msp="$(orderer_msp_id "$first")"
  echo "  - &${msp%MSP}"
  echo "    Name: ${msp}"
  echo "    ID: ${msp}"
  echo "    MSPDir: $(orderer_org_dir "$first")/msp"
  echo "    Policies:"
  echo "      Readers: { Type: Signature, Rule: \"OR('${msp}.member')\" }"
  echo "      Writers: { Type: Signature, Rule: \"OR('${msp}.member')\" }"
  echo "      Admins: { Type: Signature, Rule: \"OR('${msp}.admin')\" }"
  echo "    OrdererEndpoints:"
  for ((i = first; i <= last; i++)); do echo "      - $(orderer_endpoint "$i")"; done
}

write_orderer_org_entries() {
  local i n
  n="$(orderer_count)"
  if [[ "$CONSENSUS" == bft ]]; then
    for ((i = 1; i <= n; i++)); do write_orderer_org_entry "$i" "$i"; done
  else
    write_orderer_org_entry 1 "$n"
  fi
}

# ConsenterMapping: SmartBFT authenticates every message by the node's enrollment certificate
# (Identity) and every connection by its TLS certificates, so all three must be the files the node
# actually runs with (write_orderer_launcher uses the same paths; check_consenter_certificates and
# the join step verify it).
write_consenter_mapping() {
  local i n
  n="$(orderer_count)"
  echo "      ConsenterMapping:"
  for ((i = 1; i <= n; i++)); do
    echo "        - ID: ${i}"
    echo "          Host: $(node_address "orderer$i")"
    echo "          Port: $(orderer_port "$i")"
    echo "          MSPID: $(orderer_msp_id "$i")"
    echo "          Identity: $(orderer_identity_cert "$i")"
    echo "          ClientTLSCert: $(orderer_node_dir "$i")/tls/server.crt"
    echo "          ServerTLSCert: $(orderer_node_dir "$i")/tls/server.crt"
  done
}

write_raft_consenters() {
  local i n
  n="$(orderer_count)"
  echo "      EtcdRaft:"
  echo "        Consenters:"
  for ((i = 1; i <= n; i++)); do
    echo "          - Host: $(node_address "orderer$i")"
    echo "            Port: $(orderer_port "$i")"
    echo "            ClientTLSCert: $(orderer_node_dir "$i")/tls/server.crt"
    echo "            ServerTLSCert: $(orderer_node_dir "$i")/tls/server.crt"
  done
  cat <<YAML
        Options:
          TickInterval: 500ms
          ElectionTick: 10
          HeartbeatTick: 1
          MaxInflightBlocks: 5
          SnapshotIntervalSize: 16 MB
YAML
}

write_smartbft_options() {
  cat <<YAML
      SmartBFT:
        RequestBatchMaxInterval: ${BATCH_TIMEOUT}
        RequestForwardTimeout: ${SMARTBFT_REQUEST_FORWARD_TIMEOUT}
        RequestComplainTimeout: ${SMARTBFT_REQUEST_COMPLAIN_TIMEOUT}
        RequestAutoRemoveTimeout: ${SMARTBFT_REQUEST_AUTO_REMOVE_TIMEOUT}
        ViewChangeResendInterval: ${SMARTBFT_VIEW_CHANGE_RESEND_INTERVAL}
        ViewChangeTimeout: ${SMARTBFT_VIEW_CHANGE_TIMEOUT}
        LeaderHeartbeatTimeout: ${SMARTBFT_LEADER_HEARTBEAT_TIMEOUT}
        LeaderHeartbeatCount: ${SMARTBFT_LEADER_HEARTBEAT_COUNT}
        CollectTimeout: ${SMARTBFT_COLLECT_TIMEOUT}
        # A node joins a view change as soon as f+1 others asked for one, instead of waiting for
        # its own heartbeat timeout: the new view starts after the first f+1 complaints.
        SpeedUpViewChange: true
        IncomingMessageBufferSize: 200
        RequestPoolSize: 100000
        LeaderRotation: 1 # ROTATION_OFF (configtxgen reads the enum only as a number)
        DecisionsPerLeader: 0
YAML
}

# The Orderer group of the FedLedgerChannel profile.
write_orderer_section() {
  local i n type=etcdraft
  n="$(orderer_count)"
  [[ "$CONSENSUS" != bft ]] || type=BFT
  cat <<YAML
    Orderer:
      OrdererType: ${type}
      # Raft: cut a block after BatchTimeout or BatchSize.MaxMessageCount, whichever comes first.
      # BFT ignores BatchTimeout (SmartBFT.RequestBatchMaxInterval plays its part).
      BatchTimeout: ${BATCH_TIMEOUT}
      BatchSize:
        MaxMessageCount: ${BATCH_MAX_MESSAGES}
        # Model weights travel as private data (only hashes enter blocks), so blocks stay small.
        AbsoluteMaxBytes: 10 MB
        PreferredMaxBytes: 2 MB
YAML
  if [[ "$CONSENSUS" == bft ]]; then
    write_consenter_mapping
    write_smartbft_options
  else
    write_raft_consenters
  fi
  echo "      Organizations:"
  if [[ "$CONSENSUS" == bft ]]; then
    for ((i = 1; i <= n; i++)); do echo "        - *$(orderer_org_name "$i")"; done
  else
    echo "        - *Orderer"
  fi
  # BFT: configtxgen derives BlockValidation from the consenters itself (a quorum of their
  # signatures, 2f+1 of 3f+1), whatever is written here; Raft: any orderer's signature.
  cat <<YAML
      Capabilities: { V2_0: true }
      Policies:
        Readers: { Type: ImplicitMeta, Rule: "ANY Readers" }
        Writers: { Type: ImplicitMeta, Rule: "ANY Writers" }
        Admins: { Type: ImplicitMeta, Rule: "MAJORITY Admins" }
        BlockValidation: { Type: ImplicitMeta, Rule: "ANY Writers" }
YAML
}
