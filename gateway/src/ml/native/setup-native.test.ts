import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LIBRARY_LINKS, stageCudaLibraries, stageLibtensorflow } from './libtensorflow-staging';
import { cudaLibDir, packageDir, setupMarker, TFJS_NODE_VERSION } from './native-location';
import { NativeSetupError } from './native-setup-error';
import { parseSetupArgs } from './setup-main';
import { setupNative, type SetupHost, type SetupOptions } from './setup-native';
import { CUDA_WHEELS, pipDownloadArgs, TENSORFLOW_WHEELS, type WheelPin } from './wheel-pins';
import { verifyWheel } from './wheel-verify';

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

const scratch = mkdtempSync(join(tmpdir(), 'fl-native-setup-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * Writes a zip with the given members (python3's zipfile: the same reader the staging uses). Every
 * member gets one fixed timestamp: with the clock's, two writes of the same members straddling a
 * 2-second boundary differ in bytes, and a test that pins one by the other's hash failed at random.
 */
function writeZip(file: string, members: Record<string, string>): void {
  execFileSync('python3', [
    '-c',
    'import sys,json,zipfile\nz=zipfile.ZipFile(sys.argv[1],"w")\nfor k,v in json.loads(sys.argv[2]).items(): z.writestr(zipfile.ZipInfo(k,(1980,1,1,0,0,0)),v)\nz.close()',
    file,
    JSON.stringify(members),
  ]);
}

const FAKE_TF_WHEEL = {
  'tensorflow/libtensorflow_cc.so.2': 'cc',
  'tensorflow/libtensorflow_framework.so.2': 'framework',
  'tensorflow/include/tensorflow/c/c_api.h': '// c api',
  'tensorflow/include/tensorflow/c/eager/c_api.h': '// eager',
  'tensorflow/include/tensorflow/core/framework/unrelated.h': '// not needed by the binding',
  'tensorflow/python/unrelated.py': '',
};

/** A recorded fake of the setup's side effects: commands succeed and leave what the real ones would. */
function fakeHost(
  options: {
    reachable?: boolean;
    tools?: string[];
    platform?: string;
    cached?: (file: string) => void;
  } = {},
): SetupHost & { commands: string[]; lines: string[] } {
  const commands: string[] = [];
  const lines: string[] = [];
  return {
    platform: options.platform ?? 'linux',
    arch: 'x64',
    commands,
    lines,
    log: (line) => lines.push(line),
    hasTool: (name) => (options.tools ?? ['npm', 'python3', 'make', 'g++']).includes(name),
    officialDownloadReachable: () => Promise.resolve(options.reachable ?? false),
    run: (command, args, runOptions = {}) => {
      const line = `${command.split('/').pop() as string} ${args.join(' ')}`;
      commands.push(line);
      if (command === 'npm') {
        const name = args[args.length - 1].replace(/@[^@]+$/, '');
        const dir = join(runOptions.cwd as string, 'node_modules', ...name.split('/'));
        mkdirSync(dir, { recursive: true });
        writeFileSync(
          join(dir, 'package.json'),
          JSON.stringify({ name, version: TFJS_NODE_VERSION }),
        );
      } else if (command.endsWith('node-pre-gyp') || args[0] === 'scripts/install.js') {
        mkdirSync(join(runOptions.cwd as string, 'lib', 'napi-v8'), { recursive: true });
        writeFileSync(join(runOptions.cwd as string, 'lib', 'napi-v8', 'tfjs_binding.node'), '');
      } else if (command === 'python3' && args.includes('download')) {
        options.cached?.(args[args.indexOf('--dest') + 1]);
      } else if (command === 'node' && args[0] === '-e') {
        return Promise.resolve('tensorflow');
      }
      return Promise.resolve('');
    },
  };
}

function setupOptions(name: string, overrides: Partial<SetupOptions> = {}): SetupOptions {
  return {
    variant: 'cpu',
    root: join(scratch, name, 'native'),
    cacheDir: join(scratch, name, 'wheels'),
    force: false,
    route: 'auto',
    ...overrides,
  };
}

/** Puts a wheel into the cache under the pinned name; the pin is swapped for this content's hash. */
function cacheWheel(cacheDir: string, members: Record<string, string>): string {
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, TENSORFLOW_WHEELS.cpu.file);
  writeZip(file, members);
  return file;
}

