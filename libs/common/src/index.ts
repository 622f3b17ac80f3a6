export * from './repo-root';
export * from './app-error';
