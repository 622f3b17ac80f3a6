import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('meeting_analyses')
export class MeetingAnalysisEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'meeting_id' }) meetingId!: string;
  /** The user this speaker is; an analysis is visible to that user only. */
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('text', { name: 'speaker_name', nullable: true }) speakerName!: string | null;
  @Column('integer', { name: 'communication_score' }) communicationScore!: number;
  @Column('jsonb', { name: 'improvement_areas', default: [] }) improvementAreas!: unknown[];
  @Column('text', { array: true, default: [] }) recommendations!: string[];
  @Column('jsonb', { default: {} }) metrics!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
