import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { AuthUser } from '../common/auth.decorators';

/** The signed-in user of a GraphQL request (set on the request by the global AuthGuard). */
export const GqlUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const req = GqlExecutionContext.create(ctx).getContext<{ req: { user?: AuthUser } }>().req;
  if (!req.user) throw new Error('GqlUser used on a public resolver');
  return req.user;
});
