import type { FederationSpec } from '@fedledger/core';
import { ID_PATTERN, MAX_COUNTER, MSP_ID_PATTERN } from './arguments';
import { readDataSchema } from './data-schema';
import { readFeatureScaling } from './feature-scaling';
import { readIncentives } from './incentives';
import type { FieldReader } from './field-reader';
import { readPrivacyConfig } from './privacy-config';
import { readStrategyConfig } from './strategy-config';
import { readWeightsPath } from './weights-path';

/** Upper bounds that keep one federation record well below Fabric's practical value sizes. */
export const SPEC_LIMITS = {
  nameChars: 200,
  descriptionChars: 4000,
  topologyChars: 1024 * 1024,
  columns: 4096,
  invitedOrgs: 64,
  roundDeadlineSeconds: 365 * 24 * 3600,
  maxUpdateBytes: 64 * 1024 * 1024,
  /** Weight tensors and their rank: the shapes are stored in the federation record read by every transaction. */
  tensors: 4096,
  tensorRank: 8,
} as const;

/**
 * Reads every field of a federation spec (creator's argument or stored record). Cross-field rules
 * that need ledger state (invited orgs are members, topology hash) are checked by the contract.
 */
export function readFederationSpec(r: FieldReader): FederationSpec {
  const model = r.object('modelSpec');
  const modelSpec = {
    format: model.literal('format', ['tfjs-layers'] as const),
    topology: model.string('topology', { min: 1, max: SPEC_LIMITS.topologyChars }),
    topologyHash: model.hex64('topologyHash'),
  };
  model.done();
  const hyper = r.object('hyperParameters');
  const hyperParameters = {
    epochs: hyper.integer('epochs', { min: 1, max: 10_000 }),
    batchSize: hyper.integer('batchSize', { min: 1, max: 1_000_000 }),
    learningRate: hyper.number('learningRate', { min: Number.MIN_VALUE, max: 1000 }),
    proximalMu: hyper.optionalNumber('proximalMu', { min: 0, max: 1000 }),
  };
  hyper.done();
  const invitedOrgs = r.stringArray('invitedOrgs', {
    max: SPEC_LIMITS.invitedOrgs,
    unique: true,
    pattern: MSP_ID_PATTERN,
  });
  const spec: FederationSpec = {
    id: r.string('id', {
      pattern: ID_PATTERN,
      patternHint: "1-64 letters, digits, '.', '_' or '-' starting with a letter or digit",
    }),
    name: r.string('name', { min: 1, max: SPEC_LIMITS.nameChars }),
    description: r.optionalString('description', { max: SPEC_LIMITS.descriptionChars }),
    modelSpec,
    featureColumns: r.stringArray('featureColumns', {
      min: 1,
      max: SPEC_LIMITS.columns,
      unique: true,
    }),
    labelColumn: r.string('labelColumn', { min: 1, max: 256 }),
    hyperParameters,
    strategy: readStrategyConfig(r.raw('strategy'), 'strategy', r.code),
    invitedOrgs,
    minParticipants: r.integer('minParticipants', { min: 1, max: 1 + invitedOrgs.length }),
    roundDeadlineSeconds: r.integer('roundDeadlineSeconds', {
      min: 1,
      max: SPEC_LIMITS.roundDeadlineSeconds,
    }),
    rounds: r.integer('rounds', { min: 1, max: MAX_COUNTER }),
    maxUpdateBytes: r.optionalInteger('maxUpdateBytes', {
      min: 1,
      max: SPEC_LIMITS.maxUpdateBytes,
    }),
  };
  const featureScaling = readFeatureScaling(r, spec.featureColumns.length);
  if (featureScaling !== undefined) spec.featureScaling = featureScaling;
  const dataSchema = readDataSchema(r, spec);
  if (dataSchema !== undefined) spec.dataSchema = dataSchema;
  const incentives = readIncentives(r);
  if (incentives !== undefined) spec.incentives = incentives;
  const privacy = readPrivacyConfig(r, spec);
  if (privacy !== undefined) spec.privacy = privacy;
  readWeightsPath(r, spec);
  // Contribution scores evaluate individual updates; under secure aggregation none exists (ADR 0018).
  if (spec.incentives !== undefined && spec.privacy?.secureAggregation === true) {
    r.fail(
      'incentives',
      'cannot be combined with privacy.secureAggregation: contribution scores need individual updates, which secure aggregation never reveals (ADR 0018)',
    );
  }
  if (spec.featureColumns.includes(spec.labelColumn)) {
    r.fail(
      'labelColumn',
      `must not also be a feature column (${JSON.stringify(spec.labelColumn)})`,
    );
  }
  return spec;
}
