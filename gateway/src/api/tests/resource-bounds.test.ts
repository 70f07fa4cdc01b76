import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, federationBody, ok, registerSynthetic } from '../../testing/api-helpers';
import { type ConsortiumFixture, startConsortium } from './consortium-fixture';

/**
 * Requests that would exhaust the gateway are refused with a 4xx before any heavy work, and change
 * nothing. The bounds are documented in gateway/README.md ("Resource bounds").
 */
describe('resource bounds of the REST API', () => {
  let fx: ConsortiumFixture;
  let columns: { featureColumns: string[]; labelColumn: string };
  const admin = (): { 'x-api-key': string } => ({ 'x-api-key': fx.org1.keys.admin });
  const scientist = (): { 'x-api-key': string } => ({ 'x-api-key': fx.org1.keys.scientist });

  before(async () => {
    fx = await startConsortium();
    columns = await registerSynthetic(fx.org1, 'syn', 0, 2, 60);
  });
  after(async () => fx.close());

  it('refuses a synthetic dataset of 1,000,000 rows with 400 INVALID_ARGUMENT naming the maximum', async () => {
    const request = { id: 'huge', orgIndex: 0, orgCount: 2, rows: 1_000_000, mode: 'iid', seed: 1 };
    const error = assertError(
      await fx.org1.http().post('/datasets/synthetic').set(scientist()).send(request),
      400,
      'INVALID_ARGUMENT',
    );
    assert.deepEqual(error.details, {
      fields: [{ field: 'rows', problems: ['rows must not be greater than 100000'] }],
    });
    assertError(await fx.org1.http().get('/datasets/huge').set(scientist()), 404, 'NOT_FOUND');
  });

  it('refuses an 8×4096 MLP preset by its parameter count before building weights: 413 PAYLOAD_TOO_LARGE with the count and the limit', async () => {
    const body = federationBody(
      'fed-huge',
      columns.featureColumns,
      columns.labelColumn,
      ['Org2MSP'],
      { model: { preset: 'mlp', hiddenUnits: Array(8).fill(4096) } },
    );
    const error = assertError(
      await fx.org1.http().post('/federations').set(admin()).send(body),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    // 12·4096+4096 + 7·(4096·4096+4096) + 4096+1 parameters; 32 MiB of float32 weights hold 8,388,608.
    assert.equal(
      error.message,
      'the mlp preset has 117,526,529 parameters; this federation accepts at most 8,388,608 (maxUpdateBytes 33,554,432 / 4 bytes per float32 weight)',
    );
    assert.deepEqual(error.details, {
      paramCount: 117_526_529,
      maxParams: 8_388_608,
      maxUpdateBytes: 33_554_432,
    });
    assertError(await fx.org1.http().get('/federations/fed-huge').set(admin()), 404, 'NOT_FOUND');
  });

  it('refuses JSON nested 2,000 deep with 400 INVALID_ARGUMENT naming the nesting', async () => {
    const deep = `${'['.repeat(2000)}${']'.repeat(2000)}`;
    const response = await fx.org1
      .http()
      .post('/federations')
      .set(admin())
      .set('Content-Type', 'application/json')
      .send(`{"id":"fed-deep","x":${deep}}`);
    const error = assertError(response, 400, 'INVALID_ARGUMENT');
    assert.equal(error.message, 'JSON nested deeper than 64 levels');
    assertError(await fx.org1.http().get('/federations/fed-deep').set(admin()), 404, 'NOT_FOUND');
  });

  it('still accepts a request inside every bound', async () => {
    ok(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send(
          federationBody('fed-fine', columns.featureColumns, columns.labelColumn, ['Org2MSP'], {
            model: { preset: 'mlp', hiddenUnits: [64, 32] },
          }),
        ),
      201,
    );
  });
});
