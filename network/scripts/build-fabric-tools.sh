#!/usr/bin/env bash
# Provide the pinned Fabric tools (peer, orderer, osnadmin, configtxgen, cryptogen, configtxlator)
# and derive network/config/{core,orderer}.yaml.
#
#   FABRIC_BIN unset: build them with CGO_ENABLED=0 from the Go module at the pinned commit into
#     network/bin/ (git-ignored), reusing binaries already there when .fabric-version matches.
#   FABRIC_BIN=/path/to/bin: use an existing Fabric 2.5 install instead (each tool must exist and
#     `peer version` must report 2.5.x); its sibling config/ directory supplies the sample configs.
#   FABRIC_CFG_SOURCE=/dir: take core.yaml and orderer.yaml from this directory instead.
#   FABRIC_TOOLS_DIR=/dir: build into this directory instead of network/bin (used by tests).
#
# Exit status: 0 tools ready; 3 the tools cannot be obtained on this machine (no Go, Go too old,
# or the Go module proxy refuses the Fabric module) — callers such as the end-to-end tests treat
# this as "Fabric unavailable here"; 1 any other failure (bad FABRIC_BIN, build or config error).
set -Eeuo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=utils.sh
source "${SCRIPTS_DIR}/utils.sh"
# shellcheck source=settings.sh
source "${SCRIPTS_DIR}/settings.sh"
trap 'on_unexpected_error $? $LINENO "${BASH_SOURCE[0]}"' ERR

FABRIC_VERSION=v2.5.16
# `peer version` of an official build prints the Makefile's FABRIC_VER, without the "v".
FABRIC_METADATA_VERSION=2.5.16
FABRIC_COMMIT=f871cf92a026aba7b12e6f06d71ded3e6e659d71
FABRIC_MODULE=github.com/hyperledger/fabric
MIN_GO_VERSION=1.26.4
TOOLS=(peer orderer osnadmin configtxgen cryptogen configtxlator)
TOOLS_DIR="${FABRIC_TOOLS_DIR:-${NETWORK_DIR}/bin}"
STAMP_FILE="${TOOLS_DIR}/.fabric-version"
STAMP="fabric ${FABRIC_VERSION} ${FABRIC_COMMIT}"
EXIT_TOOLS_UNOBTAINABLE=3
FABRIC_BIN_HINT="Alternative: install Fabric ${FABRIC_VERSION} release binaries elsewhere and run with FABRIC_BIN=/path/to/fabric/bin (its ../config directory, or FABRIC_CFG_SOURCE, supplies core.yaml and orderer.yaml)."

# --- FABRIC_BIN: an existing install -------------------------------------------------------

check_existing_install() {
  step "check Fabric tools in FABRIC_BIN=${FABRIC_BIN}"
  local tool version_output
  for tool in "${TOOLS[@]}"; do
    [[ -x "${FABRIC_BIN}/${tool}" ]] || fatalln "FABRIC_BIN=${FABRIC_BIN} has no executable '${tool}' (need: ${TOOLS[*]})"
  done
  version_output="$("${FABRIC_BIN}/peer" version 2>&1)" || fatalln "'${FABRIC_BIN}/peer version' failed: ${version_output}"
  grep -Eq 'Version: v?2\.5\.' <<<"$version_output" ||
    fatalln "FABRIC_BIN=${FABRIC_BIN}: peer reports '$(grep -m1 'Version:' <<<"$version_output" | sed 's/^[[:space:]]*//' || echo "no version")', need Fabric 2.5.x"
  successln "using Fabric tools from ${FABRIC_BIN}"
}

# --- building from the Go module -----------------------------------------------------------

tools_are_current() {
  local tool
  [[ -f "$STAMP_FILE" && "$(cat "$STAMP_FILE")" == "$STAMP" ]] || return 1
  for tool in "${TOOLS[@]}"; do [[ -x "${TOOLS_DIR}/${tool}" ]] || return 1; done
  [[ -f "${TOOLS_DIR}/sampleconfig/core.yaml" ]]
}

check_go() {
  step "check the Go toolchain"
  command -v go >/dev/null 2>&1 ||
    fatalln "Go is not installed: building Fabric ${FABRIC_VERSION} needs Go >= ${MIN_GO_VERSION}. ${FABRIC_BIN_HINT}" "$EXIT_TOOLS_UNOBTAINABLE"
  local found
  found="$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null || true)"
  [[ -n "$found" ]] || found="$(go version 2>/dev/null | awk '{print $3}' || true)"
  found="${found#go}"
  if [[ "$(printf '%s\n%s\n' "$MIN_GO_VERSION" "$found" | sort -V | head -n1)" != "$MIN_GO_VERSION" ]]; then
    fatalln "Go ${found:-unknown} is too old: Fabric ${FABRIC_VERSION} (go.mod: go ${MIN_GO_VERSION}) needs Go >= ${MIN_GO_VERSION}. ${FABRIC_BIN_HINT}" "$EXIT_TOOLS_UNOBTAINABLE"
  fi
  infoln "Go ${found} found"
}

