import { useState } from 'preact/hooks';
import { ErrorBox } from '../components/states';
import { useAction } from '../components/use-action';
import { seg } from '../lib/api';
import type { Session } from '../lib/session';
import type { PredictionResult } from '../lib/types';

/** Predictions with a deployed version; the answer shows the receipt the gateway recorded on the ledger. */
export function PredictionForm({
  session,
  federationId,
  version,
  featureColumns,
}: {
  session: Session;
  federationId: string;
  version: number;
  featureColumns: string[];
}) {
  const [rows, setRows] = useState('');
  const [parseError, setParseError] = useState<string | undefined>();
  const predict = useAction((body: { rows: number[][] }) =>
    session.api.post<PredictionResult>(
      `/federations/${seg(federationId)}/models/${version}/predictions`,
      body,
    ),
  );
  return (
    <div class="predictions">
      <h3>Predict with v{version}</h3>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const parsed = rows
            .trim()
            .split('\n')
            .map((line) => line.split(',').map((cell) => Number(cell.trim())));
          if (parsed.some((row) => row.some((value) => !Number.isFinite(value)))) {
            setParseError(
              'every cell must be a number: one row per line, values separated by commas, in the federation’s feature order',
            );
            return;
          }
          setParseError(undefined);
          void predict.run({ rows: parsed });
        }}
      >
        <label for="predict-rows">
          Rows: one per line, raw values separated by commas, in this order:{' '}
          {featureColumns.join(', ') || '(the federation’s feature columns)'}
        </label>
        <textarea
          id="predict-rows"
          rows={3}
          value={rows}
          onInput={(e) => {
            setRows(e.currentTarget.value);
          }}
        />
        <button type="submit" id="predict" disabled={predict.pending || predict.blocked}>
          Predict
        </button>
      </form>
      {parseError && (
        <p class="state error" role="alert">
          {parseError}
        </p>
      )}
      {predict.error && <ErrorBox error={predict.error} title="No prediction" />}
      {predict.result && (
        <div class="receipt" data-testid="receipt">
          <p>
            Predictions:{' '}
            {predict.result.predictions
              .map((p) => p.map((v) => v.toFixed(3)).join(' '))
              .join(' | ')}
          </p>
          <p>
            Ledger receipt: transaction <code class="hash">{predict.result.receipt.txId}</code>,
            model <code class="hash">{predict.result.receipt.modelHash}</code>, inputs{' '}
            <code class="hash">{predict.result.receipt.inputHash}</code>, outputs{' '}
            <code class="hash">{predict.result.receipt.outputHash}</code>, recorded{' '}
            {predict.result.receipt.recordedAt}
          </p>
        </div>
      )}
    </div>
  );
}
