#!/usr/bin/env bash
# Provide the pinned Fabric v3.1.5 tools (peer, orderer, osnadmin, configtxgen, cryptogen,
# configtxlator) and derive network/config/{core,orderer}.yaml from the sample configs that come
# with them.
#
# usage: build-fabric-tools.sh [--bin-dir-file FILE]
#   --bin-dir-file FILE  also write the directory holding the tools to FILE (network.sh up records it)
#
# Sources, tried in this order; the first one that works is used and named on one line,
# `using Fabric 3.1.5 from <bin directory> (<kind>)`:
#   1. FABRIC_BIN=/path/to/bin (kind: FABRIC_BIN): an existing install. When set, it is the only
#      source tried: every tool must be executable and `peer version` must report 3.1.5, otherwise
#      exit 1 naming what was found and what is needed. Its ../config supplies the sample configs.
#   2. network/bin (FABRIC_TOOLS_DIR=/dir in tests) (kind: cached ...): what source 4 or 5 put there
#      earlier, reused when its .fabric-version stamp names the pinned version and commit.
#   3. A release bundle next to the checkout (kind: release bundle): <repo>/../shared/fabric/v3.1.5/
#      {bin,config}, the layout of Fabric's release tarball; FABRIC_BUNDLE_DIR=/dir replaces
#      <repo>/../shared/fabric (it must hold v3.1.5/). Used in place and never written to. Absent:
#      next source. Present but missing a tool, of another version, or not matching the SHA256SUMS
#      beside it: exit 1 (a broken bundle is reported, not skipped).
#   4. Built from the Go module at the pinned commit with CGO_ENABLED=0 into network/bin (kind:
#      built from the Go module). Needs Go >= 1.26.4 and a module proxy that serves
#      github.com/hyperledger/fabric; without either, next source.
#   5. Fabric's release tarball from GitHub (kind: release tarball), checked against the SHA-256
#      pinned in FABRIC_RELEASE_SHA256 below before it is unpacked into network/bin
#      (FABRIC_RELEASE_URL=... for a mirror). While no digest is pinned this source is reported as
#      "skipped: no pinned SHA-256": nothing is ever downloaded unverified. A failed download
#      counts as unobtainable; a download that does not match the digest is an error (exit 1).
#   FABRIC_CFG_SOURCE=/dir takes core.yaml and orderer.yaml from /dir, whatever the source.
#
# Exit status: 0 tools ready; 3 no source worked — the error lists every place looked and why it
# was not used, and how to provide the tools; callers such as the end-to-end tests treat this as
# "Fabric unavailable here"; 2 usage error; 1 any other failure (bad FABRIC_BIN or bundle, digest
# mismatch, build or config error).
set -Eeuo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=utils.sh
source "${SCRIPTS_DIR}/utils.sh"
# shellcheck source=settings.sh
source "${SCRIPTS_DIR}/settings.sh"
trap 'on_unexpected_error $? $LINENO "${BASH_SOURCE[0]}"' ERR

FABRIC_VERSION=v3.1.5
# `peer version` of an official build prints the Makefile's FABRIC_VER, without the "v".
FABRIC_METADATA_VERSION=3.1.5
FABRIC_COMMIT=86c1172bec37e6590c6b1ae6f847833df48d65fc
FABRIC_MODULE=github.com/hyperledger/fabric
MIN_GO_VERSION=1.26.4
TOOLS=(peer orderer osnadmin configtxgen cryptogen configtxlator)
TOOLS_DIR="${FABRIC_TOOLS_DIR:-${NETWORK_DIR}/bin}"
STAMP_FILE="${TOOLS_DIR}/.fabric-version"
STAMP="fabric ${FABRIC_VERSION} ${FABRIC_COMMIT}"
BUNDLE_ROOT="${FABRIC_BUNDLE_DIR:-$(cd "${REPO_DIR}/.." && pwd)/shared/fabric}"
FABRIC_RELEASE_TARBALL="hyperledger-fabric-linux-amd64-${FABRIC_METADATA_VERSION}.tar.gz"
FABRIC_RELEASE_URL="${FABRIC_RELEASE_URL:-https://github.com/hyperledger/fabric/releases/download/${FABRIC_VERSION}/${FABRIC_RELEASE_TARBALL}}"
# SHA-256 of ${FABRIC_RELEASE_TARBALL} as published on https://github.com/hyperledger/fabric/releases/tag/v3.1.5.
# Deliberately EMPTY: this script was written on a machine that cannot reach GitHub, and a digest
# must never be guessed. Someone who can reach the release page must fill it in from there (and
# confirm it against the sha256sum of a download). While it is empty, source 5 is skipped.
FABRIC_RELEASE_SHA256=""
EXIT_TOOLS_UNOBTAINABLE=3

