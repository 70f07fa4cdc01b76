import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  cudaLibDir,
  NATIVE_PACKAGES,
  nativeRoot,
  variantPrefix,
  type NativeVariant,
} from '../native/native-location';
import { readSetupRecord } from '../native/setup-native';
import { decideGpu, type GpuDecision, type GpuProbe } from './gpu-decision';

export type NativeLoad =
  | {
      ok: true;
      package: string;
      variant: NativeVariant;
      device: 'cpu' | 'gpu';
      gpuNote: string | null;
    }
  | { ok: false; reason: string; gpuNote: string | null };

/** What this machine says about GPUs and the GPU build. */
export function probeGpu(env: NodeJS.ProcessEnv = process.env): GpuProbe {
  const root = nativeRoot(env);
  const driverFile = '/proc/driver/nvidia/version';
  return {
    driver: existsSync(driverFile)
      ? (readFileSync(driverFile, 'utf8').split('\n')[0] ?? '').trim()
      : null,
    gpuBuildReady: readSetupRecord(root, 'gpu') !== undefined,
    cudaLibDir: cudaLibDir(root),
    ldLibraryPath: env.LD_LIBRARY_PATH ?? '',
  };
}

/**
 * Loads the native TensorFlow binding from the prefix `npm run setup:native` installed into,
 * registering the `tensorflow` backend with this thread's tfjs engine. Picks the GPU build when
 * {@link decideGpu} allows, else the CPU build; `ok: false` with the reason when neither loads.
 */
export function loadNativeBackend(env: NodeJS.ProcessEnv = process.env): NativeLoad {
  const root = nativeRoot(env);
  const gpu: GpuDecision = decideGpu(probeGpu(env));
  const order: NativeVariant[] = gpu.variant === 'gpu' ? ['gpu', 'cpu'] : ['cpu'];
  const failures: string[] = [];
  for (const variant of order) {
    if (readSetupRecord(root, variant) === undefined) {
      failures.push(
        `the native ${variant} build is not set up in ${variantPrefix(root, variant)} (run npm run setup:native${variant === 'gpu' ? ' -- --gpu' : ''})`,
      );
      continue;
    }
    try {
      requireFromPrefix(
        join(variantPrefix(root, variant), 'package.json'),
        NATIVE_PACKAGES[variant],
      );
      return {
        ok: true,
        package: NATIVE_PACKAGES[variant],
        variant,
        device: variant,
        gpuNote: gpu.reason,
      };
    } catch (error) {
      failures.push(
        `${NATIVE_PACKAGES[variant]} did not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
  }
  return { ok: false, reason: failures.join('; '), gpuNote: gpu.reason };
}

/**
 * Requires a package installed in another prefix, with its `@tensorflow/tfjs*` imports answered by
 * this workspace's copies: one engine and one kernel registry per thread, instead of a second tfjs
 * registering all its kernels again (hundreds of warnings). The versions are equal by construction
 * (the setup installs the tfjs-node release matching the workspace's tfjs).
 */
function requireFromPrefix(prefixManifest: string, name: string): void {
  const moduleInternals = Module as unknown as {
    _resolveFilename: (
      this: unknown,
      request: string,
      parent: unknown,
      ...rest: unknown[]
    ) => string;
  };
  const original = moduleInternals._resolveFilename;
  const own = createRequire(__filename);
  moduleInternals._resolveFilename = function resolveShared(
    request: string,
    parent: unknown,
    ...rest: unknown[]
  ): string {
    if (
      /^@tensorflow\/tfjs(-[a-z-]+)?$/.test(request) &&
      !request.startsWith('@tensorflow/tfjs-node')
    ) {
      try {
        return own.resolve(request);
      } catch {
        // Not in the workspace: the prefix's own copy answers.
      }
    }
    return original.call(this, request, parent, ...rest);
  };
  try {
    createRequire(prefixManifest)(name);
  } finally {
    moduleInternals._resolveFilename = original;
  }
}
