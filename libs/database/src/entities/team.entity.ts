import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('teams')
export class TeamEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

export const TEAM_MEMBER_ROLES = ['lead', 'member'] as const;
export type TeamMemberRole = (typeof TEAM_MEMBER_ROLES)[number];

@Entity('team_memberships')
export class TeamMembershipEntity {
  @PrimaryColumn('uuid', { name: 'team_id' }) teamId!: string;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId!: string;
  @Column({ type: 'enum', enum: TEAM_MEMBER_ROLES, enumName: 'team_member_role', default: 'member' }) role!: TeamMemberRole;
  /** A member's individual figures reach their leads only when they opt in. */
  @Column('boolean', { name: 'share_individual_metrics', default: false }) shareIndividualMetrics!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
