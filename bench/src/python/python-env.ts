import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { BENCH_ROOT, progress } from '../cli/run-bench';

/** Folder of the Python scripts (bench/python). */
export const PYTHON_DIR = path.join(BENCH_ROOT, 'python');

let interpreter: Promise<string> | undefined;

/**
 * Prepares bench/.venv (Debian's PyTorch + Flower from PyPI) once per process via bootstrap.sh, which
 * installs what is missing with progress on stderr; resolves to the venv's python.
 */
export function ensurePython(): Promise<string> {
  interpreter ??= run('bash', [path.join(PYTHON_DIR, 'bootstrap.sh')], {}, 'python setup').then(
    (stdout) => {
      const last = stdout.trim().split('\n').at(-1);
      if (last === undefined || last === '') {
        throw new Error('bench/python/bootstrap.sh printed no interpreter path');
      }
      return last;
    },
  );
  return interpreter;
}

/**
 * The interpreter for torch-only scripts: Debian's python3 when it already imports torch (no venv,
 * no Flower install needed), else the bench venv from {@link ensurePython}.
 */
export async function ensureTorchPython(): Promise<string> {
  try {
    await run('/usr/bin/python3', ['-c', 'import torch'], {}, 'torch check');
    return '/usr/bin/python3';
  } catch {
    return ensurePython();
  }
}

/** Runs a script from bench/python and parses the JSON object on its last stdout line. */
export async function runPythonJson<T>(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  torchOnly = false,
): Promise<T> {
  const python = torchOnly ? await ensureTorchPython() : await ensurePython();
  // One BLAS thread: torch parallelises itself; OpenBLAS threads on top of it oversubscribe 2 cores (TFJS_NOTES).
  const stdout = await run(
    python,
    [path.join(PYTHON_DIR, script), ...args],
    { OPENBLAS_NUM_THREADS: '1', ...env },
    script,
  );
  const last = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(
      `${script} did not end with a JSON line; its output ended with: ${last.slice(0, 500)}`,
    );
  }
}

/** Spawns a process, forwards its stderr as progress, and resolves to its stdout; rejects on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  label: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: PYTHON_DIR,
    });
    let stdout = '';
    let stderrTail = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4000);
      for (const line of chunk.split('\n')) {
        if (line.trim() !== '') {
          progress(`${label}: ${line.trimEnd()}`);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        resolve(stdout);
      } else {
        reject(new Error(`${label} exited with ${code}: ${stderrTail.slice(-1500)}`));
      }
    });
  });
}
