import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { AppError } from '@rapport/common';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';
import { UsersRepository } from '@rapport/database';
import { AuthModule } from '../auth/auth.module';
import { TokenService } from '../auth/token.service';
import { AppExceptionFilter } from '../common/app-exception.filter';
import { AdminQueuesController, DASHBOARD_AUDIENCE, DASHBOARD_COOKIE, DASHBOARD_PATH } from './admin-queues.controller';
import { API_QUEUES, ApiQueuesModule, type ApiQueues } from './queues.module';
import { readCookie } from '../common/cookies';


/**
 * bull-board at /admin/queues for admins only. It is an Express router outside Nest's routing,
 * so it has its own gate: the dashboard cookie (POST /api/v1/admin/queues/session) or a Bearer
 * access token, and in both cases the user must still be an admin in the database.
 */
@Module({ imports: [AuthModule, ApiQueuesModule], controllers: [AdminQueuesController] })
export class AdminQueuesModule implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(API_QUEUES) private readonly queues: ApiQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: TokenService,
    private readonly users: UsersRepository,
  ) {}

  onModuleInit(): void {
    const adapter = new ExpressAdapter();
    adapter.setBasePath(DASHBOARD_PATH);
    createBullBoard({ queues: Object.values(this.queues).map((q) => new BullAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'Rapport queues' } } });
    const filter = new AppExceptionFilter();
    const gate = (req: Request, res: Response, next: NextFunction) => {
      this.authorize(req).then(
        () => next(),
        (err: unknown) => filter.catch(err, { getType: () => 'http', switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as never),
      );
    };
    this.host.httpAdapter.getInstance<{ use: (...args: unknown[]) => void }>().use(DASHBOARD_PATH, gate, adapter.getRouter());
  }

  private async authorize(req: Request): Promise<void> {
    let userId: string | null = null;
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (bearer) {
      const claims = this.tokens.verifyAccess(bearer[1]!);
      if (claims && !(await this.tokens.isDenied(claims.jti))) userId = claims.id;
    } else {
      const token = readCookie(req, DASHBOARD_COOKIE);
      if (token) {
        try {
          const p = jwt.verify(token, this.config.JWT_SECRET, { algorithms: ['HS256'], audience: DASHBOARD_AUDIENCE, issuer: 'rapport' });
          if (typeof p !== 'string' && p.sub) userId = p.sub;
        } catch {
          /* expired or forged: treated as absent */
        }
      }
    }
    if (!userId) throw new AppError('unauthorized', 'dashboard_session_required', 'Open the queue dashboard with POST /api/v1/admin/queues/session (admins) first');
    const user = await this.users.findById(userId);
    if (!user || user.role !== 'admin') throw new AppError('forbidden', 'forbidden_role', 'The queue dashboard is for admins');
  }
}
