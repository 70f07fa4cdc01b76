import { href, useHashPath } from '../lib/router';
import type { Session } from '../lib/session';
import type { Health, Role } from '../lib/types';
import { useResource } from '../lib/use-resource';
import { AuditScreen } from './audit';
import { CreateFederation } from './create-federation';
import { DatasetsScreen } from './datasets';
import { FederationDetail } from './federation-detail';
import { FederationsList } from './federations-list';
import { LineageScreen } from './lineage';
import { VerifyScreen } from './verify';

interface NavItem {
  path: string;
  label: string;
  roles: Role[];
}

/** What each role sees in the menu; the gateway still decides what each role may do. */
const NAV: NavItem[] = [
  { path: 'federations', label: 'Federations', roles: ['admin', 'scientist', 'auditor'] },
  { path: 'datasets', label: 'Datasets', roles: ['admin', 'scientist'] },
  { path: 'audit', label: 'Audit', roles: ['admin', 'auditor'] },
  { path: 'verify', label: 'Verify a model', roles: ['admin', 'scientist', 'auditor'] },
];

export function Shell({ session, onLogOut }: { session: Session; onLogOut: () => void }) {
  const path = useHashPath();
  const health = useResource((signal) => session.api.health(signal), [], 10_000);
  const { principal } = session;
  const section = path[0] ?? 'federations';
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span class="brand">fedledger</span>
        <nav aria-label="Main">
          {NAV.filter((item) => item.roles.includes(principal.role)).map((item) => (
            <a href={href(item.path)} aria-current={section === item.path ? 'page' : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
        <span class="who" data-role={principal.role}>
          {principal.org} · {principal.name} ({principal.role})
        </span>
        <LedgerIndicator health={health.data} failed={health.error !== undefined} />
        <button type="button" class="link" onClick={onLogOut}>
          Log out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Route path={path} session={session} />
      </main>
      <footer>
        <small>
          {health.data
            ? `gateway ${health.data.version} · ledger ${health.data.ledger.mode}${health.data.ledger.reachable ? '' : ` unreachable (${health.data.ledger.error ?? 'no answer'})`} · `
            : ''}
          <a href="/api">REST API (Swagger)</a>
        </small>
      </footer>
    </div>
  );
}

function LedgerIndicator({ health, failed }: { health: Health | undefined; failed: boolean }) {
  // Before the gateway's first answer the state is unknown: not "unreachable".
  const state = failed
    ? 'down'
    : health === undefined
      ? 'unknown'
      : health.ledger.reachable
        ? 'up'
        : 'down';
  const label = { up: 'ledger ●', down: 'ledger unreachable', unknown: 'ledger …' }[state];
  return (
    <span
      class={`ledger ${state}`}
      role="status"
      aria-label={
        { up: 'ledger reachable', down: 'ledger unreachable', unknown: 'checking the ledger' }[
          state
        ]
      }
    >
      {label}
    </span>
  );
}

function Route({ path, session }: { path: string[]; session: Session }) {
  // A short path has no id, sub-page or version.
  const section = path.at(0);
  const id = path.at(1);
  const sub = path.at(2);
  const version = path.at(3);
  switch (section) {
    case undefined:
    case 'federations':
      if (id === 'new') return <CreateFederation session={session} />;
      if (id !== undefined && sub === 'models')
        return (
          <LineageScreen
            session={session}
            federationId={id}
            version={version === undefined ? undefined : Number(version)}
          />
        );
      if (id !== undefined) return <FederationDetail session={session} federationId={id} />;
      return <FederationsList session={session} />;
    case 'datasets':
      return <DatasetsScreen session={session} />;
    case 'audit':
      return <AuditScreen session={session} federationId={id} />;
    case 'verify':
      return <VerifyScreen session={session} />;
    default:
      return (
        <p class="state empty">
          No page at #{path.join('/')}. <a href={href('federations')}>Go to the federations</a>.
        </p>
      );
  }
}
