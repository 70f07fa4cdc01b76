#!/usr/bin/env bash
# Derive network/config/core.yaml and orderer.yaml from Fabric's sample configuration.
#
# usage: render-node-config.sh SOURCE_DIR
#   SOURCE_DIR holds Fabric's core.yaml and orderer.yaml: the module's sampleconfig/, a release
#   install's config/ directory, or $FABRIC_CFG_SOURCE. Output goes to $FABRIC_CONFIG_DIR
#   (default network/config, git-ignored).
#
# Only settings shared by every process are edited here. Per-process values (listen ports, data
# directories, MSP and TLS paths) are set as CORE_*/ORDERER_* environment variables in each
# process's launcher (state/run/<component>.sh): viper applies non-empty overrides, and one
# config file for all processes keeps the difference between nodes in one visible place.
# vm.endpoint is edited in the file because an empty CORE_VM_ENDPOINT is ignored by viper.
set -Eeuo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=utils.sh
source "${SCRIPTS_DIR}/utils.sh"
# shellcheck source=settings.sh
source "${SCRIPTS_DIR}/settings.sh"
CURRENT_STEP="render Fabric node configuration"

source_dir="${1:-}"
[[ -n "$source_dir" ]] || fatalln "usage: render-node-config.sh SOURCE_DIR (a directory holding core.yaml and orderer.yaml)"
for file in core.yaml orderer.yaml; do
  [[ -f "${source_dir}/${file}" ]] || fatalln "${source_dir}/${file} not found: need Fabric's sample ${file} to derive network/config/${file}"
done

builder_dir="${NETWORK_DIR}/builders/ccaas"
[[ -x "${builder_dir}/bin/detect" && -x "${builder_dir}/bin/build" ]] ||
  fatalln "external builder scripts missing or not executable in ${builder_dir}/bin"

mkdir -p "$FABRIC_CONFIG_DIR"
editor=(node "${SCRIPTS_DIR}/edit-yaml.js")

# Peer: no Docker (empty vm.endpoint + our chaincode-as-a-service builder), Gateway service on,
# LevelDB state, history database on (audit queries use GetHistoryForKey), TLS on (Raft needs it),
# Prometheus metrics on the operations port (`up` waits on gossip membership there; ops scrape it).
# gossip.reconnectInterval 2s (Fabric: 25s): peers join the channel one after another, so a peer's
# first handshake with another org's peer is refused while that peer has not joined yet; the retry
# came 25-30 s later. Until then the Gateway's discovery found no endorsers ("no combination of
# peers can be derived which satisfy the endorsement policy" for ~24 s after deployCC on Fabric
# 3.1.5), and private data pushed at endorsement missed the unknown peer, which then stalled up to
# 60 s pulling it at commit (see wait_gossip_membership in nodes.sh).
# gossip.aliveTimeInterval 2s / aliveExpirationTimeout 10s (Fabric: 5s / 25s): a peer that stops
# answering (crashed, or its org cut off) leaves every other peer's membership, and so the Gateway's
# endorsement plans, after 10 s instead of 25 s; until then a plan may name it and an endorsement
# waits on it (peer.gateway.endorsementTimeout, set per peer from ENDORSEMENT_TIMEOUT).
# deliveryclient.reConnectBackoffThreshold 4s (Fabric: 3600s): the longest pause between a peer's
# attempts to reach the ordering service. Retries double from 100 ms, so an org cut off for 25 s was
# measured waiting another 20 s after its link came back before its peer took a block, and its
# gateway saw the round that was open by then only at that round's deadline.
# deliveryclient.blockCensorshipTimeoutKey 5s (Fabric: 30s): with BFT a peer takes blocks from one
# orderer and headers from the others; when its block source is cut off it switches only after
# this long without blocks while headers arrive. At 30 s a member's peer was measured 28 s behind
# while another org's orderer was unreachable, and refused that round's submissions (ROUND_NOT_OPEN).
# gossip.pvtData.reconcileSleepInterval 5s (Fabric: 1m): a peer that committed a block without its
# private data (a push missed it while another org's chaincode server was restarting) fetches it at
# the next reconciliation; until then reads of it fail, so that org's gateway waited up to a minute
# to evaluate the new model and to train the next round.
# gossip.pvtData.pushAckTimeout 3s (Fabric's value, set here so the choice is visible): how long an
# endorser waits for the other member peers to acknowledge a private-data push. Only private-data
# federations (models below 250k parameters, ADR 0022) push, well under a second per push; with
# requiredPeerCount 0 a missed ack does not fail the endorsement.
"${editor[@]}" --in "${source_dir}/core.yaml" --out "${FABRIC_CONFIG_DIR}/core.yaml" \
  --set 'vm.endpoint=""' \
  --set "chaincode.externalBuilders=[{\"name\":\"fedledger-ccaas\",\"path\":\"${builder_dir}\"}]" \
  --set 'peer.gateway.enabled=true' \
  --set 'peer.tls.enabled=true' \
  --set 'ledger.state.stateDatabase="goleveldb"' \
  --set 'ledger.history.enableHistoryDatabase=true' \
  --set 'peer.gossip.reconnectInterval="2s"' \
  --set 'peer.gossip.aliveTimeInterval="2s"' \
  --set 'peer.gossip.aliveExpirationTimeout="10s"' \
  --set 'peer.deliveryclient.reConnectBackoffThreshold="4s"' \
  --set 'peer.deliveryclient.blockCensorshipTimeoutKey="5s"' \
  --set 'peer.gossip.pvtData.reconcileSleepInterval="5s"' \
  --set 'peer.gossip.pvtData.pushAckTimeout="3s"' \
  --set 'peer.listenAddress="127.0.0.1:7051"' \
  --set 'operations.listenAddress="127.0.0.1:9444"' \
  --set 'metrics.provider="prometheus"' ||
  fatalln "could not edit ${source_dir}/core.yaml"

# Orderer: no system channel (channel participation API instead), TLS on for clients, cluster and
# the admin endpoint (mutual TLS, so only the orderer org's admin can join channels).
"${editor[@]}" --in "${source_dir}/orderer.yaml" --out "${FABRIC_CONFIG_DIR}/orderer.yaml" \
  --set 'General.BootstrapMethod="none"' \
  --set 'General.ListenAddress="127.0.0.1"' \
  --set 'General.TLS.Enabled=true' \
  --set 'ChannelParticipation.Enabled=true' \
  --set 'Admin.TLS.Enabled=true' \
  --set 'Admin.TLS.ClientAuthRequired=true' ||
  fatalln "could not edit ${source_dir}/orderer.yaml"

infoln "wrote ${FABRIC_CONFIG_DIR}/core.yaml and ${FABRIC_CONFIG_DIR}/orderer.yaml from ${source_dir}"
