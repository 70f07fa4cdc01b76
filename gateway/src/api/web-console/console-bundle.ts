import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/** Where `npm run build:console` (gateway/console/build.mjs) writes the bundle, relative to this file in dist/. */
export const DEFAULT_CONSOLE_DIR = join(__dirname, '..', '..', '..', 'console', 'dist');

/** The manifest the console build writes beside the bundle. */
interface ConsoleManifest {
  index: string;
  assets: string[];
}

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
}

/** A built console, held in memory: it is a few hundred kB and never changes while the gateway runs. */
export interface ConsoleBundle {
  indexHtml: Buffer;
  /** Content-hashed file names (served under /assets/) → bytes and type. */
  assets: ReadonlyMap<string, ConsoleAsset>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** A name the console build can produce: no path separators, so a request cannot leave the directory. */
const ASSET_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Loads the built console from `dir`, or returns undefined when it was not built (the API then runs
 * without it and `/` says how to build it). Only files listed in the build's manifest are served.
 */
export function loadConsoleBundle(dir: string = DEFAULT_CONSOLE_DIR): ConsoleBundle | undefined {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ConsoleManifest;
  const assets = new Map<string, ConsoleAsset>();
  for (const name of manifest.assets) {
    if (!ASSET_NAME.test(name))
      throw new Error(`console manifest ${manifestPath} lists an unsafe asset name: ${name}`);
    assets.set(name, {
      body: readFileSync(join(dir, 'assets', name)),
      contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
    });
  }
  return { indexHtml: readFileSync(join(dir, manifest.index)), assets };
}
