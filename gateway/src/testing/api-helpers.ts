import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import type { TestGateway } from './test-gateway';
import type { InProcessWorld } from './world';

/** Asserts an error response's status and stable code; returns the body for further checks. */
export function assertError(
  response: Response,
  status: number,
  code: string,
): { code: string; message: string; details: unknown } {
  assert.equal(
    response.status,
    status,
    `expected ${status} ${code}, got ${response.status} ${JSON.stringify(response.body)}`,
  );
  const body: unknown = response.body;
  assert.ok(typeof body === 'object' && body !== null && 'details' in body, JSON.stringify(body));
  assert.equal(bodyField(response, 'code'), code, JSON.stringify(body));
  const message = bodyField(response, 'message');
  assert.ok(typeof message === 'string', JSON.stringify(body));
  return { code, message, details: body.details };
}

/** One top-level field of a JSON response body, unknown until the test asserts on it (undefined when the body is no object). */
export function bodyField(response: Response, field: string): unknown {
  const body: unknown = response.body;
  return typeof body === 'object' && body !== null && field in body
    ? (body as Record<string, unknown>)[field]
    : undefined;
}

/** Asserts a success status and returns the body. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T is the body shape the calling test expects and goes on to assert; one typed cast here instead of one at each of ~100 call sites.
export function ok<T = Record<string, unknown>>(response: Response, status = 200): T {
  assert.equal(
    response.status,
    status,
    `expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`,
  );
  return response.body as T;
}

/** Initialises a consortium of these member gateways plus optional auditor orgs, via the first gateway's admin. */
export async function initConsortium(
  gateways: TestGateway[],
  auditorOrgs: string[] = [],
): Promise<void> {
  const members = [
    ...gateways.map((gateway) => ({ mspId: gateway.mspId, role: 'member' })),
    ...auditorOrgs.map((mspId) => ({ mspId, role: 'auditor' })),
  ];
  const first = gateways[0];
  ok(
    await first
      .http()
      .post('/consortium/init')
      .set('x-api-key', first.keys.admin)
      .send({ members }),
    201,
  );
}

/** Registers this gateway's share of a small synthetic population. */
export async function registerSynthetic(
  gateway: TestGateway,
  id: string,
  orgIndex: number,
  orgCount: number,
  rows = 120,
): Promise<{ featureColumns: string[]; labelColumn: string }> {
  return ok(
    await gateway
      .http()
      .post('/datasets/synthetic')
      .set('x-api-key', gateway.keys.scientist)
      .send({ id, orgIndex, orgCount, rows, mode: 'iid', seed: 11 }),
    201,
  );
}

/** The gateway's admin accepts the federation, binding `datasetId` when given (200 asserted). */
export async function acceptFederation(
  gateway: TestGateway,
  federationId: string,
  datasetId?: string,
): Promise<void> {
  ok(
    await gateway
      .http()
      .post(`/federations/${federationId}/accept`)
      .set('x-api-key', gateway.keys.admin)
      .send(datasetId === undefined ? {} : { datasetId }),
  );
}

/** The creator's admin starts the federation (200 asserted). */
export async function startFederation(creator: TestGateway, federationId: string): Promise<void> {
  ok(
    await creator
      .http()
      .post(`/federations/${federationId}/start`)
      .set('x-api-key', creator.keys.admin)
      .send({}),
  );
}

/** Each invitee's admin accepts the federation with `datasetId` bound, then the creator's admin starts it. */
export async function acceptAndStart(
  creator: TestGateway,
  invitees: readonly TestGateway[],
  federationId: string,
  datasetId = 'local',
): Promise<void> {
  for (const gateway of invitees) await acceptFederation(gateway, federationId, datasetId);
  await startFederation(creator, federationId);
}

/** A valid federation creation body for a tiny logistic regression. */
export function federationBody(
  id: string,
  featureColumns: string[],
  labelColumn: string,
  invitedOrgs: string[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    name: `federation ${id}`,
    model: { preset: 'logistic-regression', seed: 3 },
    featureColumns,
    labelColumn,
    hyperParameters: { epochs: 1, batchSize: 32, learningRate: 0.1 },
    strategy: { name: 'fedavg' },
    invitedOrgs,
    minParticipants: invitedOrgs.length + 1,
    roundDeadlineSeconds: 3600,
    rounds: 2,
    ...extra,
  };
}

/** A model version's FLW1 weights exactly as the gateway serves them to its scientist (200 asserted). */
export async function downloadModelWeights(
  gateway: TestGateway,
  federationId: string,
  version: number,
): Promise<Uint8Array> {
  const response = await gateway
    .http()
    .get(`/federations/${federationId}/models/${version}/weights.flw1`)
    .set('x-api-key', gateway.keys.scientist)
    .buffer(true)
    .parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        callback(null, Buffer.concat(chunks));
      });
    });
  return new Uint8Array(ok<Buffer>(response));
}

/**
 * Lets the in-process world deliver its events until `done` holds, polling every 25 ms; fails the
 * test after `maxPolls` polls, since a federation that never gets there would otherwise hang it.
 */
export async function settleUntil(
  world: InProcessWorld,
  done: () => Promise<boolean>,
  maxPolls = 800,
): Promise<void> {
  for (let poll = 0; poll < maxPolls; poll++) {
    await world.settled();
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail('the federation did not reach the expected state');
}
