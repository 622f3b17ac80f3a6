import type { MigrationInterface, QueryRunner } from 'typeorm';

const BOT_STATUSES = [
  'scheduled',
  'joining_call',
  'in_waiting_room',
  'in_call_not_recording',
  'in_call_recording',
  'call_ended',
  'done',
  'fatal',
  'cancelled',
];
const SUB_CODES = [
  'call_ended_by_host',
  'bot_kicked_from_call',
  'bot_kicked_from_waiting_room',
  'request_to_join_denied',
  'timeout_exceeded_waiting_room',
  'timeout_exceeded_noone_joined',
  'timeout_exceeded_everyone_left',
  'timeout_exceeded_silence_detected',
  'timeout_exceeded_only_bots_detected',
  'timeout_exceeded_max_duration',
  'bot_received_leave_call',
  'recording_stopped_by_participant',
  'meeting_not_found',
  'meeting_requires_sign_in',
  'bot_blocked_by_platform',
  'bot_errored',
];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * The bot control plane: meetings learn where they happen (platform, link, dedupe key, start),
 * `bots` is the truth the scheduler dispatches from, `bot_events` the append-only status log,
 * and the consent ledger keeps what each bot announced, to whom, and who opted out.
 * The status and sub-code lists are copied (not imported) so this migration never changes
 * when the domain lib does; a later migration adds values.
 */
export class Bots1764100000000 implements MigrationInterface {
  name = 'Bots1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE meeting_platform AS ENUM ('zoom', 'google_meet', 'microsoft_teams')`);
    await q.query(`
      ALTER TABLE meetings
        ADD COLUMN platform meeting_platform,
        ADD COLUMN meeting_url text,
        ADD COLUMN platform_meeting_id text,
        ADD COLUMN dedupe_key text,
        ADD COLUMN scheduled_start timestamptz`);
    // Adoption looks meetings up by owner, dedupe key and start; one canonical row per start.
    await q.query(`CREATE UNIQUE INDEX meetings_user_dedupe_start_key ON meetings (user_id, dedupe_key, scheduled_start) WHERE dedupe_key IS NOT NULL`);

    await q.query(`CREATE TYPE bot_status AS ENUM (${list(BOT_STATUSES)})`);
    await q.query(`
      CREATE TABLE bots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        meeting_id uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        meeting_url text NOT NULL,
        platform meeting_platform NOT NULL,
        bot_name text NOT NULL,
        join_at timestamptz NOT NULL,
        options jsonb NOT NULL DEFAULT '{}'::jsonb,
        status bot_status NOT NULL DEFAULT 'scheduled',
        sub_code text CHECK (sub_code IS NULL OR sub_code IN (${list(SUB_CODES)})),
        attempt integer NOT NULL DEFAULT 0,
        runner_id text,
        heartbeat_at timestamptz,
        leave_requested_at timestamptz,
        dispatched_at timestamptz,
        started_at timestamptz,
        ended_at timestamptz,
        recording_stored boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // At most one live bot per meeting; the API maps a violation to 409 with the existing id.
    await q.query(`CREATE UNIQUE INDEX bots_one_active_per_meeting ON bots (meeting_id) WHERE status NOT IN ('done', 'fatal', 'cancelled')`);
    // GET /bots (mine, newest first, keyset paging).
    await q.query(`CREATE INDEX bots_user_created_idx ON bots (user_id, created_at DESC, id DESC)`);
    // Dispatch and reconcile: scheduled bots by join time.
    await q.query(`CREATE INDEX bots_scheduled_join_idx ON bots (join_at) WHERE status = 'scheduled'`);
    // Reaper: live bots by heartbeat.
    await q.query(`CREATE INDEX bots_live_heartbeat_idx ON bots (heartbeat_at) WHERE status IN ('joining_call', 'in_waiting_room', 'in_call_not_recording', 'in_call_recording', 'call_ended')`);

    await q.query(`
      CREATE TABLE bot_events (
        id bigserial PRIMARY KEY,
        bot_id uuid NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
        code bot_status NOT NULL,
        sub_code text CHECK (sub_code IS NULL OR sub_code IN (${list(SUB_CODES)})),
        at timestamptz NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX bot_events_bot_idx ON bot_events (bot_id, id)`);
    // Append-only: rows are inserted and (with their bot) deleted, never changed.
    await q.query(`
      CREATE FUNCTION bot_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'bot_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER bot_events_no_update BEFORE UPDATE ON bot_events FOR EACH ROW EXECUTE FUNCTION bot_events_append_only()`);

    await q.query(`
      CREATE TABLE consent_notices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        bot_id uuid NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        channel text NOT NULL DEFAULT 'meeting_chat',
        notice_text text NOT NULL,
        posted_at timestamptz,
        participants_present jsonb NOT NULL DEFAULT '[]'::jsonb,
        platform_dialogs jsonb NOT NULL DEFAULT '[]'::jsonb,
        recording_deleted boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX consent_notices_bot_key ON consent_notices (bot_id)`);
    await q.query(`CREATE INDEX consent_notices_meeting_idx ON consent_notices (meeting_id, created_at)`);
    await q.query(`
      CREATE TABLE consent_participants (
        id bigserial PRIMARY KEY,
        notice_id uuid NOT NULL REFERENCES consent_notices(id) ON DELETE CASCADE,
        name text NOT NULL,
        seen_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX consent_participants_notice_idx ON consent_participants (notice_id, seen_at)`);
    await q.query(`
      CREATE TABLE consent_opt_outs (
        id bigserial PRIMARY KEY,
        notice_id uuid NOT NULL REFERENCES consent_notices(id) ON DELETE CASCADE,
        participant_name text,
        message_text text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX consent_opt_outs_notice_idx ON consent_opt_outs (notice_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['consent_opt_outs', 'consent_participants', 'consent_notices', 'bot_events', 'bots']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS bot_events_append_only()`);
    await q.query(`DROP TYPE IF EXISTS bot_status`);
    await q.query(`DROP INDEX IF EXISTS meetings_user_dedupe_start_key`);
    await q.query(`ALTER TABLE meetings DROP COLUMN platform, DROP COLUMN meeting_url, DROP COLUMN platform_meeting_id, DROP COLUMN dedupe_key, DROP COLUMN scheduled_start`);
    await q.query(`DROP TYPE IF EXISTS meeting_platform`);
  }
}