# Turn a failed go command's output into the error an operator can act on.
explain_go_failure() {
  local what="$1" output="$2" request status response
  if grep -Eq '403 Forbidden|404 Not Found|410 Gone|not available' <<<"$output"; then
    request="$(grep -Eo 'reading https?://[^ ]*: ' <<<"$output" | head -n1 | sed 's/: $//')"
    status="$(grep -Eo '403 Forbidden|404 Not Found|410 Gone' <<<"$output" | head -n1)"
    response="$(grep -Eo 'server response: [^"\\]*' <<<"$output" | head -n1)"
    fatalln "the Go module proxy ($(go env GOPROXY 2>/dev/null)) refused the Fabric module ${FABRIC_MODULE}@${FABRIC_COMMIT}, so the tools cannot be built here (while trying to ${what}). Its answer: '${request:+${request}: }${status}${response:+ — ${response}}'. ${FABRIC_BIN_HINT}" "$EXIT_TOOLS_UNOBTAINABLE"
  fi
  printf '%s\n' "$output" >&2
  fatalln "could not ${what} (go output above). ${FABRIC_BIN_HINT}"
}

# Download the module (for sampleconfig/) and print its directory in the module cache.
download_module() {
  step "download ${FABRIC_MODULE}@${FABRIC_COMMIT}"
  local output dir
  output="$(cd "$WORK_DIR" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "${FABRIC_MODULE}@${FABRIC_COMMIT}" 2>&1)" ||
    explain_go_failure "download the module" "$output"
  dir="$(node -e 'const m = JSON.parse(require("fs").readFileSync(0, "utf8")); if (m.Error || !m.Dir) { process.exit(1); } console.log(m.Dir);' <<<"$output")" ||
    explain_go_failure "download the module" "$output"
  MODULE_DIR="$dir"
  infoln "module at ${MODULE_DIR}"
}

build_tools() {
  step "build ${TOOLS[*]} (CGO_ENABLED=0, Fabric ${FABRIC_VERSION})"
  local packages=() tool output
  for tool in "${TOOLS[@]}"; do packages+=("${FABRIC_MODULE}/cmd/${tool}@${FABRIC_COMMIT}"); done
  # go install pkg@version builds outside any module, pinned by the module's own go.sum.
  # The ldflags give `peer version` the release's version instead of an empty one.
  output="$(cd "$WORK_DIR" && CGO_ENABLED=0 GOTOOLCHAIN=local GOBIN="${WORK_DIR}/bin" go install \
    -ldflags "-X ${FABRIC_MODULE}/common/metadata.Version=${FABRIC_METADATA_VERSION} -X ${FABRIC_MODULE}/common/metadata.CommitSHA=${FABRIC_COMMIT:0:9}" \
    "${packages[@]}" 2>&1)" || explain_go_failure "build the Fabric tools" "$output"
}

install_tools() {
  step "install tools into ${TOOLS_DIR}"
  mkdir -p "$TOOLS_DIR"
  local tool
  for tool in "${TOOLS[@]}"; do
    [[ -x "${WORK_DIR}/bin/${tool}" ]] || fatalln "go install finished but ${tool} was not produced"
    mv -f "${WORK_DIR}/bin/${tool}" "${TOOLS_DIR}/${tool}"
  done
  # The module cache is read-only: copy the sample configs and make the copy writable.
  rm -rf "${TOOLS_DIR}/sampleconfig"
  cp -R "${MODULE_DIR}/sampleconfig" "${TOOLS_DIR}/sampleconfig"
  chmod -R u+w "${TOOLS_DIR}/sampleconfig"
  echo "$STAMP" >"$STAMP_FILE"
  successln "Fabric ${FABRIC_VERSION} tools installed in ${TOOLS_DIR}"
}

# --- main ----------------------------------------------------------------------------------

main() {
  local config_source
  if [[ -n "${FABRIC_BIN:-}" ]]; then
    check_existing_install
    config_source="${FABRIC_CFG_SOURCE:-$(cd "${FABRIC_BIN}/.." && pwd)/config}"
  else
    if tools_are_current; then
      step "reuse Fabric tools in ${TOOLS_DIR}"
      infoln "found ${STAMP} (${STAMP_FILE})"
    else
      check_go
      WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/fedledger-fabric-build.XXXXXX")"
      trap 'rm -rf "$WORK_DIR"' EXIT
      download_module
      build_tools
      install_tools
    fi
    config_source="${FABRIC_CFG_SOURCE:-${TOOLS_DIR}/sampleconfig}"
  fi
  step "derive network/config from ${config_source}"
  FABRIC_CONFIG_DIR="$FABRIC_CONFIG_DIR" "${SCRIPTS_DIR}/render-node-config.sh" "$config_source"
}

main "$@"
