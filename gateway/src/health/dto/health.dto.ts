import { ApiProperty } from '@nestjs/swagger';

export class LedgerHealthDto {
  @ApiProperty({ description: 'The peer answered a query (a NOT_FOUND answer counts: the ledger is reachable)' })
  reachable!: boolean;

  @ApiProperty({ enum: ['fabric', 'in-process'] })
  mode!: string;

  @ApiProperty({ nullable: true, type: String, description: 'Error code when unreachable' })
  error!: string | null;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] })
  status!: 'ok' | 'degraded';

  @ApiProperty({ example: 'Org1MSP' })
  org!: string;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty({ example: 'wasm', description: 'TensorFlow.js backend in use' })
  tfBackend!: string;

  @ApiProperty({ example: '/srv/fedledger/org1/data', description: 'Absolute data directory: CSV files to register as datasets go here (POST /datasets takes paths relative to it)' })
  dataDir!: string;

  @ApiProperty({ type: LedgerHealthDto })
  ledger!: LedgerHealthDto;
}

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}
