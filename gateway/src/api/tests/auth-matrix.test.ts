import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKeyStore } from '../auth/api-key-store';
import { assertError, bodyField, ok } from '../../testing/api-helpers';
import type { ApiRole } from '../../ledger/port/ledger.tokens';
import { type ConsortiumFixture, startConsortium } from './consortium-fixture';

interface Route {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  roles: ApiRole[];
}

const ALL: ApiRole[] = ['admin', 'scientist', 'auditor'];
const HASH = 'a'.repeat(64);

/** Every guarded route and the roles it admits; the rest must get 403 FORBIDDEN. */
const ROUTES: Route[] = [
  { method: 'get', path: '/auth/whoami', roles: ALL },
  { method: 'get', path: '/consortium', roles: ALL },
  { method: 'post', path: '/consortium/init', roles: ['admin'] },
  { method: 'post', path: '/consortium/role-changes', roles: ['admin'] },
  { method: 'get', path: '/consortium/role-changes/p1', roles: ALL },
  { method: 'post', path: '/consortium/role-changes/p1/approve', roles: ['admin'] },
  { method: 'post', path: '/datasets', roles: ['admin', 'scientist'] },
  { method: 'post', path: '/datasets/synthetic', roles: ['admin', 'scientist'] },
  { method: 'get', path: '/datasets', roles: ['admin', 'scientist'] },
  { method: 'get', path: '/datasets/d1', roles: ['admin', 'scientist'] },
  { method: 'put', path: '/datasets/d1', roles: ['admin', 'scientist'] },
  { method: 'delete', path: '/datasets/d1', roles: ['admin', 'scientist'] },
  { method: 'get', path: '/training/events', roles: ['admin', 'scientist'] },
  { method: 'post', path: '/federations', roles: ['admin'] },
  { method: 'get', path: '/federations', roles: ALL },
  { method: 'get', path: '/federations/f1', roles: ALL },
  { method: 'get', path: '/federations/f1/status', roles: ALL },
  { method: 'get', path: '/federations/f1/privacy', roles: ALL },
  { method: 'post', path: '/federations/f1/accept', roles: ['admin'] },
  { method: 'post', path: '/federations/f1/start', roles: ['admin'] },
  { method: 'put', path: '/federations/f1/dataset', roles: ['admin'] },
  { method: 'get', path: '/federations/f1/data-profiles', roles: ALL },
  { method: 'post', path: '/federations/f1/cancel', roles: ['admin'] },
  { method: 'get', path: '/federations/f1/rounds/1', roles: ALL },
  { method: 'get', path: '/federations/f1/rounds/1/updates', roles: ALL },
  { method: 'get', path: '/federations/f1/models', roles: ALL },
  { method: 'get', path: '/federations/f1/models/0', roles: ALL },
  { method: 'get', path: '/federations/f1/models/0/model.json', roles: ['admin', 'scientist'] },
  { method: 'get', path: '/federations/f1/models/0/weights.bin', roles: ['admin', 'scientist'] },
  { method: 'get', path: '/federations/f1/models/0/weights.flw1', roles: ['admin', 'scientist'] },
  { method: 'get', path: '/federations/f1/models/0/bundle', roles: ['admin', 'scientist'] },
  { method: 'post', path: '/federations/f1/models/0/approve', roles: ['admin'] },
  { method: 'post', path: '/federations/f1/models/0/predictions', roles: ['admin', 'scientist'] },
  { method: 'get', path: '/federations/f1/model-selection', roles: ALL },
  { method: 'get', path: '/federations/f1/rounds/1/coalitions', roles: ALL },
  { method: 'get', path: '/federations/f1/rounds/1/settlement', roles: ALL },
  { method: 'get', path: '/federations/f1/rounds/1/utilities', roles: ALL },
  { method: 'post', path: '/federations/f1/rounds/1/utilities', roles: ['admin', 'scientist'] },
  {
    method: 'post',
    path: '/federations/f1/rounds/1/utilities/score',
    roles: ['admin', 'scientist'],
  },
  { method: 'post', path: '/federations/f1/rounds/1/contributions', roles: ['admin', 'scientist'] },
  { method: 'get', path: '/federations/f1/rounds/1/contributions', roles: ALL },
  { method: 'get', path: '/federations/f1/contributions', roles: ALL },
  { method: 'get', path: '/federations/f1/rewards', roles: ALL },
  { method: 'post', path: '/models/verify', roles: ALL },
  { method: 'post', path: '/models/verify/file', roles: ALL },
  { method: 'get', path: '/audit/federations/f1/timeline', roles: ['admin', 'auditor'] },
  { method: 'get', path: '/audit/timeline', roles: ['admin', 'auditor'] },
  {
    method: 'get',
    path: '/audit/history/fl.federation?attributes=f1',
    roles: ['admin', 'auditor'],
  },
  { method: 'get', path: `/audit/models/${HASH}`, roles: ['admin', 'auditor'] },
];

