export * from './queues';
export * from './bull-config';
