import { readServerSentEvents } from './sse-reader';
import type { GatewayClient } from './gateway-client';

/** The fields of a gateway's `training-progress` event the demo shows. */
export interface TrainingProgressEvent {
  federationId: string;
  round: number;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
}

/**
 * Follows each hospital gateway's `GET /training/events` stream and reports every finished epoch.
 * Returns a function that closes all streams.
 */
export async function followTrainingProgress(
  gateways: GatewayClient[],
  federationId: string,
  onEpoch: (mspId: string, progress: TrainingProgressEvent) => void,
): Promise<() => void> {
  const controller = new AbortController();
  const streams = await Promise.all(
    gateways.map((gateway) => gateway.openTrainingEvents(controller.signal)),
  );
  streams.forEach((stream, index) => {
    const mspId = gateways[index].mspId;
    void (async () => {
      try {
        for await (const event of readServerSentEvents(stream)) {
          if (event.event !== 'training-progress') continue;
          const progress = JSON.parse(event.data) as TrainingProgressEvent;
          if (progress.federationId === federationId && progress.batch === progress.batches)
            onEpoch(mspId, progress);
        }
      } catch {
        // Progress is a display: a gateway that stopped (or was stopped by a fault test) ends its
        // stream, and the run goes on watching the ledger.
      }
    })();
  });
  return () => {
    controller.abort();
  };
}
