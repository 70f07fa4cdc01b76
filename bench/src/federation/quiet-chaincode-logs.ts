/**
 * fabric-contract-api logs every decorator at `info` when its logger is first created; benchmarks want
 * their stdout for tables. Imported for its side effect before the chaincode, unless the caller set a level.
 */
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'WARNING';
