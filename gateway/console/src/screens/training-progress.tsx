import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../lib/api-error';
import type { Api } from '../lib/api';
import { readSse } from '../lib/sse';
import type { TrainingProgress } from '../lib/types';

/** How long to wait before reopening a dropped progress stream. */
const RECONNECT_MS = 3_000;

/**
 * This gateway's training progress for one federation, live from `GET /training/events`. Only this
 * org trains here, so the other orgs' progress is what the ledger says (their submissions).
 */
export function useTrainingProgress(
  api: Api,
  federationId: string,
  enabled: boolean,
): { latest: TrainingProgress | undefined; error: ApiError | undefined } {
  const [latest, setLatest] = useState<TrainingProgress | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const open = async (): Promise<void> => {
      try {
        const stream = await api.stream('/training/events', controller.signal);
        setError(undefined);
        for await (const event of readSse(stream)) {
          if (event.event !== 'training-progress') continue;
          const progress = JSON.parse(event.data) as TrainingProgress;
          if (progress.federationId === federationId) setLatest(progress);
        }
      } catch (caught) {
        if (controller.signal.aborted) return;
        const apiError =
          caught instanceof ApiError ? caught : new ApiError(0, 'UNREACHABLE', String(caught));
        setError(apiError);
        // A role that may not read the stream will not be let in by retrying.
        if (apiError.status === 401 || apiError.status === 403) return;
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void open(), RECONNECT_MS);
    };
    void open();
    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api, federationId, enabled]);
  return { latest, error };
}
