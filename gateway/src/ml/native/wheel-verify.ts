import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { NativeSetupError } from './native-setup-error';
import type { WheelPin } from './wheel-pins';

/** SHA-256 of a file, streamed (the wheels are hundreds of MB). */
export function sha256OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => {
        resolve(hash.digest('hex'));
      });
  });
}

/**
 * Checks a downloaded wheel against its pin. A corrupt, truncated, tampered or other-version file
 * is refused with WHEEL_CHECKSUM_MISMATCH naming both hashes and what to do; nothing is extracted from it.
 */
export async function verifyWheel(file: string, pin: WheelPin): Promise<void> {
  if (!existsSync(file)) {
    throw new NativeSetupError(
      'DOWNLOAD_FAILED',
      `${pin.file} is not in the cache (${file}); the download did not produce it`,
    );
  }
  const actual = await sha256OfFile(file);
  if (actual !== pin.sha256) {
    throw new NativeSetupError(
      'WHEEL_CHECKSUM_MISMATCH',
      `${file} has SHA-256 ${actual}, but ${pin.project} ${pin.version} (${pin.file}) must have ${pin.sha256}. ` +
        'The file is corrupt, truncated or not the pinned release; delete it and run the setup again (it downloads it anew).',
    );
  }
}
