export * from './users.repository';
export * from './user-keys.repository';
export * from './refresh-tokens.repository';
export * from './teams.repository';
export * from './audit.repository';
export * from './meetings.repository';
export * from './analysis.repository';
export * from './pipeline-runs.repository';
