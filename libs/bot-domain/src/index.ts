export * from './bot-status';
export * from './transitions';
export * from './auto-leave';
export * from './consent';
export * from './bot-options';
