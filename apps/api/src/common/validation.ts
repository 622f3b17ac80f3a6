import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError } from '@rapport/common';

function flatten(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of errors) {
    const path = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints) out[path] = Object.values(e.constraints);
    if (e.children?.length) Object.assign(out, flatten(e.children, path));
  }
  return out;
}

/** Whitelisting pipe: unknown fields, wrong types and missing fields → 400 with field messages. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const message = Object.entries(fields)
        .map(([f, msgs]) => `${f}: ${msgs.join(', ')}`)
        .join('; ');
      return new AppError('bad_request', 'validation_failed', message || 'Invalid request body', { fields });
    },
  });
}
