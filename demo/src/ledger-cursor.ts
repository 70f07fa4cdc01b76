import { COMMITTED_BLOCK_HEADER, MIN_BLOCK_HEADER } from '@fedledger/gateway';

/**
 * The client's side of read-your-writes (see ledger/ledger-session.ts): the highest block any of
 * our writes committed in, through any org's gateway. Shared by every {@link GatewayClient} of one
 * run and sent with each request, so a step never reaches an org whose peer has not yet seen the
 * step before it (e.g. accepting an invitation one block after it was created).
 */
export class LedgerCursor {
  #block: number | undefined;

  /** The header to send: empty until something was written. */
  headers(): Record<string, string> {
    return this.#block === undefined ? {} : { [MIN_BLOCK_HEADER]: String(this.#block) };
  }

  /** Takes note of the block a response reports its writes committed in. */
  observe(response: Response): void {
    const header = response.headers.get(COMMITTED_BLOCK_HEADER);
    if (header === null || !/^\d+$/.test(header)) return;
    const block = Number(header);
    if (this.#block === undefined || block > this.#block) this.#block = block;
  }
}
