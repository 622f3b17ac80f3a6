import type { Command } from 'commander';
import { AppError } from '@rapport/common';
import { loadConfig } from '@rapport/config';
import { USER_ROLES, UsersRepository, createDataSource, type UserRole } from '@rapport/database';

/** `rapport users set-role <email> <role>`: how the first admin is made. */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('User administration');
  users
    .command('set-role <email> <role>')
    .description(`Set a user's role (${USER_ROLES.join(' | ')})`)
    .action(async (email: string, role: string) => {
      if (!(USER_ROLES as readonly string[]).includes(role)) {
        throw new AppError('bad_request', 'invalid_role', `role must be one of ${USER_ROLES.join(', ')}`);
      }
      const config = loadConfig();
      const ds = await createDataSource({ url: config.DATABASE_URL }).initialize();
      try {
        const repo = new UsersRepository(ds);
        const user = await repo.findByEmail(email.trim().toLowerCase());
        if (!user) throw new AppError('not_found', 'user_not_found', `No user with email ${email}`);
        await repo.update(user.id, { role: role as UserRole });
        process.stdout.write(`${user.email} is now ${role}\n`);
      } finally {
        await ds.destroy();
      }
    });
}
