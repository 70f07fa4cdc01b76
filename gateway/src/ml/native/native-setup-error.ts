/** Why the native setup stopped; each code names one thing the operator can fix. */
export const NATIVE_SETUP_CODES = [
  'UNSUPPORTED_PLATFORM',
  'TOOL_MISSING',
  'DOWNLOAD_FAILED',
  'WHEEL_CHECKSUM_MISMATCH',
  'WHEEL_CONTENT_MISSING',
  'BUILD_FAILED',
  'LOAD_FAILED',
] as const;
export type NativeSetupCode = (typeof NATIVE_SETUP_CODES)[number];

/** A failed step of `npm run setup:native`, with a message saying what to do about it. */
export class NativeSetupError extends Error {
  readonly code: NativeSetupCode;

  constructor(code: NativeSetupCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'NativeSetupError';
    this.code = code;
  }
}
