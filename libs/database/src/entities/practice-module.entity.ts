import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const PRACTICE_MODULE_TYPES = ['filler_words', 'pacing', 'conciseness', 'active_listening', 'questioning', 'turn_taking'] as const;
export type PracticeModuleType = (typeof PRACTICE_MODULE_TYPES)[number];
export const PRACTICE_DIFFICULTIES = ['beginner', 'intermediate', 'advanced'] as const;
export type PracticeDifficulty = (typeof PRACTICE_DIFFICULTIES)[number];
export const PRACTICE_STATUSES = ['not_started', 'started', 'completed'] as const;
export type PracticeStatus = (typeof PRACTICE_STATUSES)[number];

@Entity('practice_modules')
export class PracticeModuleEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('uuid', { name: 'source_analysis_id', nullable: true }) sourceAnalysisId!: string | null;
  @Column({ type: 'enum', enum: PRACTICE_MODULE_TYPES, enumName: 'practice_module_type', name: 'module_type' }) moduleType!: PracticeModuleType;
  @Column('text') title!: string;
  @Column('jsonb', { default: [] }) exercises!: unknown[];
  /** Minutes. */
  @Column('integer', { name: 'estimated_duration' }) estimatedDuration!: number;
  @Column({ type: 'enum', enum: PRACTICE_DIFFICULTIES, enumName: 'practice_difficulty' }) difficulty!: PracticeDifficulty;
  @Column({ type: 'enum', enum: PRACTICE_STATUSES, enumName: 'practice_status', default: 'not_started' }) status!: PracticeStatus;
  @Column('integer', { default: 0 }) attempts!: number;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
