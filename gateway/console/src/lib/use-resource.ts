import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api-error';

/** What a screen knows about one thing it reads from the gateway. */
export interface Resource<T> {
  data: T | undefined;
  /** The last refresh failed; `data` (if any) is what the ledger said at `loadedAt`. */
  error: ApiError | undefined;
  loading: boolean;
  loadedAt: Date | undefined;
  reload: () => void;
}

/**
 * Loads `load()` now and every `refreshMs` (when given) while the screen is shown. A failed refresh
 * keeps the data already shown (marked stale by {@link Resource.error}) instead of blanking it.
 */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
  refreshMs?: number,
): Resource<T> {
  const [state, setState] = useState<Omit<Resource<T>, 'reload'>>({
    data: undefined,
    error: undefined,
    loading: true,
    loadedAt: undefined,
  });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => {
    setTick((n) => n + 1);
  }, []);

  useEffect(() => {
    setState({ data: undefined, error: undefined, loading: true, loadedAt: undefined });
  }, deps);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async (): Promise<void> => {
      try {
        const data = await loadRef.current(controller.signal);
        if (!controller.signal.aborted)
          setState({ data, error: undefined, loading: false, loadedAt: new Date() });
      } catch (error) {
        if (controller.signal.aborted) return;
        const apiError =
          error instanceof ApiError
            ? error
            : new ApiError(
                0,
                'UNREACHABLE',
                error instanceof Error ? error.message : String(error),
              );
        setState((previous) => ({ ...previous, error: apiError, loading: false }));
      }
      if (refreshMs !== undefined && !controller.signal.aborted)
        timer = setTimeout(() => void run(), refreshMs);
    };
    void run();
    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [...deps, tick, refreshMs]);

  return { ...state, reload };
}
