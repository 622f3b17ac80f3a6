import { Module } from '@nestjs/common';
import { MeetingLinksController } from './meeting-links.controller';

@Module({ controllers: [MeetingLinksController] })
export class MeetingLinksModule {}
