import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calendar integrations: a user's connected calendars (tokens encrypted with the user's data
 * key), their push channels / Graph subscriptions, every synced event occurrence with its
 * meeting link and coverage decision, coverage rules per user and per team, and the consent
 * a user gives by turning coverage on for a meeting.
 *
 * Calendar events point at ONE canonical `meetings` row per (dedupe key, start): the row is
 * owned by the user whose calendar linked it first; every other user's event links to it too.
 * Finding it is by (dedupe_key, scheduled_start) across users, hence the extra index.
 */
export class Calendars1764300000000 implements MigrationInterface {
  name = 'Calendars1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE calendar_provider AS ENUM ('google', 'microsoft')`);
    await q.query(`CREATE TYPE calendar_connection_status AS ENUM ('connected', 'disconnected')`);
    await q.query(`
      CREATE TABLE calendar_connections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        provider calendar_provider NOT NULL,
        calendar_id text NOT NULL DEFAULT 'primary',
        status calendar_connection_status NOT NULL DEFAULT 'connected',
        -- Why it is disconnected (user_disconnected, auth_revoked: invalid_grant, ...), shown to the user.
        status_reason text,
        -- encryptJson(userKey, OAuthTokens, 'calendar-token:<id>'); dropped at teardown.
        tokens bytea,
        scopes text[] NOT NULL DEFAULT '{}',
        -- Google nextSyncToken or the whole Graph deltaLink.
        sync_cursor text,
        last_sync_at timestamptz,
        last_full_sync_at timestamptz,
        last_sync_error text,
        -- One sync per connection at a time (a lease, not a lock held across vendor calls).
        sync_lease_until timestamptz,
        connected_at timestamptz NOT NULL DEFAULT now(),
        disconnected_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX calendar_connections_live_key ON calendar_connections (user_id, provider, calendar_id) WHERE status = 'connected'`);
    await q.query(`CREATE INDEX calendar_connections_user_idx ON calendar_connections (user_id, created_at DESC)`);
    await q.query(`CREATE INDEX calendar_connections_reconcile_idx ON calendar_connections (last_full_sync_at NULLS FIRST) WHERE status = 'connected'`);

    await q.query(`
      CREATE TABLE calendar_channels (
        -- Our id; the channel token / clientState is derived from it (never stored).
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connection_id uuid NOT NULL REFERENCES calendar_connections(id) ON DELETE CASCADE,
        provider calendar_provider NOT NULL,
        -- Google channel id / Graph subscription id.
        provider_channel_id text NOT NULL,
        -- Google resourceId (channels.stop needs it).
        resource_id text,
        expires_at timestamptz NOT NULL,
        last_message_number bigint,
        stopped_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX calendar_channels_provider_key ON calendar_channels (provider, provider_channel_id)`);
    await q.query(`CREATE INDEX calendar_channels_connection_idx ON calendar_channels (connection_id) WHERE stopped_at IS NULL`);
    await q.query(`CREATE INDEX calendar_channels_expiry_idx ON calendar_channels (expires_at) WHERE stopped_at IS NULL`);

    await q.query(`
      CREATE TABLE calendar_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        connection_id uuid NOT NULL REFERENCES calendar_connections(id) ON DELETE CASCADE,
        provider calendar_provider NOT NULL,
        provider_event_id text NOT NULL,
        ical_uid text,
        -- Series master id of a recurring instance.
        series_id text,
        title text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        all_day boolean NOT NULL DEFAULT false,
        is_organizer boolean NOT NULL DEFAULT false,
        self_response text NOT NULL CHECK (self_response IN ('accepted', 'declined', 'tentative', 'needsAction')),
        cancelled boolean NOT NULL DEFAULT false,
        platform meeting_platform,
        meeting_url text,
        platform_meeting_id text,
        dedupe_key text,
        -- Organizer and attendees, so coverage can be re-decided when rules change without a resync.
        snapshot jsonb NOT NULL DEFAULT '{}'::jsonb,
        covered boolean NOT NULL DEFAULT false,
        coverage_reason text NOT NULL,
        override text CHECK (override IS NULL OR override IN ('on', 'off')),
        meeting_id uuid REFERENCES meetings(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX calendar_events_connection_event_key ON calendar_events (connection_id, provider_event_id)`);
    await q.query(`CREATE INDEX calendar_events_user_start_idx ON calendar_events (user_id, starts_at)`);
    await q.query(`CREATE INDEX calendar_events_meeting_idx ON calendar_events (meeting_id) WHERE meeting_id IS NOT NULL`);
    await q.query(`CREATE INDEX meetings_dedupe_start_idx ON meetings (dedupe_key, scheduled_start) WHERE dedupe_key IS NOT NULL`);

    await q.query(`
      CREATE TABLE calendar_settings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        team_id uuid REFERENCES teams(id) ON DELETE CASCADE,
        -- Coverage rules, validated with zod by the API before they are stored.
        rules jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT calendar_settings_one_owner CHECK ((user_id IS NULL) <> (team_id IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX calendar_settings_user_key ON calendar_settings (user_id) WHERE user_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX calendar_settings_team_key ON calendar_settings (team_id) WHERE team_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE meeting_consents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        source text NOT NULL,
        calendar_event_id uuid REFERENCES calendar_events(id) ON DELETE SET NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        withdrawn_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX meeting_consents_meeting_user_key ON meeting_consents (meeting_id, user_id)`);
    await q.query(`CREATE INDEX meeting_consents_user_idx ON meeting_consents (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['meeting_consents', 'calendar_settings', 'calendar_events', 'calendar_channels', 'calendar_connections']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`DROP INDEX IF EXISTS meetings_dedupe_start_idx`);
    await q.query(`DROP TYPE IF EXISTS calendar_connection_status`);
    await q.query(`DROP TYPE IF EXISTS calendar_provider`);
  }
}
