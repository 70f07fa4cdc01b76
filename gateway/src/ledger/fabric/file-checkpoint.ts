import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ChaincodeEvent, Checkpointer } from '@hyperledger/fabric-gateway';

/** A checkpoint file that cannot be read back; names the file and what the operator can do. */
export class CheckpointFileError extends Error {
  constructor(path: string, problem: string) {
    super(
      `event checkpoint ${path} is unusable (${problem}). The gateway does not guess where to resume. ` +
        `Restore a good copy, or delete it to replay every event from block 0 (safe: each participation step checks the ledger first, so nothing is submitted twice; it takes one pass over the chain's events).`,
    );
    this.name = 'CheckpointFileError';
  }
}

const BLOCK_NUMBER = /^(0|[1-9][0-9]*)$/;

/**
 * The position after the last handled chaincode event, kept in one JSON file
 * (`{"blockNumber":"12","transactionId":"…"}`, the format of fabric-gateway's file checkpointer,
 * so files it wrote are read as they are). Unlike that checkpointer, a save never truncates the
 * file in place: it writes a temporary file in the same directory, fsyncs it, renames it over the
 * old one and fsyncs the directory, so a crash at any moment leaves the old checkpoint or the new
 * one, never a partial one. A missing file means "no event handled yet"; anything else unreadable
 * is a {@link CheckpointFileError}, not a silent restart.
 */
export class FileCheckpoint implements Checkpointer {
  readonly #path: string;
  #blockNumber: bigint | undefined;
  #transactionId: string | undefined;

  private constructor(path: string) {
    this.#path = path;
  }

  /** Reads `path` (absent: start from scratch); throws {@link CheckpointFileError} when it is corrupt. */
  static async load(path: string): Promise<FileCheckpoint> {
    const checkpoint = new FileCheckpoint(path);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return checkpoint;
      throw new CheckpointFileError(path, `cannot be read: ${(error as Error).message}`);
    }
    checkpoint.#restore(parseCheckpoint(path, text));
    return checkpoint;
  }

  getBlockNumber(): bigint | undefined {
    return this.#blockNumber;
  }

  getTransactionId(): string | undefined {
    return this.#transactionId;
  }

  async checkpointBlock(blockNumber: bigint): Promise<void> {
    await this.#save(blockNumber + 1n, undefined);
  }

  async checkpointTransaction(blockNumber: bigint, transactionId: string): Promise<void> {
    await this.#save(blockNumber, transactionId);
  }

  async checkpointChaincodeEvent(event: ChaincodeEvent): Promise<void> {
    await this.checkpointTransaction(event.blockNumber, event.transactionId);
  }

  #restore(state: { blockNumber?: bigint; transactionId?: string }): void {
    this.#blockNumber = state.blockNumber;
    this.#transactionId = state.transactionId;
  }

  /** The in-memory position moves only once the file holds it, so memory never runs ahead of disk. */
  async #save(blockNumber: bigint, transactionId: string | undefined): Promise<void> {
    const text = JSON.stringify({
      blockNumber: blockNumber.toString(),
      ...(transactionId !== undefined ? { transactionId } : {}),
    });
    const temp = join(dirname(this.#path), `.${basename(this.#path)}.${process.pid}.tmp`);
    try {
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.#path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dirname(this.#path));
    this.#restore({ blockNumber, ...(transactionId !== undefined ? { transactionId } : {}) });
  }
}

function parseCheckpoint(
  path: string,
  text: string,
): { blockNumber?: bigint; transactionId?: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CheckpointFileError(
      path,
      text.length === 0 ? 'the file is empty' : `not JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CheckpointFileError(path, 'not a JSON object');
  const { blockNumber, transactionId, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0)
    throw new CheckpointFileError(path, `unknown fields ${Object.keys(rest).join(', ')}`);
  if (blockNumber === undefined) {
    // fabric-gateway's checkpointer writes {} before the first event; it means "nothing handled yet".
    if (transactionId !== undefined)
      throw new CheckpointFileError(path, 'transactionId without blockNumber');
    return {};
  }
  if (typeof blockNumber !== 'string' || !BLOCK_NUMBER.test(blockNumber))
    throw new CheckpointFileError(path, 'blockNumber is not a non-negative integer string');
  if (
    transactionId !== undefined &&
    (typeof transactionId !== 'string' || transactionId.length === 0)
  )
    throw new CheckpointFileError(path, 'transactionId is not a non-empty string');
  return {
    blockNumber: BigInt(blockNumber),
    ...(transactionId !== undefined ? { transactionId } : {}),
  };
}

/** Makes the rename durable; some platforms (Windows) cannot open or fsync a directory, where that is skipped. */
async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}
