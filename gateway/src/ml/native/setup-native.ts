import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stageCudaLibraries, stageLibtensorflow } from './libtensorflow-staging';
import {
  cudaLibDir,
  NATIVE_PACKAGES,
  packageDir,
  setupMarker,
  TFJS_NODE_VERSION,
  variantPrefix,
  type NativeVariant,
} from './native-location';
import { NativeSetupError } from './native-setup-error';
import { CUDA_WHEELS, pipDownloadArgs, TENSORFLOW_WHEELS, type WheelPin } from './wheel-pins';
import { verifyWheel } from './wheel-verify';

/** How libtensorflow was obtained: tfjs-node's own install (downloads from Google's storage) or the PyPI wheel. */
export type InstallRoute = 'official' | 'wheel';

export interface SetupOptions {
  variant: NativeVariant;
  /** {@link nativeRoot}. */
  root: string;
  /** {@link wheelCache}. */
  cacheDir: string;
  /** Rebuild even when a finished setup is recorded. */
  force: boolean;
  /** `auto` tries the official install when its download host answers, else the wheel. */
  route: 'auto' | InstallRoute;
  /** The wheels to use; defaults to {@link TENSORFLOW_WHEELS} and {@link CUDA_WHEELS} (tests pass their own). */
  pins?: { tensorflow: WheelPin; cuda: readonly WheelPin[] };
}

/** The side effects of the setup, injectable so its decisions can be tested without downloads. */
export interface SetupHost {
  platform: string;
  arch: string;
  log(line: string): void;
  /** Runs a command to completion; rejects with its exit status and output tail on failure. */
  run(
    command: string,
    args: readonly string[],
    options?: { cwd?: string; env?: NodeJS.ProcessEnv },
  ): Promise<string>;
  hasTool(name: string): boolean;
  /** Whether tfjs-node's own libtensorflow download can be reached now. */
  officialDownloadReachable(variant: NativeVariant): Promise<boolean>;
}

/** What a finished setup records in {@link setupMarker}. */
export interface SetupRecord {
  variant: NativeVariant;
  package: string;
  version: string;
  route: InstallRoute;
  /** The wheel libtensorflow came from (wheel route only). */
  wheel: { file: string; sha256: string } | null;
  /** GPU variant: where the CUDA libraries are; they must be on LD_LIBRARY_PATH when the gateway starts. */
  cudaLibDir?: string;
  finishedAt: string;
}

export type SetupOutcome = {
  status: 'already-done' | 'installed';
  record: SetupRecord;
  unverified: string[];
};

/**
 * Installs the native TensorFlow backend for one variant into its own npm prefix:
 * tfjs-node with `--ignore-scripts`, then libtensorflow from the official download when reachable
 * (`route` auto/official) or from the pinned, checksum-verified PyPI wheel, then the binding built
 * from source against local Node headers, then a load check. Idempotent: a finished setup with the
 * same pins is reported and left alone unless `force`. Throws {@link NativeSetupError}.
 */
