import { ApiProperty } from '@nestjs/swagger';
import type { TrainingProgress } from '../../ml/training/training.service';

/** The `data` of one `training-progress` Server-Sent Event. */
export class TrainingProgressDto {
  @ApiProperty() jobId!: string;
  @ApiProperty() federationId!: string;
  @ApiProperty() round!: number;
  @ApiProperty({ description: '1-based' }) epoch!: number;
  @ApiProperty() epochs!: number;
  @ApiProperty({ description: '1-based batch within the epoch' }) batch!: number;
  @ApiProperty() batches!: number;
  @ApiProperty({ description: 'Mean training loss over the epoch’s batches so far' }) loss!: number;
}

/** Maps a training progress report to its DTO. */
export function toTrainingProgressDto(progress: TrainingProgress): TrainingProgressDto {
  return {
    jobId: progress.jobId,
    federationId: progress.federationId,
    round: progress.round,
    epoch: progress.epoch,
    epochs: progress.epochs,
    batch: progress.batch,
    batches: progress.batches,
    loss: progress.loss,
  };
}