BIN_DIR_FILE=""
# The source in use: where its tools are, where its sample configs are, and what kind it is.
BIN_DIR="" CONFIG_SOURCE="" KIND=""
# One line per source that was not used: "<place>: <why>".
LOOKED=()
# Set by a check that finds its source unobtainable (as opposed to broken, which is fatal).
SOURCE_PROBLEM=""
WORK_DIR=""

cleanup() {
  [[ -z "$WORK_DIR" ]] || rm -rf "$WORK_DIR"
}
trap cleanup EXIT

make_work_dir() {
  [[ -n "$WORK_DIR" ]] || WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/fedledger-fabric-tools.XXXXXX")"
}

# Record (and show) a source that could not be used; the final error lists them all.
not_used() {
  LOOKED+=("$1: $2")
  infoln "  - $1: $2"
}

use_source() {
  BIN_DIR="$1" CONFIG_SOURCE="${FABRIC_CFG_SOURCE:-$2}" KIND="$3"
}

# Exit 1 unless DIR holds every tool and its peer reports the pinned version.
check_tools_in() {
  local dir="$1" label="$2" tool version_output found
  for tool in "${TOOLS[@]}"; do
    [[ -x "${dir}/${tool}" ]] || fatalln "${label} has no executable '${tool}' (need: ${TOOLS[*]})"
  done
  version_output="$("${dir}/peer" version 2>&1)" || fatalln "'${dir}/peer version' failed: ${version_output}"
  if ! grep -Eq "^[[:space:]]*Version: v?${FABRIC_METADATA_VERSION//./\\.}[[:space:]]*$" <<<"$version_output"; then
    found="$(grep -m1 'Version:' <<<"$version_output" | sed 's/^[[:space:]]*//' || true)"
    fatalln "${label}: peer reports '${found:-no version}', need Fabric ${FABRIC_METADATA_VERSION} (the version these scripts pin)"
  fi
}

# --- 1. FABRIC_BIN: an existing install ------------------------------------------------------

use_fabric_bin() {
  step "check Fabric tools in FABRIC_BIN=${FABRIC_BIN}"
  check_tools_in "$FABRIC_BIN" "FABRIC_BIN=${FABRIC_BIN}"
  use_source "$FABRIC_BIN" "$(cd "${FABRIC_BIN}/.." && pwd)/config" "FABRIC_BIN"
}

# --- 2. the cached build in network/bin ------------------------------------------------------

# The stamp's first line names version and commit; its second line, where the tools came from.
try_cached_build() {
  local place="cached build in ${TOOLS_DIR}" pinned="" origin="" tool
  if [[ ! -f "$STAMP_FILE" ]]; then
    not_used "$place" "none (no ${STAMP_FILE##*/} stamp)"
    return 0
  fi
  { read -r pinned && read -r origin; } <"$STAMP_FILE" || true
  if [[ "$pinned" != "$STAMP" ]]; then
    not_used "$place" "its stamp says '${pinned}', need '${STAMP}'"
    return 0
  fi
  for tool in "${TOOLS[@]}"; do
    if [[ ! -x "${TOOLS_DIR}/${tool}" ]]; then
      not_used "$place" "stamped, but '${tool}' is missing"
      return 0
    fi
  done
  if [[ ! -f "${TOOLS_DIR}/sampleconfig/core.yaml" ]]; then
    not_used "$place" "stamped, but sampleconfig/core.yaml is missing"
    return 0
  fi
  step "reuse Fabric tools in ${TOOLS_DIR}"
  infoln "found ${STAMP} (${STAMP_FILE})"
  use_source "$TOOLS_DIR" "${TOOLS_DIR}/sampleconfig" "cached ${origin:-build}"
}

# --- 3. a release bundle laid out next to the checkout ---------------------------------------

