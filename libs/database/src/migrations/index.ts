import { Foundation1764064800000 } from './1764064800000-foundation';

/** Every migration, in order. Listed explicitly so sources and dist/ load the same set. */
export const MIGRATIONS = [Foundation1764064800000];
