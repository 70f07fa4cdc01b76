import { STRATEGY_NAMES } from '@fedledger/core/types';
import { useState } from 'preact/hooks';
import { ErrorBox, Loaded } from '../components/states';
import { useAction } from '../components/use-action';
import { href, navigate } from '../lib/router';
import type { Session } from '../lib/session';
import type { Consortium, Dataset, Federation } from '../lib/types';
import { useResource } from '../lib/use-resource';

/**
 * Creates a federation from one of this org's datasets (its columns become the federation's) with
 * the mlp preset. Only admins see the way here; anyone else who opens the URL gets the gateway's
 * own answer when submitting, not a guess of it.
 */
export function CreateFederation({ session }: { session: Session }) {
  const { api, principal } = session;
  const datasets = useResource(
    (signal) =>
      principal.role === 'auditor' ? Promise.resolve([]) : api.get<Dataset[]>('/datasets', signal),
    [],
  );
  const consortium = useResource((signal) => api.get<Consortium>('/consortium', signal), []);
  const [form, setForm] = useState({
    id: '',
    name: '',
    datasetId: '',
    invited: [] as string[],
    rounds: 3,
    epochs: 1,
    batchSize: 32,
    learningRate: 0.01,
    hidden: '16',
    strategy: 'fedavg',
    /** NaN (an empty field): no contribution scoring. */
    creditsPerRound: Number.NaN,
  });
  const create = useAction((body: unknown) => api.post<Federation>('/federations', body));
  const set = (patch: Partial<typeof form>): void => {
    setForm({ ...form, ...patch });
  };
  const dataset = datasets.data?.find((d) => d.id === form.datasetId);
  const others = (consortium.data?.members ?? []).filter(
    (member) => member.role === 'member' && member.mspId !== principal.org,
  );

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const body = {
      id: form.id,
      name: form.name || form.id,
      ...(dataset ? { datasetId: dataset.id } : {}),
      model: {
        preset: 'mlp',
        hiddenUnits: form.hidden
          .split(',')
          .map((n) => Number(n.trim()))
          .filter((n) => n > 0),
        seed: 1,
      },
      featureColumns: dataset?.featureColumns ?? [],
      labelColumn: dataset?.labelColumn ?? '',
      hyperParameters: {
        epochs: form.epochs,
        batchSize: form.batchSize,
        learningRate: form.learningRate,
      },
      strategy: { name: form.strategy },
      invitedOrgs: form.invited,
      minParticipants: form.invited.length + 1,
      roundDeadlineSeconds: 3600,
      rounds: form.rounds,
      ...(Number.isNaN(form.creditsPerRound)
        ? {}
        : { incentives: { creditsPerRound: form.creditsPerRound } }),
    };
    const created = await create.run(body);
    if (created) navigate('federations', created.id);
  };

  return (
    <section aria-labelledby="create-title">
      <h1 id="create-title">New federation</h1>
      {principal.role !== 'admin' && (
        <p class="state note" role="note">
          Creating a federation is an admin action; the gateway decides whether your{' '}
          {principal.role} key may do it.
        </p>
      )}
      <form class="grid-form" onSubmit={(event) => void submit(event)}>
        <label for="fed-id">Id</label>
        <input
          id="fed-id"
          required
          value={form.id}
          onInput={(e) => {
            set({ id: e.currentTarget.value });
          }}
        />
        <label for="fed-name">Name</label>
        <input
          id="fed-name"
          value={form.name}
          onInput={(e) => {
            set({ name: e.currentTarget.value });
          }}
        />
        <label for="fed-dataset">Local dataset</label>
        <div>
          <Loaded resource={datasets} what="datasets">
            {(items) => (
              <select
                id="fed-dataset"
                value={form.datasetId}
                onChange={(e) => {
                  set({ datasetId: e.currentTarget.value });
                }}
              >
                <option value="">(none)</option>
                {items.map((d) => (
                  <option value={d.id}>
                    {d.id} ({d.numRows} rows, label {d.labelColumn})
                  </option>
                ))}
              </select>
            )}
          </Loaded>
          {dataset && <div class="muted">Features: {dataset.featureColumns.join(', ')}</div>}
        </div>
        <fieldset>
          <legend>Invite</legend>
          <Loaded
            resource={consortium}
            what="consortium members"
            isEmpty={() => others.length === 0}
            empty="No other member org."
          >
            {() =>
              others.map((member) => (
                <label class="check">
                  <input
                    type="checkbox"
                    name="invite"
                    value={member.mspId}
                    checked={form.invited.includes(member.mspId)}
                    onChange={(e) => {
                      set({
                        invited: e.currentTarget.checked
                          ? [...form.invited, member.mspId]
                          : form.invited.filter((m) => m !== member.mspId),
                      });
                    }}
                  />
                  {member.mspId}
                </label>
              ))
            }
          </Loaded>
        </fieldset>
        <label for="fed-rounds">Rounds</label>
        <input
          id="fed-rounds"
          type="number"
          min={1}
          value={form.rounds}
          onInput={(e) => {
            set({ rounds: e.currentTarget.valueAsNumber });
          }}
        />
        <label for="fed-hidden">Hidden units (mlp)</label>
        <input
          id="fed-hidden"
          value={form.hidden}
          onInput={(e) => {
            set({ hidden: e.currentTarget.value });
          }}
        />
        <label for="fed-epochs">Local epochs</label>
        <input
          id="fed-epochs"
          type="number"
          min={1}
          value={form.epochs}
          onInput={(e) => {
            set({ epochs: e.currentTarget.valueAsNumber });
          }}
        />
        <label for="fed-batch">Batch size</label>
        <input
          id="fed-batch"
          type="number"
          min={1}
          value={form.batchSize}
          onInput={(e) => {
            set({ batchSize: e.currentTarget.valueAsNumber });
          }}
        />
        <label for="fed-lr">Learning rate</label>
        <input
          id="fed-lr"
          type="number"
          step="any"
          value={form.learningRate}
          onInput={(e) => {
            set({ learningRate: e.currentTarget.valueAsNumber });
          }}
        />
        <label for="fed-strategy">Strategy</label>
        <select
          id="fed-strategy"
          value={form.strategy}
          onChange={(e) => {
            set({ strategy: e.currentTarget.value });
          }}
        >
          {STRATEGY_NAMES.map((name) => (
            <option value={name}>{name}</option>
          ))}
        </select>
        <label for="fed-credits">Reward credits per round</label>
        <div>
          <input
            id="fed-credits"
            type="number"
            min="1"
            step="1"
            placeholder="none"
            value={Number.isNaN(form.creditsPerRound) ? '' : form.creditsPerRound}
            onInput={(e) => {
              set({ creditsPerRound: e.currentTarget.valueAsNumber });
            }}
          />
          <p class="muted">
            Set to score every round’s contributions (Shapley values) and split these credits by
            them. Every participant then sees the others’ updates.
          </p>
        </div>
        <div class="actions">
          <button type="submit" id="create-federation" disabled={create.pending || create.blocked}>
            {create.pending ? 'Creating…' : 'Create federation'}
          </button>
          <a href={href('federations')}>Cancel</a>
        </div>
      </form>
      {create.error && <ErrorBox error={create.error} title="The federation was not created" />}
    </section>
  );
}
