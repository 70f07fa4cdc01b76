import type { FeatureScaling } from '@fedledger/core';
import type { DatasetsService } from '../../ml/datasets/datasets.service';
import { scalingFromStandardizer } from '../../ml/datasets/feature-scaling';
import { selectColumns } from '../../ml/datasets/prepared-dataset';
import { RequestValidationError } from '../../platform/errors/request-validation.error';
import type { CreateFederationDto, FeatureScalingInputDto } from './dto/create-federation.dto';

/**
 * The scaling a new federation records. Absent input defaults to `fromDataset` when a dataset is
 * bound, so federations are consistent by default; with neither, the federation has none (each org
 * then standardises with its own statistics, as federations created before the field did).
 * `fromDataset` takes the bound dataset's training-split mean and standard deviation per feature
 * column. 400 INVALID_ARGUMENT (RequestValidationError) for a request that cannot be honoured;
 * the dataset's own errors (NOT_FOUND, FAILED_PRECONDITION, INVALID_ARGUMENT for missing columns) pass through.
 */
export async function resolveFeatureScaling(
  dto: Pick<CreateFederationDto, 'featureScaling' | 'datasetId'> & {
    featureColumns: string[];
    labelColumn: string;
  },
  datasets: DatasetsService,
): Promise<FeatureScaling | undefined> {
  const requested: FeatureScalingInputDto | undefined =
    dto.featureScaling ?? (dto.datasetId !== undefined ? { fromDataset: true } : undefined);
  if (requested === undefined) return undefined;
  const { fromDataset, center, scale } = requested;
  if (fromDataset === true) {
    if (center !== undefined || scale !== undefined) {
      throw new RequestValidationError([
        {
          field: 'featureScaling',
          problems: [
            'give either featureScaling.fromDataset or featureScaling.center and .scale, not both',
          ],
        },
      ]);
    }
    if (dto.datasetId === undefined) {
      throw new RequestValidationError([
        {
          field: 'featureScaling.fromDataset',
          problems: ['featureScaling.fromDataset needs a datasetId to compute the scaling from'],
        },
      ]);
    }
    const dataset = selectColumns(
      await datasets.load(dto.datasetId),
      dto.featureColumns,
      dto.labelColumn,
      dto.datasetId,
    );
    return scalingFromStandardizer(dataset.standardizer);
  }
  const columns = dto.featureColumns.length;
  const problems = (['center', 'scale'] as const)
    .map((field) => ({ field, length: requested[field]?.length ?? 0 }))
    .filter(({ length }) => length !== columns)
    .map(({ field, length }) => ({
      field: `featureScaling.${field}`,
      problems: [
        `featureScaling.${field} must have one number per feature column (${columns}), got ${length}`,
      ],
    }));
  if (problems.length > 0 || center === undefined || scale === undefined)
    throw new RequestValidationError(problems);
  return { center: [...center], scale: [...scale] };
}
