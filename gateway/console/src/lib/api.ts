import { ApiError, toApiError } from './api-error';
import type { Health } from './types';

/** Bounds every call, so a hung gateway turns into an error the page can show. */
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * The console's only way to the gateway: same origin, the API key in `x-api-key`, and the block of
 * the last write carried to later reads (`x-ledger-min-block`) so a page never shows the state
 * before the user's own action. Nothing is retried: a write is sent once, whatever it answers.
 */
export class Api {
  #minBlock = 0;

  constructor(readonly apiKey: string) {}

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.#json<T>('GET', path, undefined, signal);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.#json<T>('POST', path, JSON.stringify(body), undefined, 'application/json');
  }

  postBytes<T>(path: string, bytes: ArrayBuffer): Promise<T> {
    return this.#json<T>('POST', path, bytes, undefined, 'application/octet-stream');
  }

  /** `GET /health`: a 503 there is an answer (the ledger is unreachable), not an error. */
  async health(signal: AbortSignal): Promise<Health> {
    let response: Response;
    try {
      response = await fetch('/health', {
        headers: { accept: 'application/json' },
        signal,
        cache: 'no-store',
      });
    } catch (error) {
      throw new ApiError(
        0,
        'UNREACHABLE',
        `the gateway did not answer GET /health: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (response.status !== 200 && response.status !== 503) throw await toApiError(response);
    return (await response.json()) as Health;
  }

  /** Opens a streaming GET (Server-Sent Events): EventSource cannot send the API key header. */
  async stream(path: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const response = await this.#fetch(
      'GET',
      path,
      undefined,
      signal,
      undefined,
      'text/event-stream',
    );
    if (response.body === null)
      throw new ApiError(0, 'UNREACHABLE', `${path} answered without a body`);
    return response.body;
  }

  async #json<T>(
    method: string,
    path: string,
    body: BodyInit | undefined,
    signal?: AbortSignal,
    contentType?: string,
  ): Promise<T> {
    const response = await this.#fetch(
      method,
      path,
      body,
      signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      contentType,
      'application/json',
    );
    return (await response.json()) as T;
  }

  async #fetch(
    method: string,
    path: string,
    body: BodyInit | undefined,
    signal: AbortSignal,
    contentType: string | undefined,
    accept: string,
  ): Promise<Response> {
    const headers: Record<string, string> = { 'x-api-key': this.apiKey, accept };
    if (contentType) headers['content-type'] = contentType;
    if (this.#minBlock > 0) headers['x-ledger-min-block'] = String(this.#minBlock);
    let response: Response;
    try {
      response = await fetch(path, { method, headers, body, signal, cache: 'no-store' });
    } catch (error) {
      if (
        signal.aborted &&
        !(signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError')
      )
        throw error;
      throw new ApiError(
        0,
        'UNREACHABLE',
        `the gateway did not answer ${method} ${path}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (!response.ok) throw await toApiError(response);
    const block = Number(response.headers.get('x-ledger-block'));
    if (Number.isSafeInteger(block) && block > this.#minBlock) this.#minBlock = block;
    return response;
  }
}

/** Encodes one path segment. */
export const seg = (value: string | number): string => encodeURIComponent(String(value));
