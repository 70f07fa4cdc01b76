import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:https';
import type { NativeVariant } from './native-location';
import type { SetupHost } from './setup-native';

/** Where tfjs-node 4.22.0's install script downloads libtensorflow 2.9.1 from (see its scripts/install.js). */
export function officialLibtensorflowUrl(variant: NativeVariant): string {
  return `https://storage.googleapis.com/tensorflow/libtensorflow/libtensorflow-${variant}-linux-x86_64-2.9.1.tar.gz`;
}

/** How long the reachability probe of the official download waits. */
const PROBE_TIMEOUT_MS = 5_000;
/** How much of a failed command's output an error message carries. */
const OUTPUT_TAIL_CHARS = 2_000;

/** The real side effects: child processes, PATH lookups and one HTTPS HEAD request. */
export function processSetupHost(log: (line: string) => void): SetupHost {
  return {
    platform: process.platform,
    arch: process.arch,
    log,
    run: (command, args, options = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(command, args, {
          cwd: options.cwd,
          env: options.env ?? process.env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        const keep = (chunk: Buffer): void => {
          output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS * 4);
        };
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        child.on('error', reject);
        child.on('close', (code) => {
          if (code === 0) resolve(output);
          else
            reject(
              new Error(
                `${command} ${args.join(' ')} exited with ${code}: ${output.slice(-OUTPUT_TAIL_CHARS)}`,
              ),
            );
        });
      }),
    hasTool: (name) =>
      spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0,
    officialDownloadReachable: (variant) =>
      new Promise((resolve) => {
        const probe = request(
          officialLibtensorflowUrl(variant),
          { method: 'HEAD', timeout: PROBE_TIMEOUT_MS },
          (response) => {
            response.resume();
            resolve(response.statusCode === 200);
          },
        );
        probe.on('timeout', () => probe.destroy());
        probe.on('error', () => {
          resolve(false);
        });
        probe.end();
      }),
  };
}
