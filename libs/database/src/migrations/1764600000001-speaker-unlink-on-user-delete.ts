import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deleting a user who confirmed being a speaker ("that's me") failed: the foreign key's
 * ON DELETE SET NULL empties meeting_speakers.user_id while `confirmed` stays true, which
 * meeting_speakers_confirmed_needs_user rejects, so the whole delete-me rolled back. Referential
 * actions run as ordinary UPDATEs and fire row triggers: this one unconfirms a speaker whose user
 * goes away, so the speaker row survives as an unclaimed name in the other people's meetings.
 */
export class SpeakerUnlinkOnUserDelete1764600000001 implements MigrationInterface {
  name = 'SpeakerUnlinkOnUserDelete1764600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION meeting_speakers_unconfirm_unlinked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.user_id IS NULL THEN NEW.confirmed := false; END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER meeting_speakers_unconfirm_unlinked BEFORE UPDATE OF user_id ON meeting_speakers
      FOR EACH ROW WHEN (NEW.user_id IS NULL AND OLD.user_id IS NOT NULL) EXECUTE FUNCTION meeting_speakers_unconfirm_unlinked()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS meeting_speakers_unconfirm_unlinked ON meeting_speakers`);
    await q.query(`DROP FUNCTION IF EXISTS meeting_speakers_unconfirm_unlinked()`);
  }
}