describe('wheel checksum', () => {
  it('accepts the pinned bytes and refuses corrupt or other-version bytes with both hashes and the remedy', async () => {
    const file = join(scratch, 'w.whl');
    writeFileSync(file, 'the pinned content');
    const sha256 = createHash('sha256').update('the pinned content').digest('hex');
    const pin = { project: 'tensorflow-cpu', version: '2.21.0', file: 'w.whl', sha256 };
    await verifyWheel(file, pin);
    writeFileSync(file, 'the pinned content, truncated or another release');
    await assert.rejects(verifyWheel(file, pin), (error: unknown) => {
      assert.ok(error instanceof NativeSetupError);
      assert.equal(error.code, 'WHEEL_CHECKSUM_MISMATCH');
      assert.match(error.message, new RegExp(`must have ${sha256}`));
      assert.match(error.message, /delete it and run the setup again/);
      return true;
    });
    await assert.rejects(verifyWheel(join(scratch, 'absent.whl'), pin), {
      code: 'DOWNLOAD_FAILED',
    });
  });

  it('pins every wheel by version and a 64-hex SHA-256, and downloads without dependencies', () => {
    for (const pin of [...Object.values(TENSORFLOW_WHEELS), ...CUDA_WHEELS]) {
      assert.match(pin.sha256, /^[0-9a-f]{64}$/, pin.project);
      assert.ok(pin.file.includes(pin.version), pin.file);
      const args = pipDownloadArgs(pin, '/cache');
      assert.ok(args.includes('--no-deps') && args.includes(`${pin.project}==${pin.version}`));
      assert.equal(args[args.indexOf('--dest') + 1], '/cache');
    }
  });
});

describe('staging libtensorflow', () => {
  it('moves the two libraries and only the C API headers into deps/, under the names tfjs-node 4.22 links against', () => {
    const wheel = join(scratch, 'stage.whl');
    writeZip(wheel, FAKE_TF_WHEEL);
    const pkg = join(scratch, 'stage-pkg');
    mkdirSync(join(pkg, 'deps', 'lib'), { recursive: true });
    writeFileSync(join(pkg, 'deps', 'lib', 'stale.so'), '');
    stageLibtensorflow(wheel, pkg);
    const lib = join(pkg, 'deps', 'lib');
    assert.ok(
      existsSync(join(lib, 'libtensorflow_cc.so.2')) &&
        existsSync(join(lib, 'libtensorflow_framework.so.2')),
    );
    assert.equal(readlinkSync(join(lib, 'libtensorflow.so.2.9.1')), 'libtensorflow_cc.so.2');
    assert.equal(
      readlinkSync(join(lib, 'libtensorflow_framework.so.2.9.1')),
      'libtensorflow_framework.so.2',
    );
    for (const link of LIBRARY_LINKS) assert.ok(existsSync(join(lib, link.name)), link.name);
    assert.ok(existsSync(join(pkg, 'deps', 'include', 'tensorflow', 'c', 'eager', 'c_api.h')));
    assert.ok(
      !existsSync(join(pkg, 'deps', 'include', 'tensorflow', 'core', 'framework')),
      'headers the binding does not use stay out',
    );
    assert.ok(!existsSync(join(lib, 'stale.so')), 'deps/ is replaced, not merged');
    assert.ok(!existsSync(join(pkg, 'deps.staging')));
  });

  it('refuses a wheel without libtensorflow and leaves deps/ alone', () => {
    const wheel = join(scratch, 'not-tf.whl');
    writeZip(wheel, { 'numpy/__init__.py': '' });
    const pkg = join(scratch, 'not-tf-pkg');
    mkdirSync(join(pkg, 'deps'), { recursive: true });
    writeFileSync(join(pkg, 'deps', 'keep'), '');
    assert.throws(
      () => {
        stageLibtensorflow(wheel, pkg);
      },
      { code: 'WHEEL_CONTENT_MISSING' },
    );
    assert.ok(existsSync(join(pkg, 'deps', 'keep')));
  });

  it('flattens the nvidia wheels’ lib/*.so* files into one directory', () => {
    const wheel = join(scratch, 'cudnn.whl');
    writeZip(wheel, {
      'nvidia/cudnn/lib/libcudnn.so.9': 'x',
      'nvidia/cudnn/include/cudnn.h': '',
      'nvidia/cudnn/__init__.py': '',
    });
    const dir = join(scratch, 'cuda', 'lib');
    assert.deepEqual(stageCudaLibraries([wheel], dir), ['libcudnn.so.9']);
    assert.ok(existsSync(join(dir, 'libcudnn.so.9')));
  });
});

