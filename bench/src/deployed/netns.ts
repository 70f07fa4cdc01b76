import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/**
 * Bytes through `lo` in /proc/net/dev text: the received-bytes column (on loopback every byte sent
 * is received exactly once, so this is all traffic, TCP/IP headers included).
 */
export function parseLoopbackBytes(text: string): number {
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.slice(0, colon).trim() !== 'lo') continue;
    const received = Number(
      line
        .slice(colon + 1)
        .trim()
        .split(/\s+/)[0],
    );
    if (!Number.isSafeInteger(received)) throw new Error(`unreadable lo counters: ${line.trim()}`);
    return received;
  }
  throw new Error('no lo line in /proc/net/dev');
}

/** This process's namespace's loopback bytes (meaningful inside a {@link NetNamespace}). */
export function loopbackBytes(): number {
  return parseLoopbackBytes(readFileSync('/proc/net/dev', 'utf8'));
}

/** Whether the process exists and is not a zombie (a zombie has exited and holds no socket or port). */
export function processLive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the parenthesised command name, which may itself contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const STOP_GRACE_MS = 15_000;
/** The namespace's only non-loopback address (TEST-NET-2: never routed anywhere). */
const LOCAL_ADDRESS = '198.51.100.1';
const POLL_MS = 200;

/**
 * A network namespace of its own for one system under test: its processes talk over this namespace's
 * loopback only, so the interface counters are that system's traffic and nothing else on the machine
 * (other sessions' processes live in other namespaces), and its ports cannot collide with anyone's.
 * `ip netns pids` lists every process in it, also those a tool detached into a session of their own:
 * {@link stopAll} stops each of them by PID.
 */
export class NetNamespace {
  /** Namespaces this process created and has not destroyed yet (an interrupted bench stops these). */
  static readonly live = new Set<string>();

  private constructor(readonly name: string) {}

  /**
   * Creates the namespace with its loopback up and one interface (a veth pair, both ends inside) holding a private IPv4 address
   * (a Fabric peer refuses to start without a non-loopback IPv4 address to detect; packets to it stay
   * on `lo` like any local address). Throws when `ip netns` is not allowed here.
   */
  static create(name: string): NetNamespace {
    if (existsSync(`/run/netns/${name}`))
      throw new Error(
        `network namespace ${name} already exists (left by an earlier run?): delete it with ip netns del ${name} after stopping its processes`,
      );
    execFileSync('ip', ['netns', 'add', name], { stdio: 'pipe' });
    const inside = (...args: string[]): void => {
      execFileSync('ip', ['-n', name, ...args], { stdio: 'pipe' });
    };
    try {
      inside('link', 'set', 'lo', 'up');
      // Both ends of the pair stay in the namespace: nothing is connected to the outside.
      inside('link', 'add', 'bench0', 'type', 'veth', 'peer', 'name', 'bench1');
      inside('addr', 'add', `${LOCAL_ADDRESS}/32`, 'dev', 'bench0');
      inside('link', 'set', 'bench0', 'up');
      inside('link', 'set', 'bench1', 'up');
    } catch (error) {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'pipe' });
      throw error;
    }
    NetNamespace.live.add(name);
    return new NetNamespace(name);
  }

  /** `command args…` run inside the namespace (`ip netns exec` execs the command, so the PID is the command's). */
  wrap(command: string, args: readonly string[]): [string, string[]] {
    return ['ip', ['netns', 'exec', this.name, command, ...args]];
  }

  /** Live processes in the namespace now. */
  pids(): number[] {
    const text = execFileSync('ip', ['netns', 'pids', this.name], { encoding: 'utf8' });
    return text
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => Number.isInteger(pid) && pid > 0 && processLive(pid));
  }

  /** The namespace's loopback bytes, read through any process in it or a short `cat` run inside it. */
  loopbackBytes(): number {
    return parseLoopbackBytes(
      execFileSync('ip', ['netns', 'exec', this.name, 'cat', '/proc/net/dev'], {
        encoding: 'utf8',
      }),
    );
  }

  /**
   * SIGTERM to every process in the namespace, SIGKILL to those alive after the grace period, until
   * none is left (new ones started meanwhile are caught on the next pass). Returns the PIDs it had to
   * stop: a clean teardown by the system itself returns [].
   */
  async stopAll(graceMs = STOP_GRACE_MS): Promise<number[]> {
    const stopped = new Set<number>();
    const deadline = Date.now() + graceMs;
    for (;;) {
      const live = this.pids();
      if (live.length === 0) return [...stopped];
      const signal = Date.now() < deadline ? 'SIGTERM' : 'SIGKILL';
      for (const pid of live) {
        if (signal === 'SIGTERM' && stopped.has(pid)) continue;
        stopped.add(pid);
        try {
          process.kill(pid, signal);
        } catch {
          // exited meanwhile
        }
      }
      if (signal === 'SIGKILL' && Date.now() > deadline + graceMs)
        throw new Error(`processes ${live.join(', ')} in ${this.name} survive SIGKILL`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Stops what is left and removes the namespace. */
  async destroy(): Promise<number[]> {
    const leftovers = await this.stopAll();
    execFileSync('ip', ['netns', 'del', this.name], { stdio: 'pipe' });
    NetNamespace.live.delete(this.name);
    return leftovers;
  }
}
