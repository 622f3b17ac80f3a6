export * from './queues';
export * from './bull-config';
export * from './bot-channels';
