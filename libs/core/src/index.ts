export * from './tokens';
export * from './core.module';
export * from './observability.module';
export * from './public.decorator';
export * from './logger';
export * from './calendar-providers';
