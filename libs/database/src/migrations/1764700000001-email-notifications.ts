import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email notifications are sent at least once and recorded, so a retried job or a re-analysis
 * does not send them again: `notifications.emailed_at` for "your report is ready", and one
 * `email_digests` row per user and week for the weekly digest.
 */
export class EmailNotifications1764700000001 implements MigrationInterface {
  name = 'EmailNotifications1764700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN emailed_at timestamptz`);
    await q.query(`
      CREATE TABLE email_digests (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        week_start date NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, week_start)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS email_digests`);
    await q.query(`ALTER TABLE notifications DROP COLUMN IF EXISTS emailed_at`);
  }
}
