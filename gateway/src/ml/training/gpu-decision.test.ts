import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideGpu, type GpuProbe } from './gpu-decision';

const READY: GpuProbe = {
  driver: 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54',
  gpuBuildReady: true,
  cudaLibDir: '/n/gpu/cuda/lib',
  ldLibraryPath: '/usr/lib:/n/gpu/cuda/lib',
};

test('the GPU build is used only with a driver, the GPU setup and the CUDA libraries on LD_LIBRARY_PATH', () => {
  assert.deepEqual(decideGpu(READY), { variant: 'gpu', reason: null });
});

test('each missing piece gives the CPU build and one reason naming the remedy', () => {
  assert.deepEqual(decideGpu({ ...READY, driver: null }), {
    variant: 'cpu',
    reason:
      'GPU build set up but no NVIDIA driver on this machine (/proc/driver/nvidia/version is missing)',
  });
  assert.match(
    decideGpu({ ...READY, gpuBuildReady: false }).reason ?? '',
    /driver present .* not set up; run npm run setup:native -- --gpu/,
  );
  assert.deepEqual(decideGpu({ ...READY, ldLibraryPath: '/usr/lib' }), {
    variant: 'cpu',
    reason:
      'the CUDA libraries are not on LD_LIBRARY_PATH; start the gateway with LD_LIBRARY_PATH=/n/gpu/cuda/lib',
  });
});

test('nothing to explain on a machine with neither a driver nor a GPU build', () => {
  assert.deepEqual(decideGpu({ ...READY, driver: null, gpuBuildReady: false }), {
    variant: 'cpu',
    reason: null,
  });
});
