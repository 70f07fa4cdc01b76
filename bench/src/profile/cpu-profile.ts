/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) that a summary needs. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  /** Microseconds since the previous sample, one per sample. */
  timeDeltas: number[];
}

export interface FunctionCost {
  /** `name (file:line)`; anonymous functions and V8 internals keep V8's own labels. */
  name: string;
  selfMs: number;
  /** Time with the function anywhere on the stack (each sample counted once per function). */
  totalMs: number;
  selfShare: number;
}

export interface CategoryCost {
  category: string;
  selfMs: number;
  selfShare: number;
}

/**
 * Where a frame's code comes from: an npm package (scope/name), `wasm` for WebAssembly functions,
 * `fedledger/<pkg>` for this repo, `node` for Node internals, or V8's own label ((garbage collector), …).
 */
export function frameCategory(callFrame: { functionName: string; url: string }): string {
  const { url, functionName } = callFrame;
  if (
    url.startsWith('wasm://') ||
    functionName.startsWith('wasm-function') ||
    functionName.startsWith('$')
  ) {
    return 'wasm';
  }
  const inModules = url.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const parts = url.slice(inModules + 'node_modules/'.length).split('/');
    return (parts[0]?.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
  }
  const repo = /\/(core|chaincode|gateway|bench)\/dist\//.exec(url);
  if (repo !== null) {
    return `fedledger/${repo[1]}`;
  }
  if (url.startsWith('node:')) {
    return 'node';
  }
  return url === '' ? functionName : url;
}

/** Self time per {@link frameCategory}, largest first. */
export function summarizeCategories(profile: CpuProfile): CategoryCost[] {
  const category = new Map(profile.nodes.map((node) => [node.id, frameCategory(node.callFrame)]));
  const self = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((nodeId, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    all += ms;
    const name = category.get(nodeId) ?? '?';
    self.set(name, (self.get(name) ?? 0) + ms);
  });
  return [...self.entries()]
    .map(([name, selfMs]) => ({ category: name, selfMs, selfShare: all === 0 ? 0 : selfMs / all }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

/** Self and inclusive time per function, largest self time first. */
export function summarizeProfile(profile: CpuProfile): FunctionCost[] {
  const parent = new Map<number, number>();
  const label = new Map<number, string>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url === '' ? '' : ` (${shortPath(url)}:${lineNumber + 1})`;
    label.set(node.id, `${functionName === '' ? '(anonymous)' : functionName}${file}`);
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((nodeId, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    all += ms;
    const own = label.get(nodeId) ?? '?';
    self.set(own, (self.get(own) ?? 0) + ms);
    const onStack = new Set<string>();
    for (let id: number | undefined = nodeId; id !== undefined; id = parent.get(id)) {
      onStack.add(label.get(id) ?? '?');
    }
    for (const name of onStack) {
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  });
  return [...self.entries()]
    .map(([name, selfMs]) => ({
      name,
      selfMs,
      totalMs: total.get(name) ?? selfMs,
      selfShare: all === 0 ? 0 : selfMs / all,
    }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

/** Keeps the part of a file URL after node_modules/ or the repo's package folder. */
function shortPath(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    return path.slice(inModules + 'node_modules/'.length);
  }
  const inRepo = path.search(/\/(core|chaincode|gateway|bench)\/dist\//);
  return inRepo >= 0 ? path.slice(inRepo + 1) : path;
}
