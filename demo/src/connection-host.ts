import { readFileSync } from 'node:fs';

/** Where an org's own processes live on the netns layout (`host` in its connection file). */
export interface ConnectionHost {
  namespace: string;
  address: string;
}

/**
 * The `host` entry network.sh writes into an org's connection file on the netns layout, or
 * undefined on the loopback layout. A present but malformed entry is an error naming the file.
 */
export function connectionHost(connectionFile: string): ConnectionHost | undefined {
  const json = JSON.parse(readFileSync(connectionFile, 'utf8')) as {
    host?: Partial<Record<keyof ConnectionHost, unknown>> | null;
  };
  if (json.host === undefined) return undefined;
  const host = json.host;
  if (host === null || typeof host.namespace !== 'string' || typeof host.address !== 'string') {
    throw new Error(
      `${connectionFile}: "host" must be {"namespace": string, "address": string}, got ${JSON.stringify(json.host)}`,
    );
  }
  return { namespace: host.namespace, address: host.address };
}
