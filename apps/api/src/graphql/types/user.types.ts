import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { USER_ROLES, TEAM_MEMBER_ROLES, type TeamMemberRole, type UserRole } from '@rapport/database';

export const UserRoleEnum = Object.fromEntries(USER_ROLES.map((r) => [r, r])) as { [K in UserRole]: K };
registerEnumType(UserRoleEnum, { name: 'UserRole', description: 'Global role: individual, team_lead or admin' });
export const TeamRoleEnum = Object.fromEntries(TEAM_MEMBER_ROLES.map((r) => [r, r])) as { [K in TeamMemberRole]: K };
registerEnumType(TeamRoleEnum, { name: 'TeamRole', description: 'Role inside one team' });

@ObjectType()
export class Preferences {
  @Field(() => String, { description: 'Name the bot joins meetings with' }) botName!: string;
  @Field(() => String, { description: 'Notice the bot posts in the meeting chat when it starts recording' }) consentNotice!: string;
  @Field(() => Boolean, { description: 'True when consentNotice is the product default' }) consentNoticeIsDefault!: boolean;
  @Field(() => Boolean, { description: 'Email me when a meeting report is ready' }) notifyReportReady!: boolean;
  @Field(() => Boolean, { description: 'Email me a weekly digest (Mondays, the week before)' }) notifyWeeklyDigest!: boolean;
  @Field(() => Boolean, { description: 'Whether this server sends email at all (SMTP configured); without it the choices above wait' }) emailDelivery!: boolean;
  @Field(() => Date, { nullable: true, description: 'When onboarding was finished' }) onboardedAt!: Date | null;
}

@ObjectType()
export class TeamMembership {
  @Field(() => ID) teamId!: string;
  @Field(() => String) teamName!: string;
  @Field(() => TeamRoleEnum) role!: TeamMemberRole;
  @Field(() => Boolean, { description: "Whether this team's leads may see my individual figures" }) shareIndividualMetrics!: boolean;
}

@ObjectType()
export class Me {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true }) displayName!: string | null;
  @Field(() => UserRoleEnum) role!: UserRole;
  @Field(() => Int, { nullable: true, description: 'Days meetings are kept; null keeps them until deleted' }) retentionDays!: number | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => [TeamMembership]) teams!: TeamMembership[];
  @Field(() => Preferences) preferences!: Preferences;
}
