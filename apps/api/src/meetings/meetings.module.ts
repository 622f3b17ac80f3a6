import { Module } from '@nestjs/common';
import { ApiQueuesModule } from '../admin-queues/queues.module';
import { MeetingsController } from './meetings.controller';
import { MeetingsService } from './meetings.service';
import { NotificationsController } from './notifications.controller';
import { RecordingStreamService } from './recording-stream.service';

@Module({
  imports: [ApiQueuesModule],
  controllers: [MeetingsController, NotificationsController],
  providers: [MeetingsService, RecordingStreamService],
})
export class MeetingsModule {}
