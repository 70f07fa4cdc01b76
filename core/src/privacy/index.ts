export * from './types';
export * from './fixed-point';
export * from './masked-update-codec';
export * from './pairwise-masks';
export * from './deterministic-log';
export * from './rdp-accountant';
export * from './dp-clip';
export * from './secure-aggregation';
