# shellcheck shell=bash
# deployCC: package the chaincode as a service once per org (each org's package names its own
# chaincode server address, so package ids differ per org), install, approve, commit, start one
# chaincode server per org, wait until each peer reaches its server, initialize the consortium.

# FEDLEDGER_CHAINCODE_DIR lets the orchestration test point deployCC at a stand-in package.
CHAINCODE_DIR="${FEDLEDGER_CHAINCODE_DIR:-${REPO_DIR}/chaincode}"
GET_METADATA='{"function":"org.hyperledger.fabric:GetMetadata","Args":[]}'
GET_CONSORTIUM='{"function":"consortium:GetConsortium","Args":[]}'

chaincode_label() { echo "${CHAINCODE_NAME}_${CHAINCODE_VERSION}"; }
chaincode_state_dir() { echo "${STATE_DIR}/chaincode/$1"; }
chaincode_address() { echo "$(node_address "$1"):$(chaincode_server_port "$1")"; }
package_id_of() { cat "$(chaincode_state_dir "$1")/package-id"; }

ensure_chaincode_built() {
  if [[ -f "${CHAINCODE_DIR}/dist/index.js" ]]; then
    infoln "chaincode build found (${CHAINCODE_DIR}/dist/index.js)"
    return 0
  fi
  infoln "chaincode/dist/index.js missing: building with tsc -b chaincode"
  (cd "$REPO_DIR" && npx tsc -b chaincode) || fatalln "building the chaincode failed (npx tsc -b chaincode)"
  [[ -f "${CHAINCODE_DIR}/dist/index.js" ]] || fatalln "chaincode build did not produce ${CHAINCODE_DIR}/dist/index.js"
}

