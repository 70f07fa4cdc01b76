/** `@fedledger/gateway/schema`: the yardstick of a schema federation (its rows pooled in one place). */
export * from './multisite-baseline';
