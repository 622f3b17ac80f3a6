import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BotsRepository } from '@rapport/database';
import { BotsController } from './bots.controller';
import { BotsService } from './bots.service';

@Module({
  controllers: [BotsController],
  providers: [BotsService, { provide: BotsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new BotsRepository(ds) }],
})
export class BotsModule {}
