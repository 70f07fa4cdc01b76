import {
  CONTRACT,
  TRANSIENT,
  TX,
  encodeFlat,
  encodedColumns,
  sha256Hex,
  type ConsortiumMember,
  type DataProfileInput,
  type DataSchema,
  type FederationSpec,
} from '@fedledger/core';
import type { InProcessLedger } from './in-process-ledger';
import type { InProcessWorld } from './in-process-world';

/** The default consortium of the network scripts: three member orgs and one auditor org. */
export const SAMPLE_ORGS = {
  org1: 'Org1MSP',
  org2: 'Org2MSP',
  org3: 'Org3MSP',
  auditor: 'AuditorMSP',
} as const;

/** The members list `InitConsortium` takes for {@link SAMPLE_ORGS} (what deployCC initialises). */
export const SAMPLE_MEMBERS: ConsortiumMember[] = [
  { mspId: SAMPLE_ORGS.org1, role: 'member' },
  { mspId: SAMPLE_ORGS.org2, role: 'member' },
  { mspId: SAMPLE_ORGS.org3, role: 'member' },
  { mspId: SAMPLE_ORGS.auditor, role: 'auditor' },
];

/** Shapes of the tiny sample model: a 2×2 kernel and a bias of 2. */
export const SAMPLE_SHAPES: number[][] = [[2, 2], [2]];

/** A minimal tfjs-layers-like topology; only its hash matters to the chaincode. */
export const SAMPLE_TOPOLOGY = JSON.stringify({
  class_name: 'Sequential',
  config: { layers: [{ class_name: 'Dense', config: { units: 2 } }] },
});

/** A valid federation spec between Org1 (creator), Org2 and Org3; override any field. */
export function sampleSpec(overrides: Partial<FederationSpec> = {}): FederationSpec {
  return {
    id: 'fed-1',
    name: 'Sample federation',
    modelSpec: {
      format: 'tfjs-layers',
      topology: SAMPLE_TOPOLOGY,
      topologyHash: sha256Hex(SAMPLE_TOPOLOGY),
    },
    featureColumns: ['x1', 'x2'],
    labelColumn: 'y',
    hyperParameters: { epochs: 1, batchSize: 8, learningRate: 0.1 },
    strategy: { name: 'fedavg' },
    invitedOrgs: [SAMPLE_ORGS.org2, SAMPLE_ORGS.org3],
    minParticipants: 2,
    roundDeadlineSeconds: 600,
    rounds: 2,
    ...overrides,
  };
}

/** Encoded weights of the sample shapes with every value equal to `value` (or given per index). */
export function sampleWeights(
  value: number | ((index: number) => number),
  shapes: number[][] = SAMPLE_SHAPES,
): Uint8Array {
  const count = shapes.reduce((total, shape) => total + shape.reduce((p, d) => p * d, 1), 0);
  const flat = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    flat[i] = typeof value === 'number' ? value : value(i);
  }
  return encodeFlat(shapes, flat);
}

/** An in-process channel with the sample consortium initialized, and a ledger per org and role. */
export interface SampleConsortium {
  world: InProcessWorld;
  admin: Record<keyof typeof SAMPLE_ORGS, InProcessLedger>;
  client: Record<keyof typeof SAMPLE_ORGS, InProcessLedger>;
  /** An org admin of an org outside the consortium. */
  outsider: InProcessLedger;
}

/** Initializes the sample consortium on a fresh `world` as Org1's admin. */
export async function initSampleConsortium(world: InProcessWorld): Promise<SampleConsortium> {
  const names = Object.keys(SAMPLE_ORGS) as (keyof typeof SAMPLE_ORGS)[];
  const ledgers = (role: 'admin' | 'client') =>
    Object.fromEntries(
      names.map((name) => [name, world.ledger({ mspId: SAMPLE_ORGS[name], role })]),
    ) as Record<keyof typeof SAMPLE_ORGS, InProcessLedger>;
  const admin = ledgers('admin');
  const members: ConsortiumMember[] = [
    { mspId: SAMPLE_ORGS.org1, role: 'member' },
    { mspId: SAMPLE_ORGS.org2, role: 'member' },
    { mspId: SAMPLE_ORGS.org3, role: 'member' },
    { mspId: SAMPLE_ORGS.auditor, role: 'auditor' },
  ];
  await admin.org1.initConsortium(members);
  return {
    world,
    admin,
    client: ledgers('client'),
    outsider: world.ledger({ mspId: 'OutsiderMSP', role: 'admin' }),
  };
}

/**
 * Submits `CreateFederation` with raw spec text (for input the typed `LedgerApi` cannot express:
 * malformed JSON, prototype keys, overflowing numbers) and the sample initial weights.
 */
export function createFederationFromText(
  world: InProcessWorld,
  ledger: InProcessLedger,
  specText: string,
): Promise<string> {
  return world.invoke(ledger.identity, {
    contract: CONTRACT.federation,
    fcn: TX.federation.CreateFederation,
    params: [specText],
    transient: { [TRANSIENT.initialWeights]: sampleWeights(0) },
    mode: 'submit',
  });
}

/**
 * A small data schema: numeric `age` in [0, 120], categorical `smoker`, label `outcome` ("yes" is
 * positive), missing tokens "", "?" and "NA", mean imputation with indicators.
 */
export function sampleSchema(overrides: Partial<DataSchema> = {}): DataSchema {
  return {
    columns: [
      { name: 'age', type: 'numeric', min: 0, max: 120 },
      { name: 'smoker', type: 'categorical', levels: ['no', 'yes'] },
      { name: 'outcome', type: 'categorical', levels: ['no', 'yes'] },
    ],
    label: { column: 'outcome', positiveValues: ['yes'] },
    missingTokens: ['', '?', 'NA'],
    imputation: { method: 'mean', indicators: true },
    ...overrides,
  };
}

/** {@link sampleSpec} with a data schema: its encoded inputs as feature columns, its label as label column. */
export function sampleSchemaSpec(
  overrides: Partial<FederationSpec> = {},
  schema: DataSchema = sampleSchema(),
): FederationSpec {
  return sampleSpec({
    featureColumns: encodedColumns(schema),
    labelColumn: schema.label.column,
    dataSchema: schema,
    ...overrides,
  });
}

/** A profile of {@link sampleSchema} data: `rows` rows, 2 ages missing, 1 smoker missing. */
export function sampleProfile(rows = 10, ageSum = 400, ageSumSquares = 20_400): DataProfileInput {
  return {
    rows,
    positives: 3,
    columns: [
      { name: 'age', type: 'numeric', missing: 2, sum: ageSum, sumSquares: ageSumSquares },
      { name: 'smoker', type: 'categorical', missing: 1, levelCounts: [rows - 4, 3] },
    ],
  };
}
