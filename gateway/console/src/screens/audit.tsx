import { useState } from 'preact/hooks';
import { ErrorBox, Loaded } from '../components/states';
import { useAction } from '../components/use-action';
import { seg } from '../lib/api';
import { time } from '../lib/format';
import { href, navigate } from '../lib/router';
import type { Session } from '../lib/session';
import type { AuditEntry, AuditPage, Federation, KeyHistoryEntry } from '../lib/types';
import { useResource } from '../lib/use-resource';

/** The API's largest page, and how many pages the screen reads at most (the filters work on what was read). */
const PAGE_SIZE = 100;
const MAX_PAGES = 20;

/** Reads a timeline page by page, following the bookmark, up to {@link MAX_PAGES} pages. */
async function readTimeline(
  api: Session['api'],
  path: string,
  signal: AbortSignal,
): Promise<{ items: AuditEntry[]; complete: boolean }> {
  const items: AuditEntry[] = [];
  let bookmark = '';
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api.get<AuditPage>(
      `${path}?pageSize=${PAGE_SIZE}${bookmark ? `&bookmark=${encodeURIComponent(bookmark)}` : ''}`,
      signal,
    );
    items.push(...answer.items);
    if (answer.items.length < PAGE_SIZE || answer.bookmark === '') return { items, complete: true };
    bookmark = answer.bookmark;
  }
  return { items, complete: false };
}

/** The auditor's view: a federation's (or the consortium's) ledger actions with filters, and one key's history. */
export function AuditScreen({
  session,
  federationId,
}: {
  session: Session;
  federationId: string | undefined;
}) {
  const { api } = session;
  const federations = useResource(
    (signal) =>
      api
        .get<{ items: Federation[] }>('/federations?pageSize=100', signal)
        .then((page) => page.items),
    [],
  );
  const timeline = useResource(
    (signal) =>
      readTimeline(
        api,
        federationId ? `/audit/federations/${seg(federationId)}/timeline` : '/audit/timeline',
        signal,
      ),
    [federationId],
    15_000,
  );
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [text, setText] = useState('');
  const entries = timeline.data?.items ?? [];
  const actions = [...new Set(entries.map((e) => e.action))].sort();
  const actors = [...new Set(entries.map((e) => e.actorMsp))].sort();
  const shown = entries.filter(
    (e) =>
      (action === '' || e.action === action) &&
      (actor === '' || e.actorMsp === actor) &&
      (text === '' || `${e.target} ${e.txId}`.includes(text)),
  );
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">
        Audit timeline {federationId ? `of ${federationId}` : '(consortium)'}
      </h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <label for="audit-federation">Federation</label>
        <select
          id="audit-federation"
          value={federationId ?? ''}
          onChange={(e) => {
            const chosen = e.currentTarget.value;
            if (chosen) navigate('audit', chosen);
            else navigate('audit');
          }}
        >
          <option value="">(consortium-wide)</option>
          {(federations.data ?? []).map((f) => (
            <option value={f.id}>{f.id}</option>
          ))}
        </select>
        <label for="audit-action">Action</label>
        <select
          id="audit-action"
          value={action}
          onChange={(e) => {
            setAction(e.currentTarget.value);
          }}
        >
          <option value="">(all)</option>
          {actions.map((a) => (
            <option value={a}>{a}</option>
          ))}
        </select>
        <label for="audit-actor">Org</label>
        <select
          id="audit-actor"
          value={actor}
          onChange={(e) => {
            setActor(e.currentTarget.value);
          }}
        >
          <option value="">(all)</option>
          {actors.map((a) => (
            <option value={a}>{a}</option>
          ))}
        </select>
        <label for="audit-text">Target or tx contains</label>
        <input
          id="audit-text"
          value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
          }}
        />
      </form>
      <Loaded resource={timeline} what="audit entries" isEmpty={(read) => read.items.length === 0}>
        {(read) => (
          <>
            {!read.complete && (
              <p class="state note">Showing the first {entries.length} entries.</p>
            )}
            <Timeline entries={shown} total={entries.length} federationId={federationId} />
          </>
        )}
      </Loaded>
      <KeyHistory key={federationId ?? ''} session={session} federationId={federationId} />
    </section>
  );
}

function Timeline({
  entries,
  total,
  federationId,
}: {
  entries: AuditEntry[];
  total: number;
  federationId: string | undefined;
}) {
  return (
    <div class="table-wrap">
      <table class="timeline">
        <caption>
          {entries.length} of {total} entries
          {federationId ? (
            <>
              {' '}
              · <a href={href('federations', federationId, 'models')}>model lineage →</a>
            </>
          ) : null}
        </caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Org</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Transaction</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr data-action={e.action}>
              <td>{time(e.timestamp)}</td>
              <td>{e.actorMsp}</td>
              <td>{e.action}</td>
              <td>{e.target}</td>
              <td>
                <code class="hash">{e.txId}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The public-state object types the chaincode's GetKeyHistory answers for (chaincode/src/state/keys.ts). */
const KEY_TYPES = [
  'fl.federation',
  'fl.participant',
  'fl.round',
  'fl.update',
  'fl.modelVersion',
  'fl.evaluation',
  'fl.approval',
  'fl.prediction',
  'fl.modelHash',
  'fl.modelHashVersion',
  'fl.consortium',
  'fl.roleChange',
];

/** GetHistoryForKey for one ledger key: every value it ever had, by transaction. */
function KeyHistory({
  session,
  federationId,
}: {
  session: Session;
  federationId: string | undefined;
}) {
  const [objectType, setObjectType] = useState('fl.federation');
  const [attributes, setAttributes] = useState(federationId ?? '');
  const history = useAction((type: string, attrs: string) =>
    session.api.get<KeyHistoryEntry[]>(
      `/audit/history/${seg(type)}?attributes=${encodeURIComponent(attrs)}`,
    ),
  );
  return (
    <div class="panel key-history">
      <h2>Key history</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void history.run(objectType, attributes);
        }}
      >
        <label for="history-type">Object type</label>
        <select
          id="history-type"
          value={objectType}
          onChange={(e) => {
            setObjectType(e.currentTarget.value);
          }}
        >
          {KEY_TYPES.map((type) => (
            <option value={type}>{type}</option>
          ))}
        </select>
        <label for="history-attributes">
          Key attributes, in order (comma-separated; the federation id first)
        </label>
        <input
          id="history-attributes"
          value={attributes}
          onInput={(e) => {
            setAttributes(e.currentTarget.value);
          }}
        />
        <button type="submit" disabled={history.pending}>
          Show history
        </button>
      </form>
      {history.error && <ErrorBox error={history.error} title="No history" />}
      {history.result &&
        (history.result.length === 0 ? (
          <p class="state empty">That key was never written.</p>
        ) : (
          <ol class="history">
            {history.result.map((entry) => (
              <li>
                {time(entry.timestamp)} · <code class="hash">{entry.txId}</code>{' '}
                {entry.isDelete ? '(deleted)' : ''}
                <pre>{JSON.stringify(entry.value, null, 2)}</pre>
              </li>
            ))}
          </ol>
        ))}
    </div>
  );
}
