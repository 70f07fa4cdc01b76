import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Read-your-writes across organizations. A submit returns once the block holding it is committed on
 * the caller's own peer; another org's peer may still be a block behind. So every write answers with
 * the block it committed in ({@link COMMITTED_BLOCK_HEADER}), and a client that then turns to another
 * org's gateway sends that number back ({@link MIN_BLOCK_HEADER}): that gateway first waits until its
 * own peer has committed the block, so it reads and endorses on a state that includes the write.
 */
export const COMMITTED_BLOCK_HEADER = 'x-ledger-block';
export const MIN_BLOCK_HEADER = 'x-ledger-min-block';

/** What one API request did on the ledger. */
interface LedgerSession {
  /** The highest block in which a transaction submitted for this request was committed. */
  committedBlock: number | undefined;
}

const sessions = new AsyncLocalStorage<LedgerSession>();

/** Runs `work` with a fresh session; `session` is read after the work is done. */
export function runInLedgerSession<T>(work: () => T): {
  result: T;
  session: Readonly<LedgerSession>;
} {
  const session: LedgerSession = { committedBlock: undefined };
  return { result: sessions.run(session, work), session };
}

/** Called by the ledger client after each commit; outside a request it does nothing. */
export function noteCommittedBlock(block: number): void {
  const session = sessions.getStore();
  if (
    session !== undefined &&
    (session.committedBlock === undefined || block > session.committedBlock)
  )
    session.committedBlock = block;
}
