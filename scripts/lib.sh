# Shared helpers for the top-level scripts (sourced, not run).
# shellcheck shell=bash

infoln() { printf '\033[0;34m[fedledger]\033[0m %s\n' "$*"; }
warnln() { printf '\033[0;33m[fedledger] warning:\033[0m %s\n' "$*" >&2; }
fatalln() { printf '\033[0;31m[fedledger] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Installs the npm workspaces when node_modules is missing or older than the lockfile, so the
# README's commands work on a fresh clone with no other step.
ensure_node_deps() {
  command -v node >/dev/null || fatalln "Node.js 20 or newer is required (node not found on PATH)"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || fatalln "Node.js 20 or newer is required (found $(node --version))"
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    infoln "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund
  fi
}

# Compiles every workspace (incremental: a second run is fast), then bundles the web console the
# gateways serve at / (gateway/console → gateway/console/dist, content-hashed; ADR 14).
build_all() {
  infoln "building all workspaces (tsc -b) and the web console"
  npx tsc -b
  npm run --silent build:console -w gateway
}

# The network tests lint every shell script with shellcheck; install it from Debian's packages when
# we can (root with apt), otherwise that one test reports itself skipped.
ensure_shellcheck() {
  command -v shellcheck >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    infoln "installing shellcheck (apt-get) for the network script tests"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck; } >/dev/null 2>&1 ||
      warnln "could not install shellcheck; the shellcheck test will be reported as skipped"
  else
    warnln "shellcheck is not installed and cannot be installed here; the shellcheck test will be reported as skipped"
  fi
}

# The console's browser tests drive Debian's headless Chromium (the driver never downloads a
# browser); install it from Debian's packages when we can (root with apt). Without it those tests fail
# with a message naming the package: a browser test that silently skips would prove nothing.
ensure_chromium() {
  command -v "${FEDLEDGER_CHROMIUM:-chromium}" >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    infoln "installing chromium (apt-get) for the web console's browser tests"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 ||
      warnln "could not install chromium; the console browser tests will fail (install Debian's chromium package)"
  else
    warnln "chromium is not installed and cannot be installed here; the console browser tests will fail (install Debian's chromium package, or set FEDLEDGER_CHROMIUM)"
  fi
}
