import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('meetings')
export class MeetingEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('text') title!: string;
  /** Seconds. */
  @Column('integer', { nullable: true }) duration!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** The transcript, encrypted with the owner's data key (context `transcript:<meetingId>`). */
@Entity('meeting_transcripts')
export class MeetingTranscriptEntity {
  @PrimaryColumn('uuid', { name: 'meeting_id' }) meetingId!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('bytea') ciphertext!: Buffer;
  @Column('text') source!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** Points at an encrypted blob in storage (context `recording:<meetingId>`). */
@Entity('recordings')
export class RecordingEntity {
  @PrimaryColumn('uuid', { name: 'meeting_id' }) meetingId!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('text', { name: 'storage_key' }) storageKey!: string;
  @Column('text', { name: 'content_type' }) contentType!: string;
  @Column('bigint', { name: 'byte_size' }) byteSize!: string;
  @Column('double precision', { name: 'duration_sec', nullable: true }) durationSec!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
