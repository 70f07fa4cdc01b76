import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

/**
 * `npm run test:native`: a process that used the native backend exits cleanly. libtensorflow loaded
 * into a worker thread crashed the process with SIGSEGV at exit; the service now runs the native
 * backend in a child process (gateway/src/ml/training/worker-handle.ts). Both ways a gateway ends are
 * covered: the service stopped (Nest shutdown) and the process simply ending with the worker idle.
 */
const script = (stopService: boolean): string => `
const { TrainingService } = require(${JSON.stringify(require.resolve('@fedledger/gateway/training'))});
(async () => {
  const service = new TrainingService({});
  const report = await service.backends();
  if (report.native !== 'tensorflow') throw new Error('native backend not loaded: ' + report.nativeReason);
  ${stopService ? 'await service.onModuleDestroy();' : ''}
  console.log('native loaded');
})();
`;

for (const stopService of [true, false]) {
  test(`a process that loaded the native backend exits with 0 (${stopService ? 'service stopped' : 'process ends with the worker idle'})`, () => {
    const run = spawnSync(process.execPath, ['-e', script(stopService)], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.match(run.stdout, /native loaded/, run.stderr);
    assert.equal(run.signal, null, `ended by ${run.signal ?? ''}: ${run.stderr.slice(-2000)}`);
    assert.equal(run.status, 0, run.stderr.slice(-2000));
  });
}
