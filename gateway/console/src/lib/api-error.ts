/** A failed API call as the console shows it: the gateway's stable `code` and its message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The ledger (or the gateway itself) could not be reached: what was shown before is now stale. */
  get unreachable(): boolean {
    return this.status === 0 || this.code === 'LEDGER_UNAVAILABLE';
  }
}

/** Turns a non-2xx response into an {@link ApiError}, keeping the gateway's `{ code, message, details }`. */
export async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; details?: unknown };
    if (typeof body.code === 'string' && typeof body.message === 'string') {
      return new ApiError(
        response.status,
        body.code,
        body.message,
        isRecord(body.details) ? body.details : null,
      );
    }
  } catch {
    // not an error body of the gateway (a proxy's page): fall through
  }
  return new ApiError(
    response.status,
    `HTTP_${response.status}`,
    text.slice(0, 200) || response.statusText,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
