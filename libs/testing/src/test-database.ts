import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase, runMigrations } from '@rapport/database';

/** The server tests create their databases on (its own database name is ignored). */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** A fresh database with every migration applied; drop it when the test file ends. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = new URL(testServerUrl());
  url.pathname = `/rapport_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await ensureDatabase(url.toString());
  await runMigrations({ url: url.toString() });
  return { url: url.toString(), drop: () => dropDatabase(url.toString()) };
}
