/** A fraction as a percentage with one decimal. */
export const pct = (fraction: number | undefined): string =>
  fraction === undefined || !Number.isFinite(fraction) ? '—' : `${(fraction * 100).toFixed(1)}%`;

/** A hash shortened for tables; the full value stays in the title and in copyable detail views. */
export const short = (hash: string | null | undefined): string =>
  hash ? `${hash.slice(0, 12)}…` : '—';

export const time = (iso: string | undefined): string =>
  iso ? new Date(iso).toLocaleString() : '—';
