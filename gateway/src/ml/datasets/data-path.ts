import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FedLedgerError } from '@fedledger/core';

/**
 * Resolves a user-supplied path inside the data directory. Checked twice: lexically (so `../x` and
 * absolute paths elsewhere are refused before touching the disk) and after resolving symlinks (so a
 * link inside the directory cannot point out of it). FORBIDDEN on escape, NOT_FOUND when missing.
 */
export async function resolveInsideDataDir(
  dataDir: string,
  userPath: string,
): Promise<{ absolute: string; relative: string; size: number }> {
  if (typeof userPath !== 'string' || userPath.trim() === '' || userPath.includes('\0')) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      'path must be a non-empty file path inside the data directory',
    );
  }
  const root = path.resolve(dataDir);
  const candidate = path.resolve(root, userPath);
  if (!isInside(root, candidate)) {
    throw escape(userPath, root);
  }
  let realRoot: string;
  let realFile: string;
  try {
    realRoot = await fs.realpath(root);
    realFile = await fs.realpath(candidate);
  } catch {
    throw new FedLedgerError('NOT_FOUND', `no file "${userPath}" in the data directory ${root}`, {
      dataDir: root,
    });
  }
  if (!isInside(realRoot, realFile)) {
    throw escape(userPath, root);
  }
  const stat = await fs.stat(realFile);
  if (!stat.isFile()) {
    throw new FedLedgerError('INVALID_ARGUMENT', `"${userPath}" is not a regular file`);
  }
  return {
    absolute: realFile,
    relative: path.relative(realRoot, realFile).split(path.sep).join('/'),
    size: stat.size,
  };
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Names the data directory so the caller knows where to put the file. */
function escape(userPath: string, dataDir: string): FedLedgerError {
  return new FedLedgerError(
    'FORBIDDEN',
    `path "${userPath}" resolves outside the data directory ${dataDir}; copy the file into it and give its path relative to it`,
    { dataDir },
  );
}
