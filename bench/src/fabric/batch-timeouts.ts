/** An orderer BatchTimeout as network.sh takes it (`250ms`, `2s`) and in milliseconds. */
export interface BatchTimeout {
  label: string;
  ms: number;
}

/** Parses one BatchTimeout in network.sh's form (`^[0-9]+(ms|s)$`, above zero). */
export function parseBatchTimeout(text: string): BatchTimeout {
  const match = /^(\d+)(ms|s)$/.exec(text.trim());
  if (match === null || Number(match[1]) === 0) {
    throw new Error(`batch timeout must look like 250ms or 2s and be above zero (got '${text}')`);
  }
  const label = `${Number(match[1])}${match[2]}`;
  return { label, ms: Number(match[1]) * (match[2] === 's' ? 1000 : 1) };
}

/** A comma-separated list of BatchTimeouts, without duplicates, in the given order. */
export function parseBatchTimeouts(text: string): BatchTimeout[] {
  const timeouts = text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map(parseBatchTimeout);
  if (timeouts.length === 0) {
    throw new Error('no batch timeout given');
  }
  const seen = new Set<number>();
  for (const timeout of timeouts) {
    if (seen.has(timeout.ms)) throw new Error(`batch timeout ${timeout.label} is listed twice`);
    seen.add(timeout.ms);
  }
  return timeouts;
}

/** The ratio baseline: 250 ms (network.config's default) when it is in the list, else the longest. */
export function baselineTimeout(timeouts: readonly BatchTimeout[]): BatchTimeout {
  const preferred = timeouts.find((t) => t.ms === 250);
  if (preferred !== undefined) return preferred;
  return timeouts.reduce((longest, t) => (t.ms > longest.ms ? t : longest));
}
