import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * One diarized speaker of a meeting and, once known, the user it is. The owner is proposed for
 * the speaker whose name matches theirs; a user confirms with "that's me" (claim).
 */
@Entity('meeting_speakers')
export class MeetingSpeakerEntity {
  @PrimaryColumn('uuid', { name: 'meeting_id' }) meetingId!: string;
  /** The transcript's speaker id (S1, S2...), stable across re-runs for the same name. */
  @PrimaryColumn('text', { name: 'speaker_label' }) speakerLabel!: string;
  @Column('text', { name: 'display_name' }) displayName!: string;
  @Column('uuid', { name: 'user_id', nullable: true }) userId!: string | null;
  @Column('boolean', { default: false }) confirmed!: boolean;
  @Column('double precision', { name: 'talk_time_sec', default: 0 }) talkTimeSec!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

export const PIPELINE_STEPS = ['finalize', 'transcribe', 'analyze', 'practice', 'notify'] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];
export const PIPELINE_RUN_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type PipelineRunStatus = (typeof PIPELINE_RUN_STATUSES)[number];

/** One pass of the analysis pipeline over a meeting: where it is, and why it failed. */
@Entity('pipeline_runs')
export class PipelineRunEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'meeting_id' }) meetingId!: string;
  /** The meeting owner. */
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('uuid', { name: 'bot_id', nullable: true }) botId!: string | null;
  @Column('text') reason!: 'bot_done' | 'reanalyze';
  /** Reanalyze: transcribe the recording again rather than reuse the stored transcript. */
  @Column('boolean', { default: false }) retranscribe!: boolean;
  @Column('text', { name: 'trigger_job_id', nullable: true }) triggerJobId!: string | null;
  @Column('text', { default: 'queued' }) status!: PipelineRunStatus;
  @Column('text', { default: 'finalize' }) step!: PipelineStep;
  @Column('integer', { default: 0 }) attempts!: number;
  @Column('text', { name: 'error_code', nullable: true }) errorCode!: string | null;
  @Column('text', { name: 'error_message', nullable: true }) errorMessage!: string | null;
  @Column('text', { name: 'transcript_source', nullable: true }) transcriptSource!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}

/** In-app notifications the dashboard reads; one per user, meeting and kind. */
@Entity('notifications')
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('uuid', { name: 'meeting_id', nullable: true }) meetingId!: string | null;
  @Column('text') kind!: string;
  @Column('jsonb', { default: {} }) payload!: Record<string, unknown>;
  @Column('timestamptz', { name: 'read_at', nullable: true }) readAt!: Date | null;
  /** When "your report is ready" was emailed for it; null: not (yet), or email is off. */
  @Column('timestamptz', { name: 'emailed_at', nullable: true }) emailedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
