import { useEffect, useRef } from 'preact/hooks';
import { pct } from '../lib/format';
import type { AccuracyPoint } from '../lib/metrics';
import { Chart, ORG_COLOURS } from './chart-setup';

/**
 * Validation accuracy per model version: one line per org (its own validation split, as recorded on
 * the ledger by RecordEvaluation) and the consortium's sample-weighted mean. The chart is updated in
 * place as new evaluations arrive; the same numbers are in the table below it for screen readers.
 */
export function AccuracyChart({
  points,
  orgs,
  rounds,
}: {
  points: AccuracyPoint[];
  orgs: string[];
  rounds: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', Array<{ x: number; y: number }>> | undefined>(undefined);

  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new Chart(canvas.current, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: {
            type: 'linear',
            suggestedMin: 1,
            suggestedMax: rounds,
            title: { display: true, text: 'model version (round)' },
            ticks: { stepSize: 1 },
          },
          y: {
            type: 'linear',
            title: { display: true, text: 'validation accuracy' },
            ticks: { callback: (value) => pct(Number(value)) },
          },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item) => `${item.dataset.label}: ${pct(item.parsed.y ?? undefined)}`,
            },
          },
        },
      },
    });
    return () => chart.current?.destroy();
  }, []);

  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    current.data.datasets = [
      ...orgs.map((org, index) => ({
        label: org,
        data: points.flatMap((p) => {
          const y = p.byOrg[org];
          return y === undefined ? [] : [{ x: p.version, y }];
        }),
        borderColor: ORG_COLOURS[index % ORG_COLOURS.length],
        backgroundColor: ORG_COLOURS[index % ORG_COLOURS.length],
        borderWidth: 1.5,
      })),
      {
        label: 'consortium (weighted)',
        data: points.map((p) => ({ x: p.version, y: p.consortium })),
        borderColor: '#111',
        backgroundColor: '#111',
        borderWidth: 3,
      },
    ];
    current.update();
  }, [points, orgs]);

  return (
    <figure
      class="chart"
      data-points={points.length}
      data-last-version={points.at(-1)?.version ?? ''}
    >
      <div class="chart-box">
        <canvas
          ref={canvas}
          role="img"
          aria-label={`Validation accuracy per version for ${orgs.join(', ')} and the consortium`}
        />
      </div>
      <figcaption>
        Accuracy per round, per org and consortium-wide (sample-weighted), from the evaluations on
        the ledger.
      </figcaption>
      <details>
        <summary>Show as a table</summary>
        <table class="accuracy-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              {orgs.map((org) => (
                <th scope="col">{org}</th>
              ))}
              <th scope="col">Consortium</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr>
                <th scope="row">{point.version}</th>
                {orgs.map((org) => (
                  <td>{pct(point.byOrg[org])}</td>
                ))}
                <td>{pct(point.consortium)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