describe('authentication and role matrix', () => {
  let fx: ConsortiumFixture;
  before(async () => {
    fx = await startConsortium();
  });
  after(async () => fx.close());

  it('answers 401 UNAUTHENTICATED on every guarded route without a key or with an unknown key', async () => {
    for (const route of ROUTES) {
      const http = fx.org1.http();
      assertError(await http[route.method](route.path).send({}), 401, 'UNAUTHENTICATED');
      assertError(
        await http[route.method](route.path)
          .set('x-api-key', 'flk_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
          .send({}),
        401,
        'UNAUTHENTICATED',
      );
      assertError(
        await http[route.method](route.path).set('authorization', 'Bearer not-a-key').send({}),
        401,
        'UNAUTHENTICATED',
      );
    }
  });

  it('answers 403 FORBIDDEN to every role a route does not admit', async () => {
    let checked = 0;
    for (const route of ROUTES) {
      for (const role of ALL.filter((candidate) => !route.roles.includes(candidate))) {
        const http = fx.org1.http();
        const response = await http[route.method](route.path)
          .set('x-api-key', fx.org1.keys[role])
          .send({});
        assertError(response, 403, 'FORBIDDEN');
        checked += 1;
      }
    }
    assert.equal(checked, 37);
  });

  it('lets admitted roles past the guard (the answer comes from validation or the ledger, never 401/403)', async () => {
    for (const route of ROUTES.filter((candidate) => candidate.path !== '/training/events')) {
      for (const role of route.roles) {
        const http = fx.org1.http();
        const response = await http[route.method](route.path)
          .set('x-api-key', fx.org1.keys[role])
          .send({});
        const context = `${role} ${route.method} ${route.path}: ${response.status} ${JSON.stringify(response.body)}`;
        assert.notEqual(response.status, 401, context);
        // A 403 may still come from the ledger (e.g. a weights read by a non-participant), never from the role guard.
        if (response.status === 403) {
          const message = bodyField(response, 'message');
          assert.ok(typeof message === 'string', context);
          assert.doesNotMatch(message, /^role /, context);
        }
        assert.ok(response.status < 500, `${route.method} ${route.path} gave ${response.status}`);
      }
    }
  });

  it('covers every operation of the OpenAPI document except the public ones', async () => {
    const spec = ok<{ paths: Record<string, Record<string, unknown>> }>(
      await fx.org1.http().get('/api-json'),
    );
    const documented = Object.entries(spec.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
      .filter((operation) => !/ \/(health|metrics)/.test(operation))
      .sort();
    const concrete: Record<string, string> = {
      f1: '{id}',
      d1: '{id}',
      p1: '{proposalId}',
      '1': '{round}',
      '0': '{version}',
      'fl.federation': '{objectType}',
      [HASH]: '{modelHash}',
    };
    const covered = ROUTES.map((route) => {
      const segments = route.path
        .split('?')[0]
        .split('/')
        .map((segment, i, all) => {
          if (segment === '1' && all[i - 1] !== 'rounds') return segment;
          if (segment === '0' && all[i - 1] !== 'models') return segment;
          return concrete[segment] ?? segment;
        });
      return `${route.method} ${segments.join('/')}`;
    }).sort();
    assert.deepEqual(covered, documented);
  });

  it('keeps health, liveness and metrics public', async () => {
    ok(await fx.org1.http().get('/health'));
    ok(await fx.org1.http().get('/health/live'));
    assert.equal((await fx.org1.http().get('/metrics')).status, 200);
  });

  it('rejects a key once it is revoked, without a restart', async () => {
    const store = new ApiKeyStore(fx.org2.config.apiKeysFile);
    const { record, apiKey } = store.create('temp', 'scientist');
    ok(await fx.org2.http().get('/federations').set('x-api-key', apiKey));
    store.revoke(record.id);
    assertError(
      await fx.org2.http().get('/federations').set('x-api-key', apiKey),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('does not accept one org’s key at another org’s gateway', async () => {
    assertError(
      await fx.org2.http().get('/federations').set('x-api-key', fx.org1.keys.admin),
      401,
      'UNAUTHENTICATED',
    );
  });
});
