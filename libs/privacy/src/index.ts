export * from './user-deletion.service';
export * from './retention-purge.service';
export * from './user-export.service';
