import type { Command } from 'commander';
import { loadConfig } from '@rapport/config';
import { ensureDatabase, runMigrations } from '@rapport/database';

/** `rapport db migrate`: creates the database if missing and applies pending migrations. */
export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('Database operations');
  db.command('migrate')
    .description('Apply pending migrations (creates the database when it does not exist)')
    .option('--no-create', 'fail instead of creating a missing database')
    .action(async (opts: { create: boolean }) => {
      const config = loadConfig();
      if (opts.create && (await ensureDatabase(config.DATABASE_URL))) process.stderr.write('Created the database\n');
      const applied = await runMigrations({ url: config.DATABASE_URL, logging: false });
      process.stdout.write(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'Database is up to date\n');
    });
}
