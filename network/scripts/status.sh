# shellcheck shell=bash
# `status`: each process up/down, block height per peer and per orderer, committed chaincode.
# Exit status 0 only when every expected process runs.

component_address() {
  case "$1" in
    orderer*) orderer_endpoint "${1#orderer}" ;;
    peer.*) peer_endpoint "${1#peer.}" ;;
    cc.*) chaincode_address "${1#cc.}" ;;
  esac
}

peer_block_height() {
  peer_as_admin "$1" channel getinfo -c "$CHANNEL_NAME" 2>/dev/null |
    sed -n 's/.*"height":\([0-9]*\).*/\1/p' | head -n1
}

# Height and consensus relation of orderer i on the channel, from its admin endpoint: with BFT a
# restarted orderer catches up by itself, and this is where an operator sees it did.
orderer_block_height() {
  local output height relation
  output="$(osnadmin_on "$1" channel list --channelID "$CHANNEL_NAME" 2>/dev/null)" || return 0
  height="$(sed -n 's/.*"height": *\([0-9]*\).*/\1/p' <<<"$output" | head -n1)"
  relation="$(sed -n 's/.*"consensusRelation": *"\([a-z]*\)".*/\1/p' <<<"$output" | head -n1)"
  [[ -z "$height" ]] || echo "${height}${relation:+ (${relation})}"
}

network_status() {
  if ! load_recorded_settings; then
    infoln "network: down (no ${RECORDED_SETTINGS})"
    if [[ -d "${STATE_DIR}/pids" ]]; then
      warnln "${STATE_DIR} exists without recorded settings: run './network.sh down' to clean up"
    fi
    return 1
  fi
  FABRIC_BIN_DIR="${FABRIC_BIN_DIR:-${NETWORK_DIR}/bin}"
  local components=() component pid state detail all_up=1 have_peer_cli=0 key
  [[ -x "${FABRIC_BIN_DIR}/peer" ]] && have_peer_cli=1
  printf '%-14s %-8s %-6s %-22s %s\n' COMPONENT PID STATE ADDRESS DETAIL
  mapfile -t components < <(all_components)
  for component in "${components[@]}"; do
    detail=""
    if pid="$(recorded_live_pid "$(pid_path "$component")" 2>/dev/null)"; then
      state=up
    else
      pid=-
      state=down
      if [[ "$component" == cc.* && ! -f "$(launcher_path "$component")" ]]; then
        state=-
        detail="chaincode not deployed"
      else
        all_up=0
      fi
    fi
    if [[ "$component" == peer.* && "$state" == up ]]; then
      if [[ "$have_peer_cli" == 1 ]]; then
        detail="height $(peer_block_height "${component#peer.}" || true)"
        [[ "$detail" != "height " ]] || detail="height unknown (peer channel getinfo failed)"
      else
        detail="height unknown (no peer binary in ${FABRIC_BIN_DIR})"
      fi
    fi
    if [[ "$component" == orderer* && "$state" == up && -x "${FABRIC_BIN_DIR}/osnadmin" ]]; then
      detail="height $(orderer_block_height "${component#orderer}" || true)"
      [[ "$detail" != "height " ]] || detail="height unknown (osnadmin channel list failed)"
    fi
    printf '%-14s %-8s %-6s %-22s %s\n' "$component" "$pid" "$state" "$(component_address "$component")" "$detail"
  done
  echo
  key=org1
  if [[ "$have_peer_cli" == 1 ]] && component_running "peer.$key"; then
    infoln "committed chaincode on channel ${CHANNEL_NAME} (as seen by peer.${key}):"
    peer_as_admin "$key" lifecycle chaincode querycommitted -C "$CHANNEL_NAME" 2>&1 | sed 's/^/  /' || true
  else
    warnln "committed chaincode unknown: peer.${key} is down or the peer binary is missing"
  fi
  [[ "$all_up" == 1 ]]
}
