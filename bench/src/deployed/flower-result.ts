/** One mark the Flower ServerApp (bench/python/flower_app) writes: wall clock in seconds, the namespace's loopback bytes. */
export interface FlowerMark {
  round: number;
  /** global: the server scored round `round`'s global model; fit-done / evaluate-done: that phase's replies are in. */
  event: 'global' | 'fit-done' | 'evaluate-done';
  t: number;
  loBytes: number;
  accuracy?: number;
  loss?: number;
  trainSeconds?: number[];
  evaluateSeconds?: number[];
  failures?: number;
}

export interface FlowerResultFile {
  rounds: number;
  marks: FlowerMark[];
}

const EVENTS = new Set(['global', 'fit-done', 'evaluate-done']);

/** Parses flower-result.json, rejecting a file that does not have the shape the ServerApp writes. */
export function parseFlowerResult(text: string): FlowerResultFile {
  const value = JSON.parse(text) as Partial<FlowerResultFile>;
  if (!Number.isInteger(value.rounds) || !Array.isArray(value.marks))
    throw new Error('flower-result.json: expected {rounds, marks[]}');
  for (const mark of value.marks) {
    if (
      !Number.isInteger(mark.round) ||
      !EVENTS.has(mark.event) ||
      typeof mark.t !== 'number' ||
      !Number.isInteger(mark.loBytes)
    ) {
      throw new Error(`flower-result.json: malformed mark ${JSON.stringify(mark)}`);
    }
  }
  return value as FlowerResultFile;
}

/** A deployed Flower run per round, from the ServerApp's marks. */
export interface FlowerRounds {
  /** Global model r−1 scored → global model r scored: fit of round r plus the evaluate phase of round r−1. */
  roundSeconds: number[];
  /** Evaluate phase r−1 done (round 1: initial model scored) → fit replies of round r in. */
  fitSeconds: number[];
  /** Global model r scored → every org's evaluation of it in. */
  evaluateSeconds: number[];
  /** Mean of the orgs' own training time inside fit, per round. */
  clientTrainSeconds: number[];
  /** Held-out accuracy of the initial model, then after each round. */
  accuracyByRound: number[];
  /** Loopback bytes from global model r−1 scored to global model r scored. */
  bytesByRound: number[];
  failures: number;
}

export function flowerRounds(file: FlowerResultFile): FlowerRounds {
  const find = (round: number, event: FlowerMark['event']): FlowerMark => {
    const mark = file.marks.find((m) => m.round === round && m.event === event);
    if (mark === undefined)
      throw new Error(`flower-result.json has no ${event} mark for round ${round}`);
    return mark;
  };
  const out: FlowerRounds = {
    roundSeconds: [],
    fitSeconds: [],
    evaluateSeconds: [],
    clientTrainSeconds: [],
    accuracyByRound: [find(0, 'global').accuracy ?? Number.NaN],
    bytesByRound: [],
    failures: 0,
  };
  for (let round = 1; round <= file.rounds; round++) {
    const previous = find(round - 1, 'global');
    const fitStart = round === 1 ? previous : find(round - 1, 'evaluate-done');
    const fit = find(round, 'fit-done');
    const global = find(round, 'global');
    const evaluated = find(round, 'evaluate-done');
    out.roundSeconds.push(global.t - previous.t);
    out.fitSeconds.push(fit.t - fitStart.t);
    out.evaluateSeconds.push(evaluated.t - global.t);
    out.clientTrainSeconds.push(mean(fit.trainSeconds ?? []));
    out.accuracyByRound.push(global.accuracy ?? Number.NaN);
    out.bytesByRound.push(global.loBytes - previous.loBytes);
    out.failures += (fit.failures ?? 0) + (evaluated.failures ?? 0);
  }
  return out;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