chaincode_server_binary() {
  local candidate
  for candidate in "${CHAINCODE_DIR}/node_modules/.bin/fabric-chaincode-node" "${REPO_DIR}/node_modules/.bin/fabric-chaincode-node"; do
    if [[ -e "$candidate" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  fatalln "fabric-chaincode-node not found under node_modules/.bin (run npm install at the repo root)"
}

# Collections config and endorsement policy come from the chaincode package's own renderer, so the
# definition approved here is the one the chaincode was written for.
render_deploy_config() {
  local out="${STATE_DIR}/chaincode/deploy" renderer="${CHAINCODE_DIR}/deploy/render-deploy-config.js" output policy
  [[ -f "$renderer" ]] || fatalln "${renderer} not found: the chaincode package must provide it"
  mkdir -p "$out"
  output="$(node "$renderer" --member-orgs "$(member_msp_ids_csv)" --out "$out" 2>&1)" || {
    printf '%s\n' "$output" >&2
    fatalln "node chaincode/deploy/render-deploy-config.js failed"
  }
  COLLECTIONS_FILE="${out}/collections-config.json"
  [[ -f "$COLLECTIONS_FILE" ]] || fatalln "render-deploy-config.js did not write ${COLLECTIONS_FILE}"
  if [[ -f "${out}/endorsement-policy.txt" ]]; then
    policy="$(tr -d '\n' <"${out}/endorsement-policy.txt")"
  else
    policy="$(grep -v '^[[:space:]]*$' <<<"$output" | tail -n1)"
  fi
  [[ -n "$policy" ]] || fatalln "render-deploy-config.js produced no endorsement policy"
  if [[ "$policy" == /Channel/* ]]; then
    POLICY_ARGS=(--channel-config-policy "$policy")
  else
    POLICY_ARGS=(--signature-policy "$policy")
  fi
  infoln "endorsement policy: ${policy}; collections: ${COLLECTIONS_FILE}"
}

package_and_install() {
  local key="$1" dir id installed
  dir="$(chaincode_state_dir "$key")"
  mkdir -p "$dir"
  id="$("${NETWORK_DIR}/scripts/package-ccaas.sh" "$(chaincode_label)" "$(chaincode_address "$key")" "${dir}/${CHAINCODE_NAME}.tgz")" ||
    fatalln "packaging the chaincode for ${key} failed"
  echo "$id" >"${dir}/package-id"
  installed="$(peer_as_admin "$key" lifecycle chaincode queryinstalled 2>/dev/null || true)"
  if grep -qF "Package ID: ${id}," <<<"$installed"; then
    infoln "peer.${key}: ${id} already installed"
    return 0
  fi
  run_or_fail "install on peer.${key}" peer_as_admin "$key" lifecycle chaincode install "${dir}/${CHAINCODE_NAME}.tgz"
  infoln "peer.${key}: installed ${id}"
}

# Next sequence: 1 for a new chaincode (querycommitted then fails), committed+1 otherwise. An
# earlier deployCC that approved but did not commit resumes: approvals already made are skipped.
choose_sequence() {
  local committed
  committed="$(peer_as_admin org1 lifecycle chaincode querycommitted -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME" 2>/dev/null |
    sed -n 's/.*Sequence: \([0-9]*\).*/\1/p' | head -n1 || true)"
  SEQUENCE=$((${committed:-0} + 1))
  infoln "chaincode definition sequence ${SEQUENCE}"
}

definition_args() {
  DEFINITION_ARGS=(--channelID "$CHANNEL_NAME" --name "$CHAINCODE_NAME" --version "$CHAINCODE_VERSION"
    --sequence "$SEQUENCE" --collections-config "$COLLECTIONS_FILE" "${POLICY_ARGS[@]}")
}

org_has_approved() {
  local output
  output="$(peer_as_admin "$1" lifecycle chaincode checkcommitreadiness "${DEFINITION_ARGS[@]}" --output json 2>/dev/null)" ||
    return 1
  grep -Eq "\"$(org_msp_id "$1")\": *true" <<<"$output"
}

approve_for_org() {
  local key="$1"
  if org_has_approved "$key"; then
    infoln "$(org_msp_id "$key") already approved sequence ${SEQUENCE}"
    return 0
  fi
  run_or_fail "approveformyorg for $(org_msp_id "$key")" peer_as_admin "$key" lifecycle chaincode approveformyorg \
    "${ORDERER_ARGS[@]}" "${DEFINITION_ARGS[@]}" --package-id "$(package_id_of "$key")" --waitForEvent
  infoln "$(org_msp_id "$key") approved"
}

all_orgs_approved() {
  local keys=() key
  mapfile -t keys < <(peer_org_keys)
  for key in "${keys[@]}"; do org_has_approved "$key" || return 1; done
}

# --peerAddresses/--tlsRootCertFiles pairs for the given org keys.
peer_target_args() {
  local key
  TARGET_ARGS=()
  for key in "$@"; do
    TARGET_ARGS+=(--peerAddresses "$(peer_endpoint "$key")" --tlsRootCertFiles "$(peer_tls_ca "$key")")
  done
}

definition_committed_on() {
  local output
  output="$(peer_as_admin "$1" lifecycle chaincode querycommitted -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME" 2>/dev/null)" ||
    return 1
  grep -q "Sequence: ${SEQUENCE}," <<<"$output"
}

commit_definition() {
  local keys=() key
  mapfile -t keys < <(peer_org_keys)
  if definition_committed_on org1; then
    infoln "sequence ${SEQUENCE} already committed"
  else
    peer_target_args "${keys[@]}"
    run_or_fail "commit of ${CHAINCODE_NAME} sequence ${SEQUENCE}" peer_as_admin org1 lifecycle chaincode commit \
      "${ORDERER_ARGS[@]}" "${DEFINITION_ARGS[@]}" "${TARGET_ARGS[@]}"
  fi
  for key in "${keys[@]}"; do
    wait_until "peer.${key} to see ${CHAINCODE_NAME} sequence ${SEQUENCE} committed" \
      "$WAIT_ATTEMPTS" "$WAIT_DELAY" definition_committed_on "$key"
  done
}

port_accepting() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

start_chaincode_servers() {
  local keys=() key binary node_binary
  binary="$(chaincode_server_binary)"
  node_binary="$(command -v node)"
  mapfile -t keys < <(peer_org_keys)
  for key in "${keys[@]}"; do
    # fabric-chaincode-node loads the contract from package.json "main" in its working directory.
    write_launcher "cc.$key" "$CHAINCODE_DIR" -- \
      "$node_binary" "$binary" server \
      --chaincode-address "$(chaincode_address "$key")" \
      --chaincode-id "$(package_id_of "$key")"
    start_component "cc.$key"
  done
  for key in "${keys[@]}"; do
    wait_until "cc.${key} to listen on $(chaincode_address "$key") (log: $(log_path "cc.$key"))" \
      "$WAIT_ATTEMPTS" "$WAIT_DELAY" port_accepting "$(node_address "$key")" "$(chaincode_server_port "$key")"
  done
}

# GetMetadata is answered by fabric-contract-api itself, so it proves the peer reached the server
# without depending on any ledger state.
chaincode_answers_on() {
  peer_as_admin "$1" chaincode query -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME" -c "$GET_METADATA" >/dev/null 2>&1
}

wait_chaincode_ready() {
  local keys=() key
  mapfile -t keys < <(peer_org_keys)
  for key in "${keys[@]}"; do
    wait_until "peer.${key} to get an answer from its chaincode server (query org.hyperledger.fabric:GetMetadata)" \
      "$WAIT_ATTEMPTS" "$WAIT_DELAY" chaincode_answers_on "$key"
    infoln "peer.${key}: chaincode answers"
  done
}

consortium_members_json() {
  local keys=() key entries=()
  mapfile -t keys < <(member_org_keys)
  for key in "${keys[@]}"; do entries+=("$(org_msp_id "$key"):member"); done
  entries+=("$(org_msp_id auditor):auditor")
  node -e 'const members = process.argv.slice(1).map((e) => { const [mspId, role] = e.split(":"); return { mspId, role }; });
    process.stdout.write(JSON.stringify({ function: "consortium:InitConsortium", Args: [JSON.stringify(members)] }));' "${entries[@]}"
}

init_consortium() {
  if peer_as_admin org1 chaincode query -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME" -c "$GET_CONSORTIUM" >/dev/null 2>&1; then
    infoln "consortium already initialized"
    return 0
  fi
  local members=()
  mapfile -t members < <(member_org_keys)
  peer_target_args "${members[@]}"
  run_or_fail "consortium:InitConsortium" peer_as_admin org1 chaincode invoke "${ORDERER_ARGS[@]}" \
    -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME" "${TARGET_ARGS[@]}" --waitForEvent -c "$(consortium_members_json)"
  infoln "consortium initialized: $(member_msp_ids_csv) as members, $(org_msp_id auditor) as auditor"
}
