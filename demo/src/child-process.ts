import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

export interface CommandResult {
  code: number;
  /** stdout and stderr interleaved as received. */
  output: string;
}

/**
 * Runs a command to completion, streaming its output to `onLine` (one call per line) and collecting it.
 * The child is killed with SIGTERM if `signal` aborts. Never rejects on a non-zero exit code.
 */
export function runCommand(
  command: string,
  args: string[],
  options: {
    cwd: string;
    env?: NodeJS.ProcessEnv;
    onLine?: (line: string) => void;
    signal?: AbortSignal;
  },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    // One partial-line buffer per stream, so a line is never glued to the other stream's text.
    const pending = { stdout: '', stderr: '' };
    const onData =
      (stream: keyof typeof pending) =>
      (chunk: Buffer): void => {
        const text = chunk.toString('utf8');
        output += text;
        const lines = (pending[stream] + text).split('\n');
        pending[stream] = lines.pop() as string;
        for (const line of lines) options.onLine?.(line);
      };
    child.stdout.on('data', onData('stdout'));
    child.stderr.on('data', onData('stderr'));
    const abort = (): void => {
      child.kill('SIGTERM');
    };
    options.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', abort);
      for (const rest of [pending.stdout, pending.stderr]) if (rest !== '') options.onLine?.(rest);
      // A child killed by a signal reports 128 + the signal number, as shells do.
      resolve({ code: code ?? 128 + (signal ? constants.signals[signal] : 0), output });
    });
  });
}

/** Sends SIGTERM, then SIGKILL after `graceMs` if the process is still alive; resolves once it exited. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Removes terminal colour codes from tool output before it is quoted in a message. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- ESC (U+001B) starts every colour code; matching it is the point
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
