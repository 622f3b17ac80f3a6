import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { BOT_STATUS_CODES } from '@rapport/bot-domain';
import { MEETING_PLATFORMS, type MeetingPlatform } from '@rapport/meeting-links';

export const BOT_ROW_STATUSES = ['scheduled', ...BOT_STATUS_CODES, 'cancelled'] as const;
/** The bot-domain statuses plus the control plane's own: `scheduled` (not dispatched yet) and `cancelled`. */
export type BotRowStatus = (typeof BOT_ROW_STATUSES)[number];
/** Statuses after which a meeting may get a new bot. */
export const BOT_FINAL_STATUSES: readonly BotRowStatus[] = ['done', 'fatal', 'cancelled'];
/** Statuses of a bot whose child process should be alive (and heartbeating). */
export const BOT_LIVE_STATUSES: readonly BotRowStatus[] = ['joining_call', 'in_waiting_room', 'in_call_not_recording', 'in_call_recording', 'call_ended'];

export type MeetingPlatformColumn = MeetingPlatform;

@Entity('bots')
export class BotEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('uuid', { name: 'meeting_id' }) meetingId!: string;
  @Column('text', { name: 'meeting_url' }) meetingUrl!: string;
  @Column({ type: 'enum', enumName: 'meeting_platform', enum: [...MEETING_PLATFORMS] }) platform!: MeetingPlatformColumn;
  @Column('text', { name: 'bot_name' }) botName!: string;
  @Column('timestamptz', { name: 'join_at' }) joinAt!: Date;
  /** The validated per-bot options as the API took them ({autoLeave, consent}); defaults are filled by the bot. */
  @Column('jsonb') options!: Record<string, unknown>;
  @Column({ type: 'enum', enumName: 'bot_status', enum: BOT_ROW_STATUSES }) status!: BotRowStatus;
  @Column('text', { name: 'sub_code', nullable: true }) subCode!: string | null;
  @Column('integer') attempt!: number;
  @Column('text', { name: 'runner_id', nullable: true }) runnerId!: string | null;
  @Column('timestamptz', { name: 'heartbeat_at', nullable: true }) heartbeatAt!: Date | null;
  @Column('timestamptz', { name: 'leave_requested_at', nullable: true }) leaveRequestedAt!: Date | null;
  @Column('timestamptz', { name: 'dispatched_at', nullable: true }) dispatchedAt!: Date | null;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt!: Date | null;
  @Column('boolean', { name: 'recording_stored' }) recordingStored!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
