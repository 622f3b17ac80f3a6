import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What one bot announced in one meeting, when, and to whom (imported from the bot's consent.json). */
@Entity('consent_notices')
export class ConsentNoticeEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'meeting_id' }) meetingId!: string;
  @Column('uuid', { name: 'bot_id' }) botId!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('text') channel!: string;
  @Column('text', { name: 'notice_text' }) noticeText!: string;
  /** Null when the notice could not be posted (and so nothing was recorded). */
  @Column('timestamptz', { name: 'posted_at', nullable: true }) postedAt!: Date | null;
  @Column('jsonb', { name: 'participants_present' }) participantsPresent!: string[];
  @Column('jsonb', { name: 'platform_dialogs' }) platformDialogs!: Array<{ text: string; at: string }>;
  @Column('boolean', { name: 'recording_deleted' }) recordingDeleted!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** A participant who joined after the notice was posted. */
@Entity('consent_participants')
export class ConsentParticipantEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'notice_id' }) noticeId!: string;
  @Column('text') name!: string;
  @Column('timestamptz', { name: 'seen_at' }) seenAt!: Date;
  /** When the bot posted the notice again for them; null when it did not. */
  @Column('timestamptz', { name: 'notified_at', nullable: true }) notifiedAt!: Date | null;
}

/** A participant asking, in chat, that the meeting not be recorded. */
@Entity('consent_opt_outs')
export class ConsentOptOutEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'notice_id' }) noticeId!: string;
  @Column('text', { name: 'participant_name', nullable: true }) participantName!: string | null;
  @Column('text', { name: 'message_text' }) messageText!: string;
  @Column('timestamptz') at!: Date;
}