export async function setupNative(options: SetupOptions, host: SetupHost): Promise<SetupOutcome> {
  if (host.platform !== 'linux' || host.arch !== 'x64') {
    throw new NativeSetupError(
      'UNSUPPORTED_PLATFORM',
      `the native setup supports linux x64 only (this is ${host.platform} ${host.arch}); the gateway keeps training on wasm`,
    );
  }
  const { variant, root } = options;
  const pins = options.pins ?? { tensorflow: TENSORFLOW_WHEELS[variant], cuda: CUDA_WHEELS };
  const pkg = packageDir(root, variant);
  const unverified = variant === 'gpu' ? gpuUnverified(root) : [];
  const previous = readSetupRecord(root, variant);
  if (
    !options.force &&
    previous !== undefined &&
    isCurrent(previous, options, pins.tensorflow) &&
    builtAddon(pkg) !== undefined
  ) {
    host.log(
      `native ${variant} backend already set up (${previous.package}@${previous.version}, ${describeRoute(previous)}) in ${variantPrefix(root, variant)}; --force rebuilds it`,
    );
    return { status: 'already-done', record: previous, unverified };
  }
  for (const tool of ['npm', 'python3', 'make', 'g++']) {
    if (!host.hasTool(tool)) {
      throw new NativeSetupError(
        'TOOL_MISSING',
        `${tool} is not on PATH; the native setup needs npm, python3, make and g++ (Debian: apt-get install python3 make g++)`,
      );
    }
  }
  await installPackage(options, host);

  let route: InstallRoute = 'wheel';
  if (options.route !== 'wheel') {
    const reachable = await host.officialDownloadReachable(variant);
    if (reachable) {
      try {
        host.log(`official install: tfjs-node downloads libtensorflow and builds its binding`);
        await host.run('node', ['scripts/install.js', variant, 'download'], {
          cwd: pkg,
          env: buildEnv(root, variant),
        });
        route = 'official';
      } catch (error) {
        if (options.route === 'official')
          throw new NativeSetupError(
            'DOWNLOAD_FAILED',
            `the official install failed: ${message(error)}`,
          );
        host.log(`the official install failed (${message(error)}); using the PyPI wheel instead`);
      }
    } else if (options.route === 'official') {
      throw new NativeSetupError(
        'DOWNLOAD_FAILED',
        "tfjs-node's libtensorflow download cannot be reached; run without --official to build from the PyPI wheel",
      );
    } else {
      host.log(
        "tfjs-node's libtensorflow download cannot be reached from here: building from the pinned PyPI wheel instead",
      );
    }
  }

  let wheel: SetupRecord['wheel'] = null;
  if (route === 'wheel') {
    const pin = pins.tensorflow;
    const file = await ensureWheel(pin, options.cacheDir, host);
    host.log(`staging libtensorflow from ${pin.file} into ${join(pkg, 'deps')}`);
    stageLibtensorflow(file, pkg);
    host.log(
      'building the binding with node-gyp against the local Node headers (about 20 s on 2 cores)',
    );
    try {
      await host.run(
        join(variantPrefix(root, variant), 'node_modules', '.bin', 'node-pre-gyp'),
        ['install', '--build-from-source'],
        { cwd: pkg, env: buildEnv(root, variant) },
      );
    } catch (error) {
      throw new NativeSetupError(
        'BUILD_FAILED',
        `building the tfjs-node binding failed: ${message(error)}`,
      );
    }
    wheel = { file: pin.file, sha256: pin.sha256 };
  }

  let cudaDir: string | undefined;
  if (variant === 'gpu') {
    cudaDir = cudaLibDir(root);
    const files: string[] = [];
    for (const pin of pins.cuda) files.push(await ensureWheel(pin, options.cacheDir, host));
    const staged = stageCudaLibraries(files, cudaDir);
    host.log(
      `staged ${staged.length} CUDA/cuDNN libraries from ${pins.cuda.length} nvidia-*-cu12 wheels into ${cudaDir}`,
    );
  }

  const backend = await loadCheck(root, variant, host);
  host.log(`load check: ${NATIVE_PACKAGES[variant]} registers the tfjs backend "${backend}"`);
  const record: SetupRecord = {
    variant,
    package: NATIVE_PACKAGES[variant],
    version: TFJS_NODE_VERSION,
    route,
    wheel,
    ...(cudaDir !== undefined ? { cudaLibDir: cudaDir } : {}),
    finishedAt: new Date().toISOString(),
  };
  writeFileSync(setupMarker(root, variant), `${JSON.stringify(record, null, 2)}\n`);
  return { status: 'installed', record, unverified };
}

