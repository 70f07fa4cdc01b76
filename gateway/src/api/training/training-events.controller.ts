import { Controller, type MessageEvent, Sse } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
  ApiBearerAuth,
} from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { Roles } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../../platform/common/api-error-responses';
import { TrainingService } from '../../ml/training/training.service';
import { TrainingProgressDto, toTrainingProgressDto } from './training-progress.dto';

export const TRAINING_PROGRESS_EVENT = 'training-progress';

@ApiTags('training')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@ApiExtraModels(TrainingProgressDto)
@Controller('training')
export class TrainingEventsController {
  constructor(private readonly training: TrainingService) {}

  @Sse('events')
  @Roles('admin', 'scientist')
  @ApiOperation({
    summary: `Server-Sent Events: one "${TRAINING_PROGRESS_EVENT}" event per training batch of this gateway`,
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An event stream whose data fields are TrainingProgressDto JSON',
    schema: { $ref: getSchemaPath(TrainingProgressDto) },
  })
  @ApiErrorResponses(401, 403)
  events(): Observable<MessageEvent> {
    return this.training.progress$.pipe(
      map((progress) => ({ type: TRAINING_PROGRESS_EVENT, data: toTrainingProgressDto(progress) })),
    );
  }
}