# The bundle root's SHA256SUMS lists "DIGEST  v3.1.5/bin/peer" lines. Checking the six binaries
# (~120 MB) took 0.45 s warm and 0.8 s cold on the 2-core development machine, cheap enough to do
# on every call: it catches a damaged or swapped copy before a network is built on it.
verify_bundle_sums() {
  local sums="${BUNDLE_ROOT}/SHA256SUMS" entries output
  if [[ ! -f "$sums" ]]; then
    infoln "no ${sums}: digests not checked"
    return 0
  fi
  entries="$(grep -E "^[0-9a-f]{64} [ *]${FABRIC_VERSION}/" "$sums" || true)"
  if [[ -z "$entries" ]]; then
    infoln "${sums} lists nothing under ${FABRIC_VERSION}/: digests not checked"
    return 0
  fi
  output="$(cd "$BUNDLE_ROOT" && sha256sum -c --quiet 2>&1 <<<"$entries")" ||
    fatalln "the release bundle does not match ${sums}: $(tr '\n' ' ' <<<"$output")— replace the bundle with an intact copy"
  infoln "$(wc -l <<<"$entries") files match ${sums}"
}

try_bundle() {
  local dir="${BUNDLE_ROOT}/${FABRIC_VERSION}" file
  if [[ ! -d "$dir" ]]; then
    not_used "release bundle ${dir}" "not found${FABRIC_BUNDLE_DIR:+ (FABRIC_BUNDLE_DIR=${FABRIC_BUNDLE_DIR})}"
    return 0
  fi
  step "check the release bundle in ${dir}"
  check_tools_in "${dir}/bin" "release bundle ${dir}/bin"
  if [[ -z "${FABRIC_CFG_SOURCE:-}" ]]; then
    for file in core.yaml orderer.yaml; do
      [[ -f "${dir}/config/${file}" ]] || fatalln "release bundle ${dir} has no config/${file} (a release's config/ holds core.yaml, orderer.yaml, configtx.yaml)"
    done
  fi
  verify_bundle_sums
  use_source "${dir}/bin" "${dir}/config" "release bundle"
}

# --- 4. building from the Go module ----------------------------------------------------------

# Sets SOURCE_PROBLEM when Go is missing or too old.
check_go() {
  step "check the Go toolchain"
  if ! command -v go >/dev/null 2>&1; then
    SOURCE_PROBLEM="Go is not installed (building Fabric ${FABRIC_VERSION} needs Go >= ${MIN_GO_VERSION})"
    return 0
  fi
  local found ordered
  found="$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null || true)"
  [[ -n "$found" ]] || found="$(go version 2>/dev/null | awk '{print $3}' || true)"
  found="${found#go}"
  ordered="$(printf '%s\n%s\n' "$MIN_GO_VERSION" "$found" | sort -V)"
  if [[ "${ordered%%$'\n'*}" != "$MIN_GO_VERSION" ]]; then
    SOURCE_PROBLEM="Go ${found:-(version unknown)} is too old: Fabric ${FABRIC_VERSION} (go.mod: go ${MIN_GO_VERSION}) needs Go >= ${MIN_GO_VERSION}"
    return 0
  fi
  infoln "Go ${found} found"
}

# Turn a failed go command's output into the reason an operator can act on: a proxy refusal sets
# SOURCE_PROBLEM (the module is unobtainable here); anything else is fatal.
explain_go_failure() {
  local what="$1" output="$2" request status response
  if grep -Eq '403 Forbidden|404 Not Found|410 Gone|not available' <<<"$output"; then
    request="$(grep -Eo 'reading https?://[^ ]*: ' <<<"$output" | head -n1 | sed 's/: $//' || true)"
    status="$(grep -Eo '403 Forbidden|404 Not Found|410 Gone' <<<"$output" | head -n1 || true)"
    response="$(grep -Eo 'server response: [^"\\]*' <<<"$output" | head -n1 || true)"
    SOURCE_PROBLEM="the Go module proxy ($(go env GOPROXY 2>/dev/null || true)) refused the Fabric module ${FABRIC_MODULE}@${FABRIC_COMMIT}, so the tools cannot be built here (while trying to ${what}). Its answer: '${request:+${request}: }${status}${response:+ — ${response}}'"
    return 0
  fi
  printf '%s\n' "$output" >&2
  fatalln "could not ${what} (go output above)"
}

