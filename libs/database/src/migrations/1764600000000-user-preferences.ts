import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dashboard preferences, one row per user (created on first save): the bot's display name,
 * the consent notice it posts, and notification choices (coverage rules live with the
 * calendar settings). Cascades from users so delete-me leaves nothing.
 */
export class UserPreferences1764600000000 implements MigrationInterface {
  name = 'UserPreferences1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_preferences (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        bot_name text CHECK (bot_name IS NULL OR char_length(bot_name) BETWEEN 1 AND 60),
        consent_notice text CHECK (consent_notice IS NULL OR char_length(consent_notice) BETWEEN 1 AND 500),
        notify_report_ready boolean NOT NULL DEFAULT true,
        notify_weekly_digest boolean NOT NULL DEFAULT false,
        onboarded_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS user_preferences`);
  }
}
