import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AppError } from '@rapport/common';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';
import { CurrentUser, Public, clientIp, type AuthUser } from '../common/auth.decorators';
import { AuthService } from './auth.service';
import { LoginDto, RefreshDto, RegisterDto, TokenPairDto } from './dto/auth.dto';
import { REFRESH_COOKIE, SESSION_MODE_HEADER, refreshCookieFrom, refreshCookieOptions, wantsCookieSession } from './refresh-cookie';

class LogoutDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) refreshToken?: string;
}

const SESSION_HEADER_DOC = {
  name: SESSION_MODE_HEADER,
  required: false,
  description: '"cookie": keep the refresh token in an HttpOnly cookie (browsers) instead of the response body',
};

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('register')
  async register(@Body() body: RegisterDto) {
    const user = await this.auth.register(body.email, body.password);
    return { id: user.id, email: user.email, role: user.role, createdAt: user.createdAt };
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiHeader(SESSION_HEADER_DOC)
  @ApiOkResponse({ type: TokenPairDto })
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenPairDto> {
    const pair = await this.auth.login(body.email, body.password, { ip: clientIp(req), userAgent: req.headers['user-agent'] ?? null });
    return this.deliver(pair, req, res);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiHeader(SESSION_HEADER_DOC)
  @ApiOkResponse({ type: TokenPairDto })
  async refresh(@Body() body: RefreshDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenPairDto> {
    const token = body.refreshToken ?? refreshCookieFrom(req);
    if (!token) {
      throw new AppError('bad_request', 'refresh_token_required', `Send refreshToken in the body, or the ${SESSION_MODE_HEADER}: cookie header with the session cookie`);
    }
    const pair = await this.auth.refresh(token, { ip: clientIp(req), userAgent: req.headers['user-agent'] ?? null });
    return this.deliver(pair, req, res);
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  @ApiHeader(SESSION_HEADER_DOC)
  async logout(@CurrentUser() user: AuthUser, @Body() body: LogoutDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(user, body.refreshToken ?? refreshCookieFrom(req) ?? undefined);
    if (wantsCookieSession(req)) res.clearCookie(REFRESH_COOKIE, { ...refreshCookieOptions(this.config), maxAge: undefined });
  }

  /** Cookie sessions get the refresh token as an HttpOnly cookie and not in the body. */
  private deliver(pair: TokenPairDto, req: Request, res: Response): TokenPairDto {
    if (!wantsCookieSession(req)) return pair;
    res.cookie(REFRESH_COOKIE, pair.refreshToken, refreshCookieOptions(this.config));
    const { refreshToken: _inCookie, ...rest } = pair;
    return rest;
  }
}
