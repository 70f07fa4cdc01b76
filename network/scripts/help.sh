# shellcheck shell=bash
# Usage text of network.sh, one function per mode.

print_usage() {
  cat <<'TEXT'
Usage: network.sh <mode> [flags]

Modes:
  up                   generate identities and the channel, start orderers and peers, join them
  deployCC             package, install, approve and commit the chaincode; start its servers
  down                 stop every recorded process and remove network/state/
  status               process up/down, block height per peer, committed chaincode
  restart <component>  restart one process (orderer1, peer.org2, peer.auditor, cc.org1, ...)
  logs <component>     print the end of a process's log
  help [mode]          this text, or the help of one mode

Run 'network.sh <mode> --help' for the flags of a mode. Defaults: network/network.config.
TEXT
}

# Print the help of one mode; returns 1 for an unknown mode.
print_mode_help() {
  case "$1" in
    up)
      cat <<'TEXT'
Usage: network.sh up [flags]

Bring up the consortium as native processes on this host: cryptogen identities (TLS everywhere),
the application channel's genesis block (no system channel), Raft orderers joined with osnadmin,
one peer per member org plus the auditor's peer, joined as org admins. Fails fast if a port is in
use. Needs the Fabric 2.5.16 tools; scripts/build-fabric-tools.sh takes the first of FABRIC_BIN=/path,
network/bin, a release bundle at ../shared/fabric/v2.5.16 (FABRIC_BUNDLE_DIR=/dir holding v2.5.16/),
a build from the Go module, Fabric's release tarball (once its SHA-256 is pinned), and says which
it used (docs/operations.md).

Flags (defaults from network/network.config):
  -n, --orgs N             member organizations Org1..OrgN, 1-9 (default 3)
  -r, --raft N             Raft ordering nodes, 1 or 3 (default 1)
  -c, --channel NAME       channel name (default fedledger)
  -p, --base-port PORT     first port of the layout (default 7050)
  -t, --batch-timeout DUR  orderer BatchTimeout, e.g. 20ms or 2s (default 20ms)
  -h, --help               this help
TEXT
      ;;
    deployCC)
      cat <<'TEXT'
Usage: network.sh deployCC

Deploy the fedledger chaincode as a service on the running network: one ccaas package per org
(it names that org's chaincode server), install on every peer, approve for every org with the
collections config and endorsement policy rendered by chaincode/deploy/render-deploy-config.js,
commit, start one chaincode server per org, wait until every peer's chaincode answers, then run
consortium:InitConsortium once. Re-running it resumes or redeploys with the next sequence.
Requires 'network.sh up' first.

Flags:
  -h, --help   this help
TEXT
      ;;
    down)
      cat <<'TEXT'
Usage: network.sh down

Stop every process recorded in network/state/pids (by PID, never by name) and remove
network/state/. Works after a failed 'up' and with damaged state; exits 0 when nothing runs.

Flags:
  -h, --help   this help
TEXT
      ;;
    status)
      cat <<'TEXT'
Usage: network.sh status

Show each process (up/down, PID, address), the block height of every peer and the chaincode
committed on the channel. Exits 0 when every expected process runs, 1 otherwise.

Flags:
  -h, --help   this help
TEXT
      ;;
    restart)
      cat <<'TEXT'
Usage: network.sh restart <component>

Stop one process by its recorded PID and start it again from its launcher (state/run/), then
wait until it is healthy. Components: orderer1..3, peer.org1..N, peer.auditor, cc.org1..N,
cc.auditor.

Flags:
  -h, --help   this help
TEXT
      ;;
    logs)
      cat <<'TEXT'
Usage: network.sh logs <component> [flags]

Print the end of a process's log (network/state/logs/<component>.log).

Flags:
  -l, --lines N   number of lines (default 100)
  -f, --follow    keep following the log
  -h, --help      this help
TEXT
      ;;
    help)
      print_usage
      ;;
    *) return 1 ;;
  esac
}
