import { Loaded } from '../components/states';
import { seg, type Api } from '../lib/api';
import { time } from '../lib/format';
import type { ContributionReport, Federation, RewardBalance, SettlementStatus } from '../lib/types';
import { useResource } from '../lib/use-resource';

interface ContributionsView {
  history: ContributionReport[];
  balances: RewardBalance[];
  /** Aggregated rounds not settled yet, with what each waits for. */
  unsettled: SettlementStatus[];
}

/**
 * A federation's contribution scores and rewards (ADR 0018) for everyone who may read them, the
 * auditor included: each settled round's Shapley value and credits per org, the balances, and for
 * every aggregated round not settled yet what it waits for (ADR 31), so a stuck round is seen here
 * and not only in a gateway's log.
 */
export function Contributions({
  api,
  federation,
  refreshMs,
}: {
  api: Api;
  federation: Federation;
  refreshMs: number;
}) {
  const id = seg(federation.id);
  // The open round is not aggregated yet; a completed federation's current round is.
  const aggregated =
    federation.status === 'completed' ? federation.currentRound : federation.currentRound - 1;
  const view = useResource<ContributionsView>(
    async (signal) => {
      const [history, balances] = await Promise.all([
        api.get<ContributionReport[]>(`/federations/${id}/contributions`, signal),
        api.get<RewardBalance[]>(`/federations/${id}/rewards`, signal),
      ]);
      const settled = new Set(history.map((report) => report.round));
      const unsettled: SettlementStatus[] = [];
      for (let round = 1; round <= aggregated; round++)
        if (!settled.has(round))
          unsettled.push(
            await api.get<SettlementStatus>(
              `/federations/${id}/rounds/${round}/settlement`,
              signal,
            ),
          );
      return { history, balances, unsettled };
    },
    [federation.id, aggregated],
    refreshMs,
  );
  const orgs = federation.participants;
  return (
    <>
      <h2>Contributions and rewards</h2>
      <p class="muted">
        Shapley value of each org’s update for the consortium’s validation score, and the credits it
        earned ({federation.incentives?.creditsPerRound ?? 0} per round).
      </p>
      <Loaded resource={view} what="contributions">
        {({ history, balances, unsettled }) => (
          <div class="table-wrap">
            <table class="contributions">
              <thead>
                <tr>
                  <th scope="col">Round</th>
                  {orgs.map((org) => (
                    <th scope="col">{org}</th>
                  ))}
                  <th scope="col">Settled</th>
                </tr>
              </thead>
              <tbody>
                {history.map((report) => (
                  <tr data-round={report.round} data-settled="true">
                    <td>{report.round}</td>
                    {orgs.map((org) => {
                      const c = report.contributions.find((entry) => entry.mspId === org);
                      return <td>{c ? `${c.shapley.toFixed(4)} · ${c.credits} credits` : '—'}</td>;
                    })}
                    <td>by {report.settledBy}</td>
                  </tr>
                ))}
                {unsettled.map((status) => (
                  <tr data-round={status.round} data-settled="false">
                    <td>{status.round}</td>
                    <td colSpan={orgs.length + 1}>{whyUnsettled(status)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Balance</th>
                  {orgs.map((org) => (
                    <td data-balance={org}>
                      {balances.find((b) => b.mspId === org)?.credits ?? 0} credits
                    </td>
                  ))}
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </Loaded>
    </>
  );
}

function whyUnsettled(status: SettlementStatus): string {
  const waiting =
    status.missing.length > 0
      ? `not settled: utilities missing from ${status.missing.join(', ')} (a majority of ${status.majorityNeeded} suffices from ${time(status.majorityFrom)})`
      : 'not settled yet: every org recorded; settling';
  const error = status.automation?.lastError;
  return error
    ? `${waiting}; this gateway's last attempt failed: ${error.code} ${error.message}`
    : waiting;
}
