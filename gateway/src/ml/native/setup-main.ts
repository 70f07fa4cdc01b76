import { nativeRoot, wheelCache, type NativeVariant } from './native-location';
import { NativeSetupError } from './native-setup-error';
import { processSetupHost } from './setup-host';
import { setupNative, type SetupOptions } from './setup-native';

const HELP = `Usage: npm run setup:native [-- --gpu] [--force] [--wheel | --official]

Installs the optional native TensorFlow backend (@tensorflow/tfjs-node, or -gpu with --gpu) into
its own prefix (FEDLEDGER_NATIVE_DIR, default ~/.cache/fedledger/native), outside the workspace.
libtensorflow comes from tfjs-node's official download when it can be reached, otherwise from the
pinned, SHA-256-checked PyPI TensorFlow 2.21.0 wheel (cached in FEDLEDGER_WHEEL_CACHE, default
~/.cache/fedledger/wheels). Idempotent. The gateway never needs it: without it, it trains on wasm.

  --gpu       the GPU build, plus the CUDA 12 / cuDNN 9 libraries from the nvidia-*-cu12 wheels
  --force     rebuild even if a finished setup is recorded
  --wheel     skip the official download; always use the PyPI wheel
  --official  only the official download; fail instead of using the wheel
`;

/** Parses the flags; INVALID flags print the help and exit 2. */
export function parseSetupArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): SetupOptions | 'help' {
  let variant: NativeVariant = 'cpu';
  let force = false;
  let route: SetupOptions['route'] = 'auto';
  for (const arg of argv) {
    if (arg === '--gpu') variant = 'gpu';
    else if (arg === '--force') force = true;
    else if (arg === '--wheel' || arg === '--official') {
      if (route !== 'auto') throw new Error('give at most one of --wheel and --official');
      route = arg === '--wheel' ? 'wheel' : 'official';
    } else if (arg === '--help' || arg === '-h') return 'help';
    else throw new Error(`unknown option ${arg}`);
  }
  return { variant, force, route, root: nativeRoot(env), cacheDir: wheelCache(env) };
}

async function main(): Promise<void> {
  let options: SetupOptions | 'help';
  try {
    options = parseSetupArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const log = (line: string): void => {
    process.stdout.write(`setup:native: ${line}\n`);
  };
  try {
    const outcome = await setupNative(options, processSetupHost(log));
    log(
      outcome.status === 'installed'
        ? `done: ${outcome.record.package} ready (${outcome.record.route} route)`
        : 'nothing to do',
    );
    if (outcome.record.cudaLibDir !== undefined)
      log(
        `start gateways with LD_LIBRARY_PATH=${outcome.record.cudaLibDir} so TensorFlow finds CUDA`,
      );
    for (const note of outcome.unverified) log(`NOT verified: ${note}`);
  } catch (error) {
    if (error instanceof NativeSetupError) {
      process.stderr.write(`setup:native failed: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

if (require.main === module) {
  void main();
}