describe('setupNative', () => {
  it('without the official download: installs with scripts off, downloads the pinned wheel with pip, builds, load-checks, records; a second run does nothing', async () => {
    // The fake download writes a small zip, pinned by its own hash.
    const wheelFile = cacheWheel(join(scratch, 'probe'), FAKE_TF_WHEEL);
    const pins = {
      tensorflow: { ...TENSORFLOW_WHEELS.cpu, sha256: sha256Of(wheelFile) },
      cuda: [],
    };
    const options = setupOptions('fresh', { pins });
    const host = fakeHost({ cached: (dir) => cacheWheel(dir, FAKE_TF_WHEEL) });
    {
      const outcome = await setupNative(options, host);
      assert.equal(outcome.status, 'installed');
      assert.equal(outcome.record.route, 'wheel');
      assert.deepEqual(
        host.commands.map((c) => c.split(' ').slice(0, 3).join(' ')),
        [
          'npm install --ignore-scripts',
          'python3 -m pip',
          'node-pre-gyp install --build-from-source',
          'node -e const',
        ],
      );
      assert.ok(
        host.lines.some((line) =>
          /cannot be reached from here: building from the pinned PyPI wheel/.test(line),
        ),
      );
      assert.ok(existsSync(setupMarker(options.root, 'cpu')));
      assert.ok(
        existsSync(join(packageDir(options.root, 'cpu'), 'deps', 'lib', 'libtensorflow.so.2.9.1')),
      );

      const again = fakeHost();
      const second = await setupNative(options, again);
      assert.equal(second.status, 'already-done');
      assert.deepEqual(again.commands, []);
      assert.match(again.lines[0], /already set up .* --force rebuilds it/);

      const forced = fakeHost();
      assert.equal((await setupNative({ ...options, force: true }, forced)).status, 'installed');
      assert.ok(
        !forced.commands.some((c) => c.startsWith('npm') || c.includes('pip')),
        'package and cached wheel reused',
      );
    }
  });

  it('refuses a corrupt cached wheel by its checksum before building anything', async () => {
    const options = setupOptions('corrupt');
    cacheWheel(options.cacheDir, { 'tensorflow/libtensorflow_cc.so.2': 'tampered' });
    const host = fakeHost();
    await assert.rejects(setupNative(options, host), (error: unknown) => {
      assert.ok(error instanceof NativeSetupError);
      assert.equal(error.code, 'WHEEL_CHECKSUM_MISMATCH');
      assert.match(error.message, new RegExp(TENSORFLOW_WHEELS.cpu.sha256));
      return true;
    });
    assert.ok(!host.commands.some((c) => c.includes('node-pre-gyp')));
    assert.ok(!existsSync(setupMarker(options.root, 'cpu')));
  });

  it('takes the official install when its download answers, and records that route', async () => {
    const options = setupOptions('official');
    const host = fakeHost({ reachable: true });
    const outcome = await setupNative(options, host);
    assert.equal(outcome.record.route, 'official');
    assert.equal(outcome.record.wheel, null);
    assert.ok(host.commands.includes('node scripts/install.js cpu download'));
    assert.ok(!host.commands.some((c) => c.includes('pip')));
    await assert.rejects(
      setupNative(
        { ...setupOptions('official-only'), route: 'official' },
        fakeHost({ reachable: false }),
      ),
      { code: 'DOWNLOAD_FAILED' },
    );
  });

  it('--gpu stages the GPU wheel and every CUDA wheel, and says what it could not verify', async () => {
    const cacheDir = join(scratch, 'gpu', 'wheels');
    mkdirSync(cacheDir, { recursive: true });
    const fakePin = (pin: WheelPin, members: Record<string, string>): WheelPin => {
      const file = join(cacheDir, pin.file);
      writeZip(file, members);
      return { ...pin, sha256: sha256Of(file) };
    };
    const pins = {
      tensorflow: fakePin(TENSORFLOW_WHEELS.gpu, FAKE_TF_WHEEL),
      cuda: CUDA_WHEELS.map((pin) =>
        fakePin(pin, { [`nvidia/${pin.project}/lib/lib${pin.project}.so.12`]: 'x' }),
      ),
    };
    const options = setupOptions('gpu', { variant: 'gpu', route: 'wheel', pins });
    {
      const host = fakeHost();
      const outcome = await setupNative(options, host);
      assert.equal(outcome.record.package, '@tensorflow/tfjs-node-gpu');
      assert.equal(outcome.record.cudaLibDir, cudaLibDir(options.root));
      assert.ok(existsSync(join(cudaLibDir(options.root), 'libnvidia-cudnn-cu12.so.12')));
      assert.ok(outcome.unverified.some((note) => /training on a GPU/.test(note)));
      assert.ok(
        host.lines.some((line) =>
          new RegExp(`staged ${CUDA_WHEELS.length} CUDA/cuDNN libraries`).test(line),
        ),
      );
      assert.ok(
        dirname(packageDir(options.root, 'gpu')).endsWith(join('node_modules', '@tensorflow')),
      );
    }
  });

  it('stops with the reason on an unsupported platform or a missing build tool', async () => {
    await assert.rejects(setupNative(setupOptions('mac'), fakeHost({ platform: 'darwin' })), {
      code: 'UNSUPPORTED_PLATFORM',
    });
    await assert.rejects(
      setupNative(setupOptions('nogcc'), fakeHost({ tools: ['npm', 'python3', 'make'] })),
      (error: unknown) => {
        assert.ok(
          error instanceof NativeSetupError &&
            error.code === 'TOOL_MISSING' &&
            /g\+\+ is not on PATH/.test(error.message),
        );
        return true;
      },
    );
  });
});

describe('parseSetupArgs', () => {
  it('reads the variant, route and directories, and refuses unknown or conflicting flags', () => {
    const env = { FEDLEDGER_NATIVE_DIR: '/n', FEDLEDGER_WHEEL_CACHE: '/w' };
    assert.deepEqual(parseSetupArgs(['--gpu', '--wheel'], env), {
      variant: 'gpu',
      force: false,
      route: 'wheel',
      root: '/n',
      cacheDir: '/w',
    });
    assert.equal(parseSetupArgs(['--help'], env), 'help');
    assert.throws(() => parseSetupArgs(['--cuda'], env), /unknown option --cuda/);
    assert.throws(() => parseSetupArgs(['--wheel', '--official'], env), /at most one/);
  });
});
