import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readServerSentEvents, type ServerSentEvent } from './sse-reader';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(stream)) events.push(event);
  return events;
}

describe('readServerSentEvents', () => {
  it('parses named events, default names, comments, CRLF and multi-line data split across chunks', async () => {
    const events = await collect(
      streamOf([
        'event: training-progress\ndata: {"a"',
        ':1}\n\n: keep-alive\n\ndata: one\r\ndata: two\r\n\r\n',
        'id: 7\nevent: x\ndata:y\n\n',
      ]),
    );
    assert.deepEqual(events, [
      { event: 'training-progress', data: '{"a":1}' },
      { event: 'message', data: 'one\ntwo' },
      { event: 'x', data: 'y' },
    ]);
  });

  it('drops an event the stream ended in the middle of', async () => {
    assert.deepEqual(await collect(streamOf(['data: complete\n\n', 'data: cut'])), [
      { event: 'message', data: 'complete' },
    ]);
  });

  it('ends quietly when the stream errors (an aborted fetch)', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: first\n\n'));
        controller.error(new Error('aborted'));
      },
    });
    assert.deepEqual(await collect(stream), []);
  });
});
