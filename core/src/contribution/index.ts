export * from './coalitions';
export * from './shapley';
export * from './rewards';
export * from './signals';
export * from './types';
export * from './incentive-ledger-api';
export * from './settlement-readiness';
