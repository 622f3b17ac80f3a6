import { Module } from '@nestjs/common';
import { BotStreamController } from './bot-stream.controller';
import { BotStreamRepository } from './bot-stream.repository';

@Module({ controllers: [BotStreamController], providers: [BotStreamRepository] })
export class BotsStreamModule {}
