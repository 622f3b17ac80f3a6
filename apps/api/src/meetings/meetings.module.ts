import { Module } from '@nestjs/common';
import { ApiQueuesModule } from '../admin-queues/queues.module';
import { AuthModule } from '../auth/auth.module';
import { MeetingsController } from './meetings.controller';
import { MeetingsService } from './meetings.service';
import { NotificationsController } from './notifications.controller';
import { RecordingStreamService } from './recording-stream.service';

@Module({
  imports: [ApiQueuesModule, AuthModule],
  controllers: [MeetingsController, NotificationsController],
  providers: [MeetingsService, RecordingStreamService],
})
export class MeetingsModule {}