/** The recorded setup of a variant, or undefined when none finished (or the record is unreadable). */
export function readSetupRecord(root: string, variant: NativeVariant): SetupRecord | undefined {
  const file = setupMarker(root, variant);
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as SetupRecord;
    return record.variant === variant && typeof record.version === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

/** The compiled binding (`lib/napi-v*\/tfjs_binding.node`) of an installed package, if built. */
export function builtAddon(pkg: string): string | undefined {
  const lib = join(pkg, 'lib');
  if (!existsSync(lib)) return undefined;
  for (const entry of readdirSync(lib)) {
    const addon = join(lib, entry, 'tfjs_binding.node');
    if (entry.startsWith('napi-v') && existsSync(addon)) return addon;
  }
  return undefined;
}

/** Whether a recorded setup matches today's pins (a changed pin means a rebuild). */
function isCurrent(record: SetupRecord, options: SetupOptions, pin: WheelPin): boolean {
  if (record.version !== TFJS_NODE_VERSION) return false;
  if (record.route === 'official') return options.route !== 'wheel';
  return options.route !== 'official' && record.wheel?.sha256 === pin.sha256;
}

function describeRoute(record: SetupRecord): string {
  return record.route === 'official'
    ? 'official libtensorflow download'
    : `libtensorflow from ${record.wheel?.file ?? 'a wheel'}`;
}

async function installPackage(options: SetupOptions, host: SetupHost): Promise<void> {
  const prefix = variantPrefix(options.root, options.variant);
  const name = NATIVE_PACKAGES[options.variant];
  mkdirSync(prefix, { recursive: true });
  const manifest = join(prefix, 'package.json');
  if (!existsSync(manifest))
    writeFileSync(
      manifest,
      `${JSON.stringify({ name: `fedledger-native-${options.variant}`, private: true }, null, 2)}\n`,
    );
  const installed = join(packageDir(options.root, options.variant), 'package.json');
  if (
    existsSync(installed) &&
    (JSON.parse(readFileSync(installed, 'utf8')) as { version?: string }).version ===
      TFJS_NODE_VERSION
  ) {
    host.log(`${name}@${TFJS_NODE_VERSION} already installed in ${prefix}`);
    return;
  }
  host.log(
    `installing ${name}@${TFJS_NODE_VERSION} into ${prefix} (install scripts off: they would download libtensorflow)`,
  );
  await host.run(
    'npm',
    [
      'install',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--save-exact',
      `${name}@${TFJS_NODE_VERSION}`,
    ],
    { cwd: prefix },
  );
}

/** The wheel in the cache, downloaded with `pip download --no-deps` when missing; always checksum-verified. */
async function ensureWheel(pin: WheelPin, cacheDir: string, host: SetupHost): Promise<string> {
  const file = join(cacheDir, pin.file);
  if (existsSync(file)) {
    host.log(`${pin.file}: in the cache, verifying its SHA-256`);
  } else {
    mkdirSync(cacheDir, { recursive: true });
    host.log(`downloading ${pin.project}==${pin.version} (${pin.file}) with pip into ${cacheDir}`);
    try {
      await host.run('python3', ['-m', 'pip', ...pipDownloadArgs(pin, cacheDir)]);
    } catch (error) {
      throw new NativeSetupError(
        'DOWNLOAD_FAILED',
        `pip could not download ${pin.project}==${pin.version}: ${message(error)}`,
      );
    }
  }
  await verifyWheel(file, pin);
  return file;
}

/** Loads the package in a fresh Node process and returns the backend it registered. */
async function loadCheck(root: string, variant: NativeVariant, host: SetupHost): Promise<string> {
  const prefixManifest = join(variantPrefix(root, variant), 'package.json');
  const script = `const r=require('node:module').createRequire(${JSON.stringify(prefixManifest)});const tf=r(${JSON.stringify(NATIVE_PACKAGES[variant])});process.stdout.write(tf.getBackend())`;
  const env =
    variant === 'gpu'
      ? {
          ...process.env,
          LD_LIBRARY_PATH: [cudaLibDir(root), process.env.LD_LIBRARY_PATH ?? '']
            .filter((p) => p !== '')
            .join(':'),
        }
      : process.env;
  let backend: string;
  try {
    backend = (await host.run('node', ['-e', script], { env })).trim().split('\n').pop() ?? '';
  } catch (error) {
    throw new NativeSetupError(
      'LOAD_FAILED',
      `the built ${NATIVE_PACKAGES[variant]} does not load: ${message(error)}`,
    );
  }
  if (backend !== 'tensorflow')
    throw new NativeSetupError(
      'LOAD_FAILED',
      `${NATIVE_PACKAGES[variant]} loaded but the tfjs backend is "${backend}", not "tensorflow"`,
    );
  return backend;
}

/** node-gyp uses the installed Node headers (no header download) and finds the prefix's node-pre-gyp. */
function buildEnv(root: string, variant: NativeVariant): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(variantPrefix(root, variant), 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
  };
  if (existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  return env;
}

/** What a GPU setup on this machine cannot prove by itself. */
function gpuUnverified(root: string): string[] {
  const notes = [
    `training on a GPU: the setup only checks that the GPU build loads; run \`node gateway/dist/cli.js doctor\` on the GPU host with LD_LIBRARY_PATH=${cudaLibDir(root)}`,
  ];
  if (!existsSync('/proc/driver/nvidia/version'))
    notes.unshift(
      'no NVIDIA driver on this machine (/proc/driver/nvidia/version is missing): the GPU build can only run on its CPU here',
    );
  return notes;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
