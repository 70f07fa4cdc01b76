import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countingFetch, type FetchBytes } from './fetch-bytes';

test('countingFetch counts request and response bodies and hands the body on unchanged', async () => {
  const counts: FetchBytes = { requests: 0, sent: 0, received: 0 };
  const inner: typeof fetch = () =>
    Promise.resolve(
      new Response('{"ok":"ü"}', { status: 201, headers: { 'content-type': 'application/json' } }),
    );
  const fetchCounted = countingFetch(inner, counts);
  const response = await fetchCounted('http://127.0.0.1:1/x', { method: 'POST', body: 'héllo' });
  assert.equal(response.status, 201);
  assert.deepEqual(await response.json(), { ok: 'ü' });
  await fetchCounted('http://127.0.0.1:1/y', { method: 'PUT', body: new Uint8Array(7) });
  assert.deepEqual(counts, { requests: 2, sent: 6 + 7, received: 2 * 11 });
});

test('countingFetch passes an event stream through without reading it', async () => {
  const counts: FetchBytes = { requests: 0, sent: 0, received: 0 };
  const stream = new ReadableStream<Uint8Array>({ start: () => undefined });
  const inner: typeof fetch = () =>
    Promise.resolve(new Response(stream, { headers: { 'content-type': 'text/event-stream' } }));
  const response = await countingFetch(inner, counts)('http://127.0.0.1:1/events');
  assert.equal(response.body, stream);
  assert.deepEqual(counts, { requests: 1, sent: 0, received: 0 });
});
