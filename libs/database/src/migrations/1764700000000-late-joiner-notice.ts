import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The bot posts its recording notice again for people who joined after it; the consent ledger
 * records when each late joiner was told (null: never, e.g. they left first or notices were off).
 */
export class LateJoinerNotice1764700000000 implements MigrationInterface {
  name = 'LateJoinerNotice1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consent_participants ADD COLUMN notified_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consent_participants DROP COLUMN notified_at`);
  }
}
