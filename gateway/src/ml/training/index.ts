export * from './backend';
export * from './binary-metrics';
export * from './model-io';
export * from './model-presets';
export * from './tfjs-artifacts';
export * from './trainer';
export * from './training.module';
export * from './training.service';
export { patchWasmBatchMatMul } from './wasm-batch-matmul';
