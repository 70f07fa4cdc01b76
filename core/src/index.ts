export * from './errors';
export * from './canonical-json';
export * from './types';
export * from './ledger-api';
export * from './aggregation/strategy';
