import { useEffect, useRef } from 'preact/hooks';
import { short } from '../lib/format';
import type { ModelVersion } from '../lib/types';
import { Chart, ORG_COLOURS } from './chart-setup';

interface Node {
  x: number;
  y: number;
  label: string;
  version?: number;
}

/**
 * The lineage as a graph laid out on a Chart.js scatter plot: model versions on the bottom row,
 * each linked to its parent; above each version, the updates that made it, one row per org, the
 * point's size its share in the aggregate. Clicking a version selects it (the list beside the graph
 * does the same from the keyboard).
 */
export function LineageGraph({
  versions,
  orgs,
  selected,
  onSelect,
}: {
  versions: ModelVersion[];
  orgs: string[];
  selected: number | undefined;
  onSelect: (version: number) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  useEffect(() => {
    if (!canvas.current) return;
    const sorted = [...versions].sort((a, b) => a.version - b.version);
    const byHash = new Map(sorted.map((v) => [v.modelHash, v]));
    const modelNodes: Node[] = sorted.map((v) => ({
      x: v.version,
      y: 0,
      label: `v${v.version} ${short(v.modelHash)}`,
      version: v.version,
    }));
    const edges: Array<{ from: Node; to: Node; colour: string; width: number }> = [];
    for (const v of sorted) {
      const parent = v.parentHash ? byHash.get(v.parentHash) : undefined;
      const child = modelNodes.find((n) => n.version === v.version) as Node;
      if (parent)
        edges.push({
          from: modelNodes.find((n) => n.version === parent.version) as Node,
          to: child,
          colour: '#555',
          width: 2,
        });
    }
    const contributorSets = orgs.map((org, index) => {
      const nodes: Array<Node & { weight: number }> = [];
      for (const v of sorted) {
        const contribution = v.contributors.find((c) => c.mspId === org);
        if (!contribution) continue;
        const node = {
          x: v.version - 0.5,
          y: index + 1,
          label: `${org} → v${v.version}: weight ${contribution.weight.toFixed(3)}, ${contribution.numSamples} samples${contribution.accepted ? '' : ' (rejected)'}`,
          weight: contribution.weight,
        };
        nodes.push(node);
        edges.push({
          from: node,
          to: modelNodes.find((n) => n.version === v.version) as Node,
          colour: ORG_COLOURS[index % ORG_COLOURS.length],
          width: contribution.accepted ? 1 : 0.5,
        });
      }
      return { org, index, nodes };
    });

    const chart = new Chart(canvas.current, {
      type: 'scatter',
      data: {
        datasets: [
          ...edges.map((edge) => ({
            type: 'line' as const,
            data: [edge.from, edge.to],
            borderColor: edge.colour,
            borderWidth: edge.width,
            pointRadius: 0,
            pointHitRadius: 0,
            label: '',
            showLine: true,
          })),
          ...contributorSets.map((set) => ({
            label: set.org,
            data: set.nodes,
            backgroundColor: ORG_COLOURS[set.index % ORG_COLOURS.length],
            pointRadius: set.nodes.map((n) => 3 + 10 * n.weight),
          })),
          {
            label: 'model versions',
            data: modelNodes,
            backgroundColor: modelNodes.map((n) => (n.version === selected ? '#f2b200' : '#111')),
            pointRadius: 8,
            pointHoverRadius: 10,
            pointStyle: 'rectRounded',
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: {
            type: 'linear',
            min: -0.8,
            max: Math.max(1, sorted.length - 1) + 0.3,
            title: { display: true, text: 'model version' },
            afterBuildTicks: (axis) => {
              axis.ticks = sorted.map((v) => ({ value: v.version }));
            },
          },
          y: {
            type: 'linear',
            min: -0.5,
            max: orgs.length + 0.5,
            // One labelled row per org above the row of model versions.
            afterBuildTicks: (axis) => {
              axis.ticks = [0, ...orgs.map((_, index) => index + 1)].map((value) => ({ value }));
            },
            ticks: {
              callback: (value) =>
                Number(value) === 0 ? 'models' : (orgs[Number(value) - 1] ?? ''),
            },
          },
        },
        plugins: {
          legend: { labels: { filter: (item) => item.text !== '' } },
          tooltip: { callbacks: { label: (item) => (item.raw as Node).label } },
        },
        onClick: (_event, elements, current) => {
          for (const element of elements) {
            const node = current.data.datasets[element.datasetIndex]?.data[element.index] as
              Node | undefined;
            if (node?.version !== undefined) onSelectRef.current(node.version);
          }
        },
      },
    });
    return () => {
      chart.destroy();
    };
  }, [versions, orgs, selected]);

  return (
    <div class="chart-box lineage-box">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`Lineage of ${versions.length} model versions: each version, its parent and the org updates aggregated into it`}
      />
    </div>
  );
}
