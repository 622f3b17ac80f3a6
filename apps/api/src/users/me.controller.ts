import { Body, Controller, Delete, Get, HttpCode, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth.decorators';
import { UpdateMeDto } from './dto/me.dto';
import { MeService } from './me.service';

@ApiTags('me')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get()
  get(@CurrentUser() user: AuthUser) {
    return this.me.get(user.id, user.account);
  }

  @Patch()
  update(@CurrentUser() user: AuthUser, @Body() body: UpdateMeDto) {
    return this.me.update(user, body);
  }

  /** Everything we hold about me, as JSON. */
  @Get('export')
  export(@CurrentUser() user: AuthUser) {
    return this.me.export(user.id);
  }

  /** Deletes the account and all its data: key first (crypto-shredding), then files and rows. */
  @Delete()
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthUser): Promise<void> {
    await this.me.delete(user);
  }
}
