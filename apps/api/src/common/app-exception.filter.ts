import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AppError } from '@rapport/common';

interface ErrorBody {
  code: string;
  message: string;
  requestId: string;
  details?: unknown;
  errorId?: string;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Renders every error as `{ code, message, requestId }`; 5xx are logged with an error id. */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    // GraphQL has no response object here: hand the error back to Apollo, whose formatError
    // (apps/api/src/graphql) renders the same { code, message } in the error's extensions.
    if (host.getType<string>() === 'graphql') return exception;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const requestId = String(req.id ?? req.headers['x-request-id'] ?? '');
    const { status, body } = this.toBody(exception, requestId);
    if (status >= 500) {
      body.errorId = randomUUID();
      this.logger.error({ err: exception, errorId: body.errorId, requestId }, 'Unhandled error');
    }
    const retryAfter = (body.details as { retryAfterSec?: unknown } | undefined)?.retryAfterSec;
    if (status === 429 && typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    if (!res.headersSent) res.status(status).json(body);
  }

  private toBody(exception: unknown, requestId: string): { status: number; body: ErrorBody } {
    if (exception instanceof AppError) {
      return {
        status: exception.status,
        body: { code: exception.code, message: exception.message, requestId, ...(exception.details ? { details: exception.details } : {}) },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const r = exception.getResponse();
      const message =
        typeof r === 'string' ? r : Array.isArray((r as { message?: unknown }).message) ? ((r as { message: string[] }).message).join('; ') : String((r as { message?: unknown }).message ?? exception.message);
      return { status, body: { code: CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'error'), message, requestId } };
    }
    // body-parser errors carry `type` and `status`.
    const bp = exception as { type?: string; status?: number; message?: string };
    if (bp && typeof bp.status === 'number' && bp.status >= 400 && bp.status < 500) {
      if (bp.type === 'entity.too.large') {
        return { status: 413, body: { code: 'payload_too_large', message: 'Request body is larger than 1 MB', requestId } };
      }
      if (bp.type === 'entity.parse.failed') {
        return { status: 400, body: { code: 'malformed_json', message: 'Request body is not valid JSON', requestId } };
      }
      return { status: bp.status, body: { code: CODE_BY_STATUS[bp.status] ?? 'bad_request', message: bp.message ?? 'Bad request', requestId } };
    }
    return { status: 500, body: { code: 'internal', message: 'Something went wrong on our side; the error was logged', requestId } };
  }
}
