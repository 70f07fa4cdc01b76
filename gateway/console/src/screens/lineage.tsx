import { LineageGraph } from '../charts/lineage-graph';
import { ErrorBox, Loaded } from '../components/states';
import { useAction } from '../components/use-action';
import { seg } from '../lib/api';
import { pct, time } from '../lib/format';
import { href, navigate } from '../lib/router';
import type { Session } from '../lib/session';
import type { Federation, ModelVersion } from '../lib/types';
import { useResource } from '../lib/use-resource';
import { Downloads } from './downloads';
import { PredictionForm } from './prediction-form';

/** A federation's model lineage: the graph, then one version's hashes, contributors, evaluations, approvals and uses. */
export function LineageScreen({
  session,
  federationId,
  version,
}: {
  session: Session;
  federationId: string;
  version: number | undefined;
}) {
  const { api } = session;
  const id = seg(federationId);
  const federation = useResource(
    (signal) => api.get<Federation>(`/federations/${id}`, signal),
    [federationId],
  );
  const versions = useResource(
    (signal) => api.get<ModelVersion[]>(`/federations/${id}/models`, signal),
    [federationId],
    10_000,
  );
  return (
    <section aria-labelledby="lineage-title">
      <p>
        <a href={href('federations', federationId)}>← Federation {federationId}</a>
      </p>
      <h1 id="lineage-title">Model lineage of {federationId}</h1>
      <Loaded resource={versions} what="model versions" isEmpty={(items) => items.length === 0}>
        {(items) => {
          const sorted = [...items].sort((a, b) => a.version - b.version);
          const selected = sorted.find((v) => v.version === version) ?? sorted.at(-1);
          return (
            <div class="lineage">
              <LineageGraph
                versions={sorted}
                orgs={federation.data?.participants ?? []}
                selected={selected?.version}
                onSelect={(v) => {
                  navigate('federations', federationId, 'models', v);
                }}
              />
              <nav aria-label="Model versions" class="version-list">
                {sorted.map((v) => (
                  <a
                    href={href('federations', federationId, 'models', v.version)}
                    aria-current={v.version === selected?.version ? 'true' : undefined}
                  >
                    v{v.version}
                  </a>
                ))}
              </nav>
              {selected && (
                <VersionDetail
                  session={session}
                  federationId={federationId}
                  featureColumns={federation.data?.featureColumns ?? []}
                  version={selected}
                  versions={sorted}
                  onChanged={versions.reload}
                />
              )}
            </div>
          );
        }}
      </Loaded>
    </section>
  );
}

function VersionDetail({
  session,
  federationId,
  featureColumns,
  version,
  versions,
  onChanged,
}: {
  session: Session;
  federationId: string;
  featureColumns: string[];
  version: ModelVersion;
  versions: ModelVersion[];
  onChanged: () => void;
}) {
  const { api, principal } = session;
  const parent = versions.find((v) => v.modelHash === version.parentHash);
  const approve = useAction(() =>
    api.post<ModelVersion>(
      `/federations/${seg(federationId)}/models/${version.version}/approve`,
      {},
    ),
  );
  return (
    <article class="version-detail" data-version={version.version} aria-labelledby="version-title">
      <h2 id="version-title">Version {version.version}</h2>
      <dl class="facts">
        <dt>Round</dt>
        <dd>{version.round}</dd>
        <dt>Model hash (SHA-256 of the FLW1 weights)</dt>
        <dd>
          <code class="hash" data-testid="model-hash">
            {version.modelHash}
          </code>
        </dd>
        <dt>Parent</dt>
        <dd data-testid="parent">
          {parent ? (
            <a
              href={href('federations', federationId, 'models', parent.version)}
              data-testid="parent-link"
            >
              v{parent.version} <code class="hash">{version.parentHash}</code>
            </a>
          ) : (
            (version.parentHash ?? 'none (initial model)')
          )}
        </dd>
        <dt>Parameters</dt>
        <dd>{version.paramCount}</dd>
        <dt>Recorded</dt>
        <dd>
          {time(version.createdAt)} in transaction <code class="hash">{version.txId}</code>
        </dd>
      </dl>
      <h3>Contributors</h3>
      {version.contributors.length === 0 ? (
        <p class="state empty">The initial model has no contributors.</p>
      ) : (
        <div class="table-wrap">
          <table class="contributors">
            <thead>
              <tr>
                <th scope="col">Org</th>
                <th scope="col">Samples</th>
                <th scope="col">Weight</th>
                <th scope="col">Accepted</th>
                <th scope="col">Update digest</th>
              </tr>
            </thead>
            <tbody>
              {version.contributors.map((c) => (
                <tr>
                  <th scope="row">{c.mspId}</th>
                  <td>{c.numSamples}</td>
                  <td>{c.weight.toFixed(3)}</td>
                  <td>{c.accepted ? 'yes' : `no${c.reason ? ` (${c.reason})` : ''}`}</td>
                  <td>
                    <code class="hash">{c.digest}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Evaluations</h3>
      {version.evaluations.length === 0 ? (
        <p class="state empty">No org has recorded an evaluation of this version yet.</p>
      ) : (
        <ul>
          {version.evaluations.map((e) => (
            <li>
              {e.mspId}: accuracy {pct(e.metrics['accuracy'])} on {e.numSamples} validation rows
            </li>
          ))}
        </ul>
      )}
      <h3>Approvals and deployment</h3>
      <p data-testid="deployment">
        {version.approvals.length} of {version.approvalsRequired} approvals (
        {version.approvals.join(', ') || 'none'}); {version.deployed ? 'deployed' : 'not deployed'}.
      </p>
      {principal.role === 'admin' && !version.approvals.includes(principal.org) && (
        <button
          type="button"
          id="approve-version"
          disabled={approve.pending || approve.blocked}
          onClick={() => {
            void approve.run().then((approved) => {
              if (approved) onChanged();
            });
          }}
        >
          Approve v{version.version} for {principal.org}
        </button>
      )}
      {approve.error && <ErrorBox error={approve.error} title="Not approved" />}
      {principal.role !== 'auditor' && (
        <Downloads session={session} federationId={federationId} version={version.version} />
      )}
      {principal.role !== 'auditor' && version.deployed && (
        <PredictionForm
          session={session}
          federationId={federationId}
          version={version.version}
          featureColumns={featureColumns}
        />
      )}
    </article>
  );
}
