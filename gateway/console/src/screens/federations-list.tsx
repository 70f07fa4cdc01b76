import { Loaded } from '../components/states';
import { href } from '../lib/router';
import type { Session } from '../lib/session';
import type { Federation } from '../lib/types';
import { useResource } from '../lib/use-resource';

export function FederationsList({ session }: { session: Session }) {
  const federations = useResource(
    (signal) =>
      session.api
        .get<{ items: Federation[] }>('/federations?pageSize=100', signal)
        .then((page) => page.items),
    [],
    5_000,
  );
  return (
    <section aria-labelledby="federations-title">
      <div class="title-row">
        <h1 id="federations-title">Federations</h1>
        {session.principal.role === 'admin' && (
          <a class="button" href={href('federations', 'new')}>
            New federation
          </a>
        )}
      </div>
      <Loaded
        resource={federations}
        what="federations"
        isEmpty={(items) => items.length === 0}
        empty="No federation on the ledger yet."
      >
        {(items) => (
          <div class="table-wrap">
            <table class="federations">
              <thead>
                <tr>
                  <th scope="col">Federation</th>
                  <th scope="col">Status</th>
                  <th scope="col">Round</th>
                  <th scope="col">Participants</th>
                  <th scope="col">Created by</th>
                </tr>
              </thead>
              <tbody>
                {items.map((federation) => (
                  <tr data-federation={federation.id}>
                    <td>
                      <a href={href('federations', federation.id)}>{federation.id}</a>
                      <div class="muted">{federation.name}</div>
                    </td>
                    <td>
                      <span class={`badge ${federation.status}`}>{federation.status}</span>
                    </td>
                    <td>
                      {federation.currentRound} / {federation.rounds}
                    </td>
                    <td>{federation.participants.join(', ')}</td>
                    <td>{federation.creatorMsp}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </section>
  );
}
