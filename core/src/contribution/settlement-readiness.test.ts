import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settlementReadiness } from './settlement-readiness';

const ORGS = ['Org1MSP', 'Org2MSP', 'Org3MSP', 'Org4MSP'];
const AGGREGATED = 1_000_000;

describe('settlementReadiness: all recorders, or a majority once the round deadline length has passed', () => {
  it('everyone recorded: ready at once', () => {
    const r = settlementReadiness(ORGS, [...ORGS].reverse(), AGGREGATED, 60, AGGREGATED);
    assert.deepEqual(r, {
      ready: true,
      missing: [],
      majorityNeeded: 3,
      majorityFromMs: AGGREGATED + 60_000,
    });
  });

  it('a majority is not enough before the deadline length, and is from it on', () => {
    const recorders = ['Org1MSP', 'Org3MSP', 'Org4MSP'];
    assert.equal(
      settlementReadiness(ORGS, recorders, AGGREGATED, 60, AGGREGATED + 59_999).ready,
      false,
    );
    const later = settlementReadiness(ORGS, recorders, AGGREGATED, 60, AGGREGATED + 60_000);
    assert.equal(later.ready, true);
    assert.deepEqual(later.missing, ['Org2MSP']);
  });

  it('half is never a majority, however long it waits', () => {
    const r = settlementReadiness(
      ORGS,
      ['Org1MSP', 'Org2MSP'],
      AGGREGATED,
      60,
      AGGREGATED + 3_600_000,
    );
    assert.equal(r.ready, false);
    assert.deepEqual(r.missing, ['Org3MSP', 'Org4MSP']);
  });
});
