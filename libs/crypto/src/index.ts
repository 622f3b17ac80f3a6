export * from './key-provider';
export * from './envelope';
export * from './chunked';
export * from './data-keys';
