import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { HttpException } from '@nestjs/common';
import { AppError } from '@rapport/common';

/**
 * Renders resolver errors like the REST filter does: our `code` and message in `extensions`,
 * with the HTTP status it would have had; anything unexpected becomes `internal` without its
 * message (it may hold internals). GraphQL's own validation errors pass through.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof AppError) {
    return { ...base, message: original.message, extensions: { code: original.code, status: original.status, ...(original.details ? { details: original.details } : {}) } };
  }
  if (original instanceof HttpException) {
    const r = original.getResponse();
    const raw = typeof r === 'string' ? r : (r as { message?: unknown }).message;
    const message = Array.isArray(raw) ? raw.join('; ') : String(raw ?? original.message);
    const status = original.getStatus();
    return { ...base, message, extensions: { code: status === 400 ? 'bad_request' : status === 403 ? 'forbidden' : status === 401 ? 'unauthorized' : 'error', status } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return formatted;
  return { ...base, message: 'Something went wrong on our side; the error was logged', extensions: { code: 'internal', status: 500 } };
}
