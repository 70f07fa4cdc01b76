import { ApiProperty } from '@nestjs/swagger';

export class LedgerHealthDto {
  @ApiProperty({
    description: 'The peer answered a query (a NOT_FOUND answer counts: the ledger is reachable)',
  })
  reachable!: boolean;

  @ApiProperty({ enum: ['fabric', 'in-process'] })
  mode!: string;

  @ApiProperty({ nullable: true, type: String, description: 'Error code when unreachable' })
  error!: string | null;
}

export class TrainingBackendsDto {
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'wasm',
    description: 'Backend of the portable worker (small dense models): wasm, else cpu',
  })
  portable!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'tensorflow',
    description:
      'Backend of the native worker (convolutional and large models); null when not available',
  })
  native!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['cpu', 'gpu'],
    description: 'Device of the native backend',
  })
  nativeDevice!: 'cpu' | 'gpu' | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why the native backend is not available (what to run to get it)',
  })
  nativeUnavailable!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why a GPU is not used although a driver or a GPU build is present',
  })
  gpuNotUsed!: string | null;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] })
  status!: 'ok' | 'degraded';

  @ApiProperty({ example: 'Org1MSP' })
  org!: string;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty({
    example: 'tensorflow',
    description:
      'Best TensorFlow.js backend this gateway has: tensorflow when the native one runs, else wasm',
  })
  tfBackend!: string;

  @ApiProperty({
    example: '/srv/fedledger/org1/data',
    description:
      'Absolute data directory: CSV files to register as datasets go here (POST /datasets takes paths relative to it)',
  })
  dataDir!: string;
  @ApiProperty({
    type: TrainingBackendsDto,
    description: 'Both training workers; each federation trains on the one its model needs',
  })
  tfBackends!: TrainingBackendsDto;

  @ApiProperty({ type: LedgerHealthDto })
  ledger!: LedgerHealthDto;
}

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}
