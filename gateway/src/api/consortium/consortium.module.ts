import { Module } from '@nestjs/common';
import { ConsortiumController } from './consortium.controller';
import { ConsortiumService } from './consortium.service';

@Module({ controllers: [ConsortiumController], providers: [ConsortiumService] })
export class ConsortiumModule {}
