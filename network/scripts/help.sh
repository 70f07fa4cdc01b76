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
  partition <org>      cut one org's host off the others (netns layout), for --seconds N or until heal
  heal <org>           reconnect an org cut off by partition
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
the application channel's genesis block (no system channel, channel capability V3_0), orderers
joined with osnadmin, one peer per member org plus the auditor's peer, joined as org admins.
Ordering: BFT (SmartBFT, the default) runs one orderer per member org and one for the auditor, each
in an ordering organization of its own; n = 3f + 1 nodes tolerate f faulty ones, so fewer than 4
is refused unless --allow-no-fault-tolerance. Raft runs 1 or 3 nodes of a separate ordering org.
Fails fast if a port is in use. Needs the Fabric 3.1.5 tools; scripts/build-fabric-tools.sh takes
the first of FABRIC_BIN=/path,
network/bin, a release bundle at ../shared/fabric/v3.1.5 (FABRIC_BUNDLE_DIR=/dir holding v3.1.5/),
a build from the Go module, Fabric's release tarball (once its SHA-256 is pinned), and says which
it used (docs/operations.md).

Flags (defaults from network/network.config):
  --consensus bft|raft     ordering service (default bft)
  --allow-no-fault-tolerance
                           with bft, accept fewer than 4 orderers (development only)
  -n, --orgs N             member organizations Org1..OrgN, 1-9 (default 3)
  -r, --raft N             Raft ordering nodes, 1 or 3 (default 1; --consensus raft only)
  -c, --channel NAME       channel name (default fedledger)
  -p, --base-port PORT     first port of the layout (default 7050)
  -t, --batch-timeout DUR  Raft BatchTimeout / BFT RequestBatchMaxInterval, e.g. 20ms (default 20ms)
  --hosts loopback|netns   loopback: every process on HOST (default). netns: each org is a host of
                           its own, a network namespace fl-<org> with an address on bridge flbr0
                           (NETNS_SUBNET.0/24, default 10.213.0.0/24, no route off the machine);
                           needs root (CAP_NET_ADMIN); 'down' removes them
  -h, --help               this help
TEXT
      ;;
    partition)
      cat <<'TEXT'
Usage: network.sh partition <org> [flags]

Cut one organization's host off the bridge of the netns layout: its peer, orderer node, chaincode
server and gateway keep running but reach no other org (and no other org reaches them). With
--seconds N the link comes back after N seconds; otherwise it stays down until
'network.sh heal <org>'. Needs a network brought up with --hosts netns.

Flags:
  --seconds N   reconnect after N seconds
  -h, --help    this help
TEXT
      ;;
    heal)
      cat <<'TEXT'
Usage: network.sh heal <org>

Reconnect an organization cut off by 'network.sh partition'.

Flags:
  -h, --help   this help
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

Stop every process recorded in network/state/pids (by PID, never by name), remove the network
namespaces and bridge of the netns layout that 'up' recorded creating, and remove network/state/. Works after a failed 'up' and with damaged state; exits 0 when nothing runs.

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