# Download the module (for sampleconfig/) and set MODULE_DIR to its directory in the module cache.
download_module() {
  step "download ${FABRIC_MODULE}@${FABRIC_COMMIT}"
  local output dir
  if ! output="$(cd "$WORK_DIR" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "${FABRIC_MODULE}@${FABRIC_COMMIT}" 2>&1)"; then
    explain_go_failure "download the module" "$output"
    return 0
  fi
  if ! dir="$(node -e 'const m = JSON.parse(require("fs").readFileSync(0, "utf8")); if (m.Error || !m.Dir) { process.exit(1); } console.log(m.Dir);' <<<"$output")"; then
    explain_go_failure "download the module" "$output"
    return 0
  fi
  MODULE_DIR="$dir"
  infoln "module at ${MODULE_DIR}"
}

build_tools() {
  step "build ${TOOLS[*]} (CGO_ENABLED=0, Fabric ${FABRIC_VERSION})"
  local packages=() tool output
  for tool in "${TOOLS[@]}"; do packages+=("${FABRIC_MODULE}/cmd/${tool}@${FABRIC_COMMIT}"); done
  # go install pkg@version builds outside any module, pinned by the module's own go.sum.
  # The ldflags give `peer version` the release's version instead of an empty one.
  if ! output="$(cd "$WORK_DIR" && CGO_ENABLED=0 GOTOOLCHAIN=local GOBIN="${WORK_DIR}/bin" go install \
    -ldflags "-X ${FABRIC_MODULE}/common/metadata.Version=${FABRIC_METADATA_VERSION} -X ${FABRIC_MODULE}/common/metadata.CommitSHA=${FABRIC_COMMIT:0:9}" \
    "${packages[@]}" 2>&1)"; then
    explain_go_failure "build the Fabric tools" "$output"
  fi
}

# install_tools FROM_BIN FROM_CONFIG ORIGIN: move the tools and a writable copy of the sample
# configs into TOOLS_DIR, then stamp it.
install_tools() {
  local from_bin="$1" from_config="$2" origin="$3" tool
  step "install tools into ${TOOLS_DIR}"
  mkdir -p "$TOOLS_DIR"
  for tool in "${TOOLS[@]}"; do
    [[ -x "${from_bin}/${tool}" ]] || fatalln "${origin}: ${tool} was not produced"
  done
  rm -f "$STAMP_FILE"
  for tool in "${TOOLS[@]}"; do mv -f "${from_bin}/${tool}" "${TOOLS_DIR}/${tool}"; done
  # The module cache is read-only: copy the sample configs and make the copy writable.
  rm -rf "${TOOLS_DIR}/sampleconfig"
  cp -R "$from_config" "${TOOLS_DIR}/sampleconfig"
  chmod -R u+w "${TOOLS_DIR}/sampleconfig"
  printf '%s\n%s\n' "$STAMP" "$origin" >"$STAMP_FILE"
  successln "Fabric ${FABRIC_VERSION} tools installed in ${TOOLS_DIR}"
}

try_go_build() {
  local place="Go module ${FABRIC_MODULE}@${FABRIC_COMMIT}"
  SOURCE_PROBLEM=""
  check_go
  if [[ -z "$SOURCE_PROBLEM" ]]; then
    make_work_dir
    download_module
  fi
  [[ -n "$SOURCE_PROBLEM" ]] || build_tools
  if [[ -n "$SOURCE_PROBLEM" ]]; then
    not_used "$place" "$SOURCE_PROBLEM"
    return 0
  fi
  install_tools "${WORK_DIR}/bin" "${MODULE_DIR}/sampleconfig" "Go module build"
  use_source "$TOOLS_DIR" "${TOOLS_DIR}/sampleconfig" "built from the Go module"
}

# --- 5. the release tarball ------------------------------------------------------------------

