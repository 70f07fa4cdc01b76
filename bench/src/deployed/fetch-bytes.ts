/** Bytes of HTTP bodies a process's `fetch` calls sent and received (headers and TCP/IP framing not included). */
export interface FetchBytes {
  requests: number;
  sent: number;
  received: number;
}

type Fetch = typeof globalThis.fetch;

/**
 * Wraps `fetch` so that every request body and every response body read in full is counted; an
 * event stream (text/event-stream, which never ends) is passed through uncounted. The fedledger
 * run uses it to tell the demo driver's REST polling apart from the ledger's own traffic.
 */
export function countingFetch(inner: Fetch, counts: FetchBytes): Fetch {
  return async (input, init) => {
    counts.requests++;
    const body = init?.body;
    if (typeof body === 'string') counts.sent += Buffer.byteLength(body);
    else if (body instanceof Uint8Array || body instanceof ArrayBuffer)
      counts.sent += body.byteLength;
    const response = await inner(input, init);
    if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream'))
      return response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    counts.received += bytes.byteLength;
    return new Response(response.status === 204 || response.status === 304 ? null : bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
