#!/usr/bin/env bash
# Build a chaincode-as-a-service package and print its package id.
#
# usage: package-ccaas.sh LABEL ADDRESS OUT_FILE
#   The package (OUT_FILE, .tgz) holds metadata.json {"type":"ccaas","label":LABEL} and code.tar.gz,
#   which holds connection.json {"address":ADDRESS,"dial_timeout":"10s","tls_required":false}
#   (tls_required defaults to true when omitted). The package id is LABEL:sha256(OUT_FILE), the
#   same rule the peer uses. Archives are byte-reproducible (fixed order, owner and mtime, gzip -n),
#   so re-running deployCC yields the same id and installs become no-ops.
set -Eeuo pipefail

label="${1:-}" address="${2:-}" out="${3:-}"
if [[ -z "$label" || -z "$address" || -z "$out" ]]; then
  echo "usage: package-ccaas.sh LABEL ADDRESS OUT_FILE" >&2
  exit 2
fi
if ! [[ "$label" =~ ^[[:alnum:]][[:alnum:]_.+-]*$ ]]; then
  echo "package-ccaas: label '${label}' is not a valid Fabric package label" >&2
  exit 2
fi
if ! [[ "$address" =~ ^[^:[:space:]]+:[0-9]+$ ]]; then
  echo "package-ccaas: address '${address}' is not HOST:PORT" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/fedledger-ccaas.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "${work}/src" "${work}/pkg"

reproducible_tgz() {
  local dir="$1" output="$2"
  shift 2
  tar -C "$dir" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - "$@" | gzip -9 -n >"$output"
}

printf '{"address":"%s","dial_timeout":"10s","tls_required":false}\n' "$address" >"${work}/src/connection.json"
reproducible_tgz "${work}/src" "${work}/pkg/code.tar.gz" connection.json
printf '{"type":"ccaas","label":"%s"}\n' "$label" >"${work}/pkg/metadata.json"
mkdir -p "$(dirname "$out")"
reproducible_tgz "${work}/pkg" "$out" metadata.json code.tar.gz
echo "${label}:$(sha256sum "$out" | awk '{print $1}')"
