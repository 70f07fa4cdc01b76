import { ApiProperty } from '@nestjs/swagger';
import { API_ROLES, type ApiRole } from '../../../ledger/port/ledger.tokens';

/** Who the presented API key is: the console reads it once at log-in to decide what to show. */
export class PrincipalDto {
  @ApiProperty({ example: '3f2a9c0d1b7e4a55' }) keyId!: string;
  @ApiProperty({ example: 'jane-scientist' }) name!: string;
  @ApiProperty({ enum: API_ROLES }) role!: ApiRole;
  @ApiProperty({ example: 'Org1MSP', description: 'The org this gateway acts for' }) org!: string;
}
