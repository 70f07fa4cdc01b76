/** What the machine says about a GPU, gathered by {@link probeGpu}; plain data so the decision is testable. */
export interface GpuProbe {
  /** First line of /proc/driver/nvidia/version, or null without an NVIDIA driver. */
  driver: string | null;
  /** Whether `npm run setup:native -- --gpu` finished. */
  gpuBuildReady: boolean;
  /** Where that setup put the CUDA libraries. */
  cudaLibDir: string;
  /** The LD_LIBRARY_PATH this process started with (the dynamic loader reads it only then). */
  ldLibraryPath: string;
}

/** Which native build to load, and, when the GPU one is not used although something asked for it, why. */
export interface GpuDecision {
  variant: 'gpu' | 'cpu';
  /** Null when nothing suggested a GPU (no driver and no GPU build): nothing to explain. */
  reason: string | null;
}

/**
 * The GPU build is used only when all three hold: an NVIDIA driver, a finished GPU setup, and its
 * CUDA libraries on LD_LIBRARY_PATH since process start (TensorFlow opens them by name at GPU
 * initialisation; setting the variable later does not reach the loader). Otherwise the reason names
 * the missing piece and the remedy, and the CPU build (or wasm when it is absent too) is used.
 */
export function decideGpu(probe: GpuProbe): GpuDecision {
  if (probe.driver === null) {
    return probe.gpuBuildReady
      ? {
          variant: 'cpu',
          reason:
            'GPU build set up but no NVIDIA driver on this machine (/proc/driver/nvidia/version is missing)',
        }
      : { variant: 'cpu', reason: null };
  }
  if (!probe.gpuBuildReady) {
    return {
      variant: 'cpu',
      reason: `NVIDIA driver present (${probe.driver}) but the GPU build is not set up; run npm run setup:native -- --gpu`,
    };
  }
  if (!probe.ldLibraryPath.split(':').includes(probe.cudaLibDir)) {
    return {
      variant: 'cpu',
      reason: `the CUDA libraries are not on LD_LIBRARY_PATH; start the gateway with LD_LIBRARY_PATH=${probe.cudaLibDir}`,
    };
  }
  return { variant: 'gpu', reason: null };
}
