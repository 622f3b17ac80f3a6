export * from './types';
export * from './errors';
export * from './retry';
export * from './sync';
export * from './secrets';
export * from './coverage';
export * from './google/google-calendar.provider';
export * from './google/google-event.mapper';
export * from './google/google-notifications';
export * from './microsoft/microsoft-calendar.provider';
export * from './microsoft/graph-event.mapper';
export * from './microsoft/graph-notifications';
// Fakes of the VENDORS' HTTP APIs for integration tests and benchmarks (never fakes of our code).
export * from './testing/fake-google-calendar.server';
export * from './testing/fake-graph.server';
