import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '../common/auth.decorators';
import { AddMemberDto, CreateTeamDto, SetRoleDto } from './dto/team.dto';
import { TeamsService } from './teams.service';

const uuid = new ParseUUIDPipe({ version: '4', errorHttpStatusCode: 400 });

@ApiTags('teams')
@ApiBearerAuth()
@Controller('api/v1')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Roles('admin')
  @Post('teams')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateTeamDto) {
    return this.teams.create(user, body.name);
  }

  @Get('teams')
  list(@CurrentUser() user: AuthUser) {
    return this.teams.list(user);
  }

  @Get('teams/:id/members')
  members(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.teams.members(user, id);
  }

  @Roles('admin')
  @Post('teams/:id/members')
  addMember(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: AddMemberDto) {
    return this.teams.addMember(user, id, body.email, body.role ?? 'member');
  }

  @Roles('admin')
  @Delete('teams/:id/members/:userId')
  @HttpCode(204)
  async removeMember(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Param('userId', uuid) userId: string) {
    await this.teams.removeMember(user, id, userId);
  }

  @Roles('admin')
  @Delete('teams/:id')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    await this.teams.deleteTeam(user, id);
  }

  @Roles('admin')
  @Patch('users/:id/role')
  setRole(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: SetRoleDto) {
    return this.teams.setRole(user, id, body.role);
  }
}