try_release_tarball() {
  local place="release tarball ${FABRIC_RELEASE_URL}" platform tarball output digest
  if [[ -z "$FABRIC_RELEASE_SHA256" ]]; then
    not_used "$place" "skipped: no pinned SHA-256 (FABRIC_RELEASE_SHA256 is empty in network/scripts/build-fabric-tools.sh)"
    return 0
  fi
  platform="$(uname -s)-$(uname -m)"
  if [[ "$platform" != Linux-x86_64 ]]; then
    not_used "$place" "skipped: the pinned tarball is for Linux-x86_64, this machine is ${platform}"
    return 0
  fi
  if ! command -v curl >/dev/null 2>&1; then
    not_used "$place" "skipped: curl is not installed"
    return 0
  fi
  step "download ${FABRIC_RELEASE_TARBALL}"
  make_work_dir
  tarball="${WORK_DIR}/${FABRIC_RELEASE_TARBALL}"
  if ! output="$(curl -fsSL --connect-timeout 10 --max-time 900 -o "$tarball" "$FABRIC_RELEASE_URL" 2>&1)"; then
    not_used "$place" "download failed: $(tr '\n' ' ' <<<"$output" | sed 's/ *$//')"
    return 0
  fi
  digest="$(sha256sum "$tarball" | awk '{print $1}')"
  [[ "$digest" == "$FABRIC_RELEASE_SHA256" ]] ||
    fatalln "${FABRIC_RELEASE_URL} has SHA-256 ${digest}, but ${FABRIC_RELEASE_SHA256} is pinned: refusing to unpack it"
  infoln "SHA-256 ${digest} matches the pinned digest"
  mkdir -p "${WORK_DIR}/release"
  tar -xzf "$tarball" -C "${WORK_DIR}/release" || fatalln "could not unpack ${tarball}"
  check_tools_in "${WORK_DIR}/release/bin" "the release tarball's bin/"
  install_tools "${WORK_DIR}/release/bin" "${WORK_DIR}/release/config" "release tarball"
  use_source "$TOOLS_DIR" "${TOOLS_DIR}/sampleconfig" "release tarball, SHA-256 verified"
}

# --- main ------------------------------------------------------------------------------------

give_up() {
  CURRENT_STEP="find the Fabric ${FABRIC_METADATA_VERSION} tools"
  local message entry n=0
  message="the Fabric ${FABRIC_METADATA_VERSION} tools cannot be obtained on this machine: no source below is usable. Looked in, in order:"
  for entry in "${LOOKED[@]}"; do
    n=$((n + 1))
    message+=$'\n'"  ${n}. ${entry}"
  done
  message+=$'\n'"Provide them in one of these ways, then run again:"
  message+=$'\n'"  - FABRIC_BIN=/path/to/fabric/bin: an install of Fabric ${FABRIC_METADATA_VERSION} (its ../config, or FABRIC_CFG_SOURCE=/dir, supplies core.yaml and orderer.yaml)"
  message+=$'\n'"  - Fabric's release tarball ${FABRIC_RELEASE_TARBALL} unpacked as ${BUNDLE_ROOT}/${FABRIC_VERSION}/{bin,config}, or FABRIC_BUNDLE_DIR=/dir holding ${FABRIC_VERSION}/"
  message+=$'\n'"  - Go >= ${MIN_GO_VERSION} with a module proxy (GOPROXY) that serves ${FABRIC_MODULE}: the tools are then built into ${TOOLS_DIR}"
  message+=$'\n'"  - on a machine that reaches GitHub: pin FABRIC_RELEASE_SHA256 in network/scripts/build-fabric-tools.sh from the release page"
  fatalln "$message" "$EXIT_TOOLS_UNOBTAINABLE"
}

parse_args() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --bin-dir-file)
        [[ $# -ge 2 && -n "$2" ]] || fatalln "--bin-dir-file needs a file name" 2
        BIN_DIR_FILE="$2"
        shift 2
        ;;
      *) fatalln "unknown argument '$1' (usage: build-fabric-tools.sh [--bin-dir-file FILE])" 2 ;;
    esac
  done
}

main() {
  parse_args "$@"
  local source
  if [[ -n "${FABRIC_BIN:-}" ]]; then
    use_fabric_bin
  else
    step "find the Fabric ${FABRIC_METADATA_VERSION} tools"
    not_used "FABRIC_BIN" "not set"
    for source in try_cached_build try_bundle try_go_build try_release_tarball; do
      "$source"
      [[ -z "$BIN_DIR" ]] || break
    done
    [[ -n "$BIN_DIR" ]] || give_up
  fi
  successln "using Fabric ${FABRIC_METADATA_VERSION} from ${BIN_DIR} (${KIND})"
  step "derive network/config from ${CONFIG_SOURCE}"
  FABRIC_CONFIG_DIR="$FABRIC_CONFIG_DIR" "${SCRIPTS_DIR}/render-node-config.sh" "$CONFIG_SOURCE"
  if [[ -n "$BIN_DIR_FILE" ]]; then
    printf '%s\n' "$BIN_DIR" >"$BIN_DIR_FILE"
  fi
}

main "$@"
