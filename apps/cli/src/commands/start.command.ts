import type { Command } from 'commander';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@rapport/common';
import { loadConfig } from '@rapport/config';
import { ensureDatabase, runMigrations } from '@rapport/database';

const PROCESSES = [
  { name: 'api', entry: 'dist/apps/api/src/main.js' },
  { name: 'scheduler', entry: 'dist/apps/scheduler/src/main.js' },
  { name: 'worker', entry: 'dist/apps/worker/src/main.js' },
  { name: 'bot-runner', entry: 'dist/apps/bot-runner/src/main.js' },
] as const;

/**
 * `rapport start`: migrates, then runs api, scheduler, worker and bot-runner as child processes (the
 * same processes Kubernetes runs as separate Deployments), restarting none: if one dies,
 * all stop so a supervisor sees the failure.
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Migrate the database and run the whole product (api, scheduler, worker, bot-runner)')
    .option('--only <names>', 'comma-separated subset, e.g. api,worker')
    .option('--demo', 'also run the meeting simulator and route Google Meet links to it (no real meetings!)')
    .option('--sim-port <port>', 'simulator port with --demo', '4010')
    .action(async (opts: { only?: string; demo?: boolean; simPort: string }) => {
      const config = loadConfig();
      await ensureDatabase(config.DATABASE_URL);
      const applied = await runMigrations({ url: config.DATABASE_URL });
      if (applied.length) process.stderr.write(`Applied migrations: ${applied.join(', ')}\n`);
      const wanted = opts.only ? new Set(opts.only.split(',').map((s) => s.trim())) : null;
      const children: ChildProcess[] = [];
      let stopping = false;
      const stop = (code: number) => {
        if (stopping) return;
        stopping = true;
        for (const c of children) c.kill('SIGTERM');
        setTimeout(() => process.exit(code), 5000).unref();
      };
      const env = { ...process.env };
      const processes: Array<{ name: string; entry: string; args?: string[] }> = PROCESSES.filter((p) => !wanted || wanted.has(p.name));
      if (opts.demo) {
        // Demo mode: meet.google.com links go to the local simulator, so a new user with no
        // vendor accounts can watch a bot join, record and produce a report.
        env.RAPPORT_PLATFORM_ORIGINS = `meet.google.com=http://127.0.0.1:${opts.simPort}`;
        processes.push({ name: 'simulator', entry: 'dist/apps/cli/src/main.js', args: ['sim', '--port', opts.simPort] });
      }
      for (const p of processes) {
        const child = spawn(process.execPath, [join(repoRoot(), p.entry), ...(p.args ?? [])], { stdio: 'inherit', env });
        child.on('exit', (code, signal) => {
          process.stderr.write(`${p.name} exited (${signal ?? code})\n`);
          stop(code ?? 1);
          if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(code ?? 0);
        });
        children.push(child);
      }
      if (opts.demo) process.stderr.write(`Demo mode: Google Meet links are served by the simulator on :${opts.simPort}\n`);
      process.stderr.write(`Rapport running: dashboard and API on http://localhost:${config.PORT} (API docs at /api/docs)\n`);
      process.on('SIGINT', () => stop(0));
      process.on('SIGTERM', () => stop(0));
      await new Promise<never>(() => undefined);
    });
}
