import { useState } from 'preact/hooks';
import { ErrorBox, Loaded } from '../components/states';
import { useAction } from '../components/use-action';
import { pct, short, time } from '../lib/format';
import type { Session } from '../lib/session';
import type { Dataset } from '../lib/types';
import { useResource } from '../lib/use-resource';

/**
 * This org's local datasets (never on the ledger): the list, and registration of a CSV file from the
 * gateway's data directory or of this org's share of the synthetic cohort. A file the gateway
 * refuses comes back with the problems it found, listed under the form.
 */
export function DatasetsScreen({ session }: { session: Session }) {
  const { api } = session;
  const datasets = useResource((signal) => api.get<Dataset[]>('/datasets', signal), []);
  return (
    <section aria-labelledby="datasets-title">
      <h1 id="datasets-title">Datasets at {session.principal.org}</h1>
      <Loaded
        resource={datasets}
        what="datasets"
        isEmpty={(items) => items.length === 0}
        empty="No dataset registered at this gateway yet."
      >
        {(items) => (
          <div class="table-wrap">
            <table class="datasets">
              <thead>
                <tr>
                  <th scope="col">Id</th>
                  <th scope="col">Source</th>
                  <th scope="col">Rows (train / validation)</th>
                  <th scope="col">Positive rate</th>
                  <th scope="col">Columns</th>
                  <th scope="col">File SHA-256</th>
                  <th scope="col">Registered</th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => (
                  <tr data-dataset={d.id}>
                    <th scope="row">{d.id}</th>
                    <td>
                      {d.source} <span class="muted">{d.path}</span>
                    </td>
                    <td>
                      {d.numRows} ({d.numTrain} / {d.numValidation})
                    </td>
                    <td>{pct(d.positiveRate)}</td>
                    <td>
                      {d.featureColumns.length} features → <code>{d.labelColumn}</code>
                    </td>
                    <td>
                      <code title={d.fileSha256}>{short(d.fileSha256)}</code>
                    </td>
                    <td>{time(d.registeredAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <div class="two-columns">
        <RegisterCsv session={session} onDone={datasets.reload} />
        <RegisterSynthetic session={session} onDone={datasets.reload} />
      </div>
    </section>
  );
}

function RegisterCsv({ session, onDone }: { session: Session; onDone: () => void }) {
  const [form, setForm] = useState({ id: '', path: '', labelColumn: '' });
  const register = useAction((body: typeof form) => session.api.post<Dataset>('/datasets', body));
  return (
    <form
      class="panel grid-form"
      aria-labelledby="csv-title"
      onSubmit={(e) => {
        e.preventDefault();
        // run() never rejects: a failure is kept in register.error for display.
        void register.run(form).then((saved) => {
          if (saved) onDone();
        });
      }}
    >
      <h2 id="csv-title">Register a CSV file</h2>
      <label for="csv-id">Id</label>
      <input
        id="csv-id"
        required
        value={form.id}
        onInput={(e) => {
          setForm({ ...form, id: e.currentTarget.value });
        }}
      />
      <label for="csv-path">Path in the data directory</label>
      <input
        id="csv-path"
        required
        value={form.path}
        onInput={(e) => {
          setForm({ ...form, path: e.currentTarget.value });
        }}
      />
      <label for="csv-label">Label column</label>
      <input
        id="csv-label"
        required
        value={form.labelColumn}
        onInput={(e) => {
          setForm({ ...form, labelColumn: e.currentTarget.value });
        }}
      />
      <div class="actions">
        <button type="submit" disabled={register.pending || register.blocked}>
          Register CSV
        </button>
      </div>
      {register.error && <ErrorBox error={register.error} title="The file was not registered" />}
      {register.result && (
        <p class="state ok">
          Registered {register.result.id}: {register.result.numRows} rows.
        </p>
      )}
    </form>
  );
}

/** The gateway's split modes (org-split.ts); the console bundle cannot import the gateway. */
type SplitModeChoice = 'dirichlet' | 'dirichlet-equal-size' | 'iid';

function RegisterSynthetic({ session, onDone }: { session: Session; onDone: () => void }) {
  const [form, setForm] = useState({
    id: 'local',
    orgIndex: 0,
    orgCount: 3,
    rows: 900,
    mode: 'dirichlet' as SplitModeChoice,
    alpha: 1,
    seed: 5,
  });
  const register = useAction((body: typeof form) =>
    session.api.post<Dataset>(
      '/datasets/synthetic',
      body.mode === 'iid' ? { ...body, alpha: undefined } : body,
    ),
  );
  const number =
    (key: 'orgIndex' | 'orgCount' | 'rows' | 'alpha' | 'seed') =>
    (e: { currentTarget: HTMLInputElement }) => {
      setForm({ ...form, [key]: e.currentTarget.valueAsNumber });
    };
  return (
    <form
      class="panel grid-form"
      aria-labelledby="synthetic-title"
      onSubmit={(e) => {
        e.preventDefault();
        // run() never rejects: a failure is kept in register.error for display.
        void register.run(form).then((saved) => {
          if (saved) onDone();
        });
      }}
    >
      <h2 id="synthetic-title">Generate this org’s synthetic share</h2>
      <label for="syn-id">Id</label>
      <input
        id="syn-id"
        required
        value={form.id}
        onInput={(e) => {
          setForm({ ...form, id: e.currentTarget.value });
        }}
      />
      <label for="syn-index">Org index (0-based)</label>
      <input
        id="syn-index"
        type="number"
        min={0}
        value={form.orgIndex}
        onInput={number('orgIndex')}
      />
      <label for="syn-count">Org count</label>
      <input
        id="syn-count"
        type="number"
        min={1}
        value={form.orgCount}
        onInput={number('orgCount')}
      />
      <label for="syn-rows">Population rows</label>
      <input id="syn-rows" type="number" min={2} value={form.rows} onInput={number('rows')} />
      <label for="syn-mode">Split</label>
      <select
        id="syn-mode"
        value={form.mode}
        onChange={(e) => {
          setForm({ ...form, mode: e.currentTarget.value as SplitModeChoice });
        }}
      >
        <option value="dirichlet">dirichlet (label and size skew)</option>
        <option value="dirichlet-equal-size">dirichlet, equal sizes (label skew only)</option>
        <option value="iid">iid</option>
      </select>
      <label for="syn-alpha">Dirichlet α</label>
      <input id="syn-alpha" type="number" step="any" value={form.alpha} onInput={number('alpha')} />
      <label for="syn-seed">Seed (same at every org)</label>
      <input id="syn-seed" type="number" min={0} value={form.seed} onInput={number('seed')} />
      <div class="actions">
        <button
          type="submit"
          id="register-synthetic"
          disabled={register.pending || register.blocked}
        >
          Generate and register
        </button>
      </div>
      {register.error && <ErrorBox error={register.error} title="The dataset was not registered" />}
      {register.result && (
        <p class="state ok">
          Registered {register.result.id}: {register.result.numRows} rows.
        </p>
      )}
    </form>
  );
}
