import { useEffect, useMemo, useState } from 'preact/hooks';
import { AccuracyChart } from '../charts/accuracy-chart';
import { ErrorBox, Loaded } from '../components/states';
import { useAction } from '../components/use-action';
import { seg } from '../lib/api';
import { pct, short, time } from '../lib/format';
import { accuracyPoints } from '../lib/metrics';
import { href } from '../lib/router';
import type { Session } from '../lib/session';
import type {
  Dataset,
  Federation,
  FederationStatus,
  ModelVersion,
  TrainingProgress,
} from '../lib/types';
import { useResource } from '../lib/use-resource';
import { Contributions } from './contributions';
import { useTrainingProgress } from './training-progress';

/** How often a running federation's page re-reads the ledger. */
const LIVE_REFRESH_MS = 1_500;
const IDLE_REFRESH_MS = 10_000;

export function FederationDetail({
  session,
  federationId,
}: {
  session: Session;
  federationId: string;
}) {
  const { api, principal } = session;
  const id = seg(federationId);
  // Re-read often while the federation can still change, rarely once it is over.
  const [active, setActive] = useState(true);
  const refresh = active ? LIVE_REFRESH_MS : IDLE_REFRESH_MS;
  const federation = useResource(
    (signal) => api.get<Federation>(`/federations/${id}`, signal),
    [federationId],
    refresh,
  );
  const running =
    federation.data === undefined ||
    federation.data.status === 'running' ||
    federation.data.status === 'pending';
  useEffect(() => {
    setActive(running);
  }, [running]);
  const status = useResource(
    (signal) => api.get<FederationStatus>(`/federations/${id}/status`, signal),
    [federationId],
    refresh,
  );
  const models = useResource(
    (signal) => api.get<ModelVersion[]>(`/federations/${id}/models`, signal),
    [federationId],
    refresh,
  );
  // Open the stream before the start, so round 1's first batches are not missed.
  const progress = useTrainingProgress(api, federationId, principal.role !== 'auditor' && running);
  const points = useMemo(() => accuracyPoints(models.data ?? []), [models.data]);

  return (
    <section aria-labelledby="federation-title">
      <p>
        <a href={href('federations')}>← Federations</a>
      </p>
      <Loaded resource={federation} what={`federation ${federationId}`}>
        {(fed) => (
          <>
            <div class="title-row">
              <h1 id="federation-title">{fed.name}</h1>
              <span
                class={`badge ${status.data?.status ?? fed.status}`}
                data-testid="federation-status"
              >
                {status.data?.status ?? fed.status}
              </span>
            </div>
            <dl class="facts">
              <dt>Id</dt>
              <dd>{fed.id}</dd>
              <dt>Created by</dt>
              <dd>{fed.creatorMsp}</dd>
              <dt>Round</dt>
              <dd data-testid="current-round">
                {fed.currentRound} / {fed.rounds}
              </dd>
              <dt>Strategy</dt>
              <dd>{fed.strategy.name}</dd>
              <dt>Participants</dt>
              <dd>{fed.participants.join(', ')}</dd>
              <dt>Invited</dt>
              <dd>{fed.invitedOrgs.join(', ') || '—'}</dd>
            </dl>
            <FederationActions session={session} federation={fed} onDone={federation.reload} />
            <h2>Round progress</h2>
            <p class="muted">
              This gateway streams its own training batch by batch; the other orgs’ progress is what
              the ledger records (their submissions).
            </p>
            <Loaded resource={status} what="round status">
              {(s) => <RoundProgress status={s} own={principal.org} progress={progress.latest} />}
            </Loaded>
            {progress.error && progress.error.status !== 403 && (
              <ErrorBox error={progress.error} title="Live training progress is interrupted" />
            )}
            <h2>Accuracy</h2>
            <Loaded resource={models} what="model versions">
              {() =>
                points.length === 0 ? (
                  <p class="state empty">
                    No evaluation recorded yet: the first point appears once round 1 is aggregated
                    and evaluated.
                  </p>
                ) : null
              }
            </Loaded>
            <AccuracyChart points={points} orgs={fed.participants} rounds={fed.rounds} />
            <h2>Model versions</h2>
            <Loaded resource={models} what="model versions" isEmpty={(items) => items.length === 0}>
              {(items) => <VersionsTable federationId={fed.id} versions={items} />}
            </Loaded>
            {fed.incentives !== undefined && (
              <Contributions api={api} federation={fed} refreshMs={refresh} />
            )}
            {principal.role !== 'scientist' && (
              <p>
                <a href={href('audit', fed.id)}>Audit timeline of this federation →</a>
              </p>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}

function RoundProgress({
  status,
  own,
  progress,
}: {
  status: FederationStatus;
  own: string;
  progress: TrainingProgress | undefined;
}) {
  if (status.round === null && progress === undefined)
    return (
      <p class="state empty">Not started: round 1 opens when the creator starts the federation.</p>
    );
  const round = status.round?.round ?? 0;
  const submitted = new Set(status.submissions.map((s) => s.mspId));
  return (
    <div class="table-wrap">
      <table class="round-progress" data-round={round}>
        <caption>
          {status.round ? `Round ${round}: ${status.round.status}` : 'Round 1 opening'}
          {status.round?.deadline ? ` (deadline ${time(status.round.deadline)})` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Org</th>
            <th scope="col">Progress</th>
          </tr>
        </thead>
        <tbody>
          {status.participants.map((org) => {
            // The stream runs ahead of the ledger reads: a batch of the next round, or of this round before its submission shows.
            const ahead =
              progress !== undefined &&
              (progress.round > round || (progress.round === round && !submitted.has(org)));
            const live = org === own && ahead ? progress : undefined;
            const update = live ? undefined : status.submissions.find((s) => s.mspId === org);
            const fraction = live
              ? ((live.epoch - 1) * live.batches + live.batch) / (live.epochs * live.batches)
              : update
                ? 1
                : 0;
            return (
              <tr data-org={org}>
                <th scope="row">{org}</th>
                <td>
                  <progress max={1} value={fraction} aria-label={`${org} training progress`} />{' '}
                  {update
                    ? `submitted (${update.numSamples} samples, digest ${short(update.digest)})`
                    : live
                      ? `training: epoch ${live.epoch}/${live.epochs}, batch ${live.batch}/${live.batches}, loss ${live.loss.toFixed(3)}`
                      : status.status === 'running'
                        ? 'training…'
                        : '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function VersionsTable({
  federationId,
  versions,
}: {
  federationId: string;
  versions: ModelVersion[];
}) {
  return (
    <div class="table-wrap">
      <table class="versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Round</th>
            <th scope="col">Model hash</th>
            <th scope="col">Accuracy (mean)</th>
            <th scope="col">Approvals</th>
            <th scope="col">Deployed</th>
          </tr>
        </thead>
        <tbody>
          {[...versions]
            .sort((a, b) => a.version - b.version)
            .map((v) => {
              const acc = accuracyPoints([v])[0]?.consortium;
              return (
                <tr data-version={v.version}>
                  <td>
                    <a href={href('federations', federationId, 'models', v.version)}>
                      v{v.version}
                    </a>
                  </td>
                  <td>{v.round}</td>
                  <td>
                    <code title={v.modelHash}>{short(v.modelHash)}</code>
                  </td>
                  <td>{pct(acc)}</td>
                  <td>
                    {v.approvals.length} / {v.approvalsRequired}
                  </td>
                  <td>{v.deployed ? 'yes' : 'no'}</td>
                </tr>
              );
            })}
        </tbody>
      </table>
    </div>
  );
}

/** Accept (an invited org) and start (the creator), for admins; each sent once per click. */
function FederationActions({
  session,
  federation,
  onDone,
}: {
  session: Session;
  federation: Federation;
  onDone: () => void;
}) {
  const { api, principal } = session;
  const id = seg(federation.id);
  const [datasetId, setDatasetId] = useState('');
  const datasets = useResource(
    (signal) =>
      principal.role === 'admin' ? api.get<Dataset[]>('/datasets', signal) : Promise.resolve([]),
    [],
  );
  const accept = useAction(() =>
    api.post<Federation>(`/federations/${id}/accept`, datasetId ? { datasetId } : {}),
  );
  const start = useAction(() => api.post<Federation>(`/federations/${id}/start`, {}));
  if (principal.role !== 'admin' || federation.status !== 'pending') return null;
  const invited =
    federation.invitedOrgs.includes(principal.org) &&
    !federation.participants.includes(principal.org);
  const creator = federation.creatorMsp === principal.org;
  return (
    <div class="panel">
      {invited && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void accept.run().then((accepted) => {
              if (accepted) onDone();
            });
          }}
        >
          <label for="accept-dataset">Train on local dataset</label>{' '}
          <select
            id="accept-dataset"
            value={datasetId}
            onChange={(e) => {
              setDatasetId(e.currentTarget.value);
            }}
          >
            <option value="">(choose)</option>
            {(datasets.data ?? []).map((d) => (
              <option value={d.id}>{d.id}</option>
            ))}
          </select>{' '}
          <button type="submit" id="accept-invitation" disabled={accept.pending || accept.blocked}>
            Accept invitation
          </button>
          {accept.error && <ErrorBox error={accept.error} title="Not accepted" />}
        </form>
      )}
      {creator && (
        <div>
          <button
            type="button"
            id="start-federation"
            disabled={start.pending || start.blocked}
            onClick={() => {
              void start.run().then((started) => {
                if (started) onDone();
              });
            }}
          >
            Start federation
          </button>{' '}
          <span class="muted" data-testid="joined">
            {federation.participants.length} of {federation.minParticipants} participants needed
            have joined.
          </span>
          {start.error && <ErrorBox error={start.error} title="Not started" />}
        </div>
      )}
    </div>
  );
}
