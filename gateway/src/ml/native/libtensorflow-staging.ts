import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { NativeSetupError } from './native-setup-error';

/** The two shared libraries inside a TensorFlow wheel that the binding links against. */
export const WHEEL_LIBRARIES = [
  'tensorflow/libtensorflow_cc.so.2',
  'tensorflow/libtensorflow_framework.so.2',
] as const;
/** The headers the binding compiles against (the C and eager C APIs and what they include). */
export const WHEEL_HEADER_PREFIXES = [
  'tensorflow/include/tensorflow/c/',
  'tensorflow/include/tensorflow/core/platform/',
  'tensorflow/include/tsl/platform/',
  'tensorflow/include/xla/tsl/c/',
] as const;

/**
 * The names tfjs-node 4.22.0 expects in `deps/lib` (it was built against libtensorflow 2.9.1) and
 * the wheel library each one points at. The wheel's libtensorflow_cc exports the whole C and eager C
 * API the binding calls, so the version in the name is only what the binding's build looks for.
 */
export const LIBRARY_LINKS: ReadonlyArray<{ name: string; target: string }> = [
  { name: 'libtensorflow.so.2.9.1', target: 'libtensorflow_cc.so.2' },
  { name: 'libtensorflow.so.2', target: 'libtensorflow_cc.so.2' },
  { name: 'libtensorflow.so', target: 'libtensorflow_cc.so.2' },
  { name: 'libtensorflow_framework.so.2.9.1', target: 'libtensorflow_framework.so.2' },
  { name: 'libtensorflow_framework.so', target: 'libtensorflow_framework.so.2' },
];

/** Python snippet: extract the members whose names start with one of argv[3:] from wheel argv[1] into argv[2]. */
const EXTRACT_SCRIPT = `
import sys, zipfile
wheel, target, prefixes = sys.argv[1], sys.argv[2], tuple(sys.argv[3:])
with zipfile.ZipFile(wheel) as z:
    members = [n for n in z.namelist() if n.startswith(prefixes)]
    z.extractall(target, members)
print(len(members))
`;

/**
 * Puts the wheel's libraries into `<packageDir>/deps/lib` and its C API headers into
 * `<packageDir>/deps/include`, with the names of {@link LIBRARY_LINKS}. Replaces whatever deps/ held.
 * WHEEL_CONTENT_MISSING when the wheel lacks a library or the C API header.
 */
export function stageLibtensorflow(wheelFile: string, packageDir: string): void {
  const deps = join(packageDir, 'deps');
  const scratch = join(packageDir, 'deps.staging');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    execFileSync(
      'python3',
      ['-c', EXTRACT_SCRIPT, wheelFile, scratch, ...WHEEL_LIBRARIES, ...WHEEL_HEADER_PREFIXES],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    for (const library of WHEEL_LIBRARIES) {
      if (!existsSync(join(scratch, library))) {
        throw new NativeSetupError(
          'WHEEL_CONTENT_MISSING',
          `${wheelFile} has no ${library}; it is not a TensorFlow wheel this setup knows`,
        );
      }
    }
    if (!existsSync(join(scratch, 'tensorflow/include/tensorflow/c/c_api.h'))) {
      throw new NativeSetupError(
        'WHEEL_CONTENT_MISSING',
        `${wheelFile} has no tensorflow/include/tensorflow/c/c_api.h`,
      );
    }
    rmSync(deps, { recursive: true, force: true });
    mkdirSync(join(deps, 'lib'), { recursive: true });
    for (const library of WHEEL_LIBRARIES) {
      renameSync(join(scratch, library), join(deps, 'lib', library.slice('tensorflow/'.length)));
    }
    renameSync(join(scratch, 'tensorflow', 'include'), join(deps, 'include'));
    for (const link of LIBRARY_LINKS) {
      symlinkSync(link.target, join(deps, 'lib', link.name));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Extracts the shared libraries (`nvidia/<name>/lib/*.so*`) of CUDA wheels into one directory, flat,
 * so one `LD_LIBRARY_PATH` entry finds them all. Returns the file names written.
 */
export function stageCudaLibraries(wheelFiles: readonly string[], libDir: string): string[] {
  const scratch = `${libDir}.staging`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(libDir, { recursive: true });
  const script = `
import os, sys, zipfile, shutil
target, scratch, wheels = sys.argv[1], sys.argv[2], sys.argv[3:]
written = []
for wheel in wheels:
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            parts = name.split('/')
            if len(parts) == 4 and parts[0] == 'nvidia' and parts[2] == 'lib' and '.so' in parts[3]:
                z.extract(name, scratch)
                shutil.move(os.path.join(scratch, name), os.path.join(target, parts[3]))
                written.append(parts[3])
print('\\n'.join(written))
`;
  try {
    const out = execFileSync('python3', ['-c', script, libDir, scratch, ...wheelFiles], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return out.split('\n').filter((line) => line !== '');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
