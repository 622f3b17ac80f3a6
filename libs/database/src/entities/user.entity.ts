import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const USER_ROLES = ['individual', 'team_lead', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') email!: string;
  @Column('text', { name: 'password_hash' }) passwordHash!: string;
  @Column({ type: 'enum', enum: USER_ROLES, enumName: 'user_role', default: 'individual' }) role!: UserRole;
  @Column('text', { name: 'display_name', nullable: true }) displayName!: string | null;
  /** null means "keep forever". */
  @Column('integer', { name: 'retention_days', nullable: true }) retentionDays!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
