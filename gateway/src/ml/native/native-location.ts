import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the optional native TensorFlow backend lives. It is installed by `npm run setup:native` into
 * its own npm prefix outside the workspace (see ADR 0021): the workspace lock never names it, so
 * `npm ci` never tries to download libtensorflow, and the gateway resolves it here at run time.
 */

/** Overrides the directory holding the native prefixes (default `~/.cache/fedledger/native`). */
export const NATIVE_DIR_ENV = 'FEDLEDGER_NATIVE_DIR';
/** Overrides the download cache for wheels (default `~/.cache/fedledger/wheels`). */
export const WHEEL_CACHE_ENV = 'FEDLEDGER_WHEEL_CACHE';

export type NativeVariant = 'cpu' | 'gpu';

/** The npm package of each variant; both hold the same binding, linked against different libtensorflow builds. */
export const NATIVE_PACKAGES: Readonly<Record<NativeVariant, string>> = {
  cpu: '@tensorflow/tfjs-node',
  gpu: '@tensorflow/tfjs-node-gpu',
};

/** The tfjs-node release matching the workspace's `@tensorflow/tfjs` (they must be equal: one engine). */
export const TFJS_NODE_VERSION = '4.22.0';

/** Root of the native prefixes. */
export function nativeRoot(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[NATIVE_DIR_ENV]?.trim();
  return configured !== undefined && configured !== ''
    ? configured
    : join(homedir(), '.cache', 'fedledger', 'native');
}

/** Directory the wheels are downloaded into (outside git). */
export function wheelCache(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[WHEEL_CACHE_ENV]?.trim();
  return configured !== undefined && configured !== ''
    ? configured
    : join(homedir(), '.cache', 'fedledger', 'wheels');
}

/** The npm prefix of one variant: `<root>/<variant>`, holding `package.json` and `node_modules/`. */
export function variantPrefix(root: string, variant: NativeVariant): string {
  return join(root, variant);
}

/** The installed package directory of one variant. */
export function packageDir(root: string, variant: NativeVariant): string {
  return join(variantPrefix(root, variant), 'node_modules', ...NATIVE_PACKAGES[variant].split('/'));
}

/** Where the GPU variant keeps the CUDA and cuDNN libraries taken from the `nvidia-*-cu12` wheels. */
export function cudaLibDir(root: string): string {
  return join(variantPrefix(root, 'gpu'), 'cuda', 'lib');
}

/** The file the setup writes last, naming what it installed; its presence means a finished setup. */
export function setupMarker(root: string, variant: NativeVariant): string {
  return join(variantPrefix(root, variant), 'fedledger-native.json');
}
