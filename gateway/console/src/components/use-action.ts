import { useState } from 'preact/hooks';
import { ApiError } from '../lib/api-error';

export interface Action<A extends unknown[], T> {
  run: (...args: A) => Promise<T | undefined>;
  pending: boolean;
  /** The gateway refused this key (401/403): sending it again cannot succeed, so its button stays off. */
  blocked: boolean;
  error: ApiError | undefined;
  result: T | undefined;
}

/**
 * A write the user triggers: sent once per click, never retried, and refused while one is in flight
 * (so a double click cannot send it twice). The gateway's error is kept for display; after a 401/403
 * the action is {@link Action.blocked}, so its button stays disabled rather than resending a refused write.
 */
export function useAction<A extends unknown[], T>(send: (...args: A) => Promise<T>): Action<A, T> {
  const [state, setState] = useState<{
    pending: boolean;
    error: ApiError | undefined;
    result: T | undefined;
  }>({ pending: false, error: undefined, result: undefined });
  let inFlight = state.pending;
  const run = async (...args: A): Promise<T | undefined> => {
    if (inFlight) return undefined;
    inFlight = true;
    setState({ pending: true, error: undefined, result: undefined });
    try {
      const result = await send(...args);
      setState({ pending: false, error: undefined, result });
      return result;
    } catch (error) {
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError(0, 'UNREACHABLE', error instanceof Error ? error.message : String(error));
      setState({ pending: false, error: apiError, result: undefined });
      return undefined;
    }
  };
  const blocked =
    state.error !== undefined && (state.error.status === 401 || state.error.status === 403);
  return { run, pending: state.pending, blocked, error: state.error, result: state.result };
}
