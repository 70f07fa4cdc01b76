import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One established TCP socket as `ss -tinpH state established` shows it. */
export interface SocketRecord {
  local: string;
  peer: string;
  localPort: number;
  peerPort: number;
  pid?: number;
  /** TCP payload bytes this socket sent and received so far (headers not included). */
  sent: number;
  received: number;
}

const PORT = /:(\d+)$/;
const PID = /pid=(\d+)/;

/** Parses `ss -tinpH state established`: a socket line (Recv-Q Send-Q local peer users) then an indented info line. */
export function parseEstablished(text: string): SocketRecord[] {
  const out: SocketRecord[] = [];
  let current: SocketRecord | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (/^\s/.test(line)) {
      if (current === undefined) continue;
      current.sent = counter(/bytes_sent:(\d+)/, line);
      current.received = counter(/bytes_received:(\d+)/, line);
      continue;
    }
    // Recv-Q, Send-Q, local, peer, then the users column; a short line has no local or peer.
    const fields = line.trim().split(/\s+/);
    const local = fields.at(2);
    const peer = fields.at(3);
    const rest = fields.slice(4);
    const localPort = Number(PORT.exec(local ?? '')?.[1]);
    const peerPort = Number(PORT.exec(peer ?? '')?.[1]);
    if (
      local === undefined ||
      peer === undefined ||
      !Number.isInteger(localPort) ||
      !Number.isInteger(peerPort)
    ) {
      current = undefined;
      continue;
    }
    const pid = PID.exec(rest.join(' '))?.[1];
    current = {
      local,
      peer,
      localPort,
      peerPort,
      ...(pid !== undefined ? { pid: Number(pid) } : {}),
      sent: 0,
      received: 0,
    };
    out.push(current);
  }
  return out;
}

/** The number a `label:(\d+)` pattern finds in an info line, 0 when the line has no such counter. */
function counter(pattern: RegExp, line: string): number {
  const match = pattern.exec(line);
  return match === null ? 0 : Number(match[1]);
}

/** Listening TCP port → the PID holding it, from `ss -ltnpH`. */
export function parseListening(text: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const port = Number(PORT.exec(fields[3] ?? '')?.[1]);
    const pid = PID.exec(line)?.[1];
    if (Number.isInteger(port) && pid !== undefined) out.set(port, Number(pid));
  }
  return out;
}

/**
 * Payload bytes per kind of connection between two snapshots, each connection counted once from its
 * client side (the socket whose peer port is a listening one): `client kind → server kind`. A socket
 * new in `after` counts from zero; connections opened and closed between the snapshots are missed.
 */
export function bytesByConnectionKind(
  before: readonly SocketRecord[],
  after: readonly SocketRecord[],
  listening: ReadonlyMap<number, number>,
  kindOf: (pid: number | undefined) => string,
): Map<string, number> {
  const earlier = new Map(before.map((s) => [`${s.local} ${s.peer}`, s.sent + s.received]));
  const out = new Map<string, number>();
  for (const socket of after) {
    const serverPid = listening.get(socket.peerPort);
    if (serverPid === undefined || listening.get(socket.localPort) !== undefined) continue;
    const delta =
      socket.sent + socket.received - (earlier.get(`${socket.local} ${socket.peer}`) ?? 0);
    if (delta <= 0) continue;
    const kind = `${kindOf(socket.pid)} → ${kindOf(serverPid)}`;
    out.set(kind, (out.get(kind) ?? 0) + delta);
  }
  return out;
}

/** What a process of the fedledger run is, from its command line. */
export function processKind(commandLine: string): string {
  if (/(^|\/)orderer(\s|$)/.test(commandLine)) return 'orderer';
  if (/(^|\/)peer(\s|$)/.test(commandLine)) return 'peer';
  if (commandLine.includes('fabric-chaincode-node') || commandLine.includes('chaincode'))
    return 'chaincode server';
  if (commandLine.includes('gateway/dist/main.js')) return 'gateway';
  if (commandLine.includes('fabric-federation-main')) return 'demo driver';
  return 'other';
}

/** A live snapshot in this process's namespace (`ss` must be on PATH). */
export function snapshotSockets(): { established: SocketRecord[]; listening: Map<number, number> } {
  return {
    established: parseEstablished(
      execFileSync('ss', ['-tinpH', 'state', 'established'], {
        encoding: 'utf8',
        maxBuffer: 64 * 2 ** 20,
      }),
    ),
    listening: parseListening(execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' })),
  };
}

/** kindOf for {@link bytesByConnectionKind}, reading /proc (and caching: PIDs do not change kind). */
export function processKindReader(): (pid: number | undefined) => string {
  const cache = new Map<number, string>();
  return (pid) => {
    if (pid === undefined) return 'other';
    let kind = cache.get(pid);
    if (kind === undefined) {
      try {
        kind = processKind(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
      } catch {
        kind = 'exited';
      }
      cache.set(pid, kind);
    }
    return kind;
  };
}
