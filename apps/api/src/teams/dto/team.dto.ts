import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { TEAM_MEMBER_ROLES, USER_ROLES, type TeamMemberRole, type UserRole } from '@rapport/database';

export class CreateTeamDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)) name!: string;
}

export class AddMemberDto {
  @ApiProperty() @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)) @IsEmail() email!: string;
  @ApiPropertyOptional({ enum: TEAM_MEMBER_ROLES, default: 'member' }) @IsOptional() @IsIn(TEAM_MEMBER_ROLES) role?: TeamMemberRole;
}

export class SetRoleDto {
  @ApiProperty({ enum: USER_ROLES }) @IsIn(USER_ROLES) role!: UserRole;
}
