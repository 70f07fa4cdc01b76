import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FabricConsortiumOptions,
  type LockOptions,
  type RunningConsortium,
  startFabricConsortium,
  Teardown,
  withNetworkLock,
} from '@fedledger/demo';
import { initBackend } from '@fedledger/gateway/training';
import { requireFabricTools } from './fabric-tools';
import { busyPorts, processAlive, recordedPids } from './network';

export interface LockedTeardownOptions {
  /** Loads the TensorFlow.js backend first: for tests whose own process trains or evaluates. */
  backend?: boolean;
  /** How long to wait for another real network to finish (withNetworkLock). */
  lock?: LockOptions;
}

/**
 * The frame of every real-network test: the Fabric tools must be there (a test never skips), the
 * machine-wide network lock is held, and whatever `body` registers with the teardown is undone in
 * `finally`, before the lock is released.
 */
export async function withLockedTeardown<T>(
  options: LockedTeardownOptions,
  body: (teardown: Teardown) => Promise<T>,
): Promise<T> {
  await requireFabricTools();
  if (options.backend === true) await initBackend();
  return withNetworkLock(async () => {
    const teardown = new Teardown(() => undefined);
    try {
      return await body(teardown);
    } finally {
      await teardown.run();
    }
  }, options.lock);
}

export interface TestbedOptions extends LockedTeardownOptions, FabricConsortiumOptions {
  /** Runs after the body (also when it or the start threw) and before the teardown: e.g. copying the logs out. */
  beforeTeardown?: (paths: { stateRoot: string; logDir: string }) => void | Promise<void>;
}

/** A running network with one gateway process per org, as the body of withFabricTestbed sees it. */
export interface FabricTestbed {
  consortium: RunningConsortium;
  teardown: Teardown;
  /** A fresh temporary directory for the gateways' state, removed at the teardown. */
  stateRoot: string;
  logDir: string;
  /** When the network lock was taken (Date.now()), for timings that leave out the wait for it. */
  lockedAt: number;
  /** Reads the network's PIDs again, for a test that restarted a component. */
  recordPids: () => void;
}

/** What the testbed started, for the checks that nothing is left running once it is down. */
export interface TestbedLeftovers {
  networkPids: number[];
  gatewayUrls: string[];
}

/**
 * Brings up the real consortium (network.sh up + deployCC, one gateway per org) in a temporary state
 * root named after `prefix`, runs `body`, and takes everything down again under the network lock.
 * Returns the PIDs and gateway URLs it started, also when the consortium came up only partly: pass
 * them to assertNothingLeftRunning.
 */
export async function withFabricTestbed(
  prefix: string,
  options: TestbedOptions,
  body: (bed: FabricTestbed) => Promise<void>,
): Promise<TestbedLeftovers> {
  const leftovers: TestbedLeftovers = { networkPids: [], gatewayUrls: [] };
  await withLockedTeardown(options, async (teardown) => {
    const lockedAt = Date.now();
    const stateRoot = mkdtempSync(join(tmpdir(), `fedledger-${prefix}-`));
    teardown.add(`${prefix} state`, () => {
      rmSync(stateRoot, { recursive: true, force: true });
    });
    const logDir = join(stateRoot, 'logs');
    try {
      const consortium = await startFabricConsortium(
        stateRoot,
        logDir,
        teardown,
        () => undefined,
        options,
      );
      leftovers.networkPids = recordedPids();
      leftovers.gatewayUrls = [...consortium.hospitals, consortium.auditor].map(
        (endpoint) => endpoint.baseUrl,
      );
      const recordPids = (): void => {
        leftovers.networkPids = recordedPids();
      };
      await body({ consortium, teardown, stateRoot, logDir, lockedAt, recordPids });
    } finally {
      await options.beforeTeardown?.({ stateRoot, logDir });
    }
  });
  return leftovers;
}

/** After withFabricTestbed: no network process alive, no gateway answering, none of `ports` bound. */
export async function assertNothingLeftRunning(
  leftovers: TestbedLeftovers,
  ports: number[] = [],
): Promise<void> {
  assert.deepEqual(
    leftovers.networkPids.filter(processAlive),
    [],
    'network processes still run after the teardown',
  );
  for (const url of leftovers.gatewayUrls) {
    await assert.rejects(
      fetch(`${url}/health/live`, { signal: AbortSignal.timeout(2_000) }),
      `the gateway at ${url} still answers after the teardown`,
    );
  }
  assert.deepEqual(await busyPorts(ports), [], 'network ports are still bound after the teardown');
}
