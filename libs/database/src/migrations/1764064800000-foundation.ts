import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Foundation schema: users and roles, teams, refresh-token families, wrapped per-user data
 * keys, audit log, and the seed's meetings / meeting_analyses / practice_modules.
 * ON DELETE: everything a user owns cascades from users (delete-me); analyses cascade from
 * their meeting; a practice module outlives the analysis it came from (SET NULL).
 */
export class Foundation1764064800000 implements MigrationInterface {
  name = 'Foundation1764064800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`CREATE TYPE user_role AS ENUM ('individual', 'team_lead', 'admin')`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        role user_role NOT NULL DEFAULT 'individual',
        display_name text,
        retention_days integer DEFAULT 90 CHECK (retention_days IS NULL OR retention_days BETWEEN 1 AND 3650),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_email_lowercase CHECK (email = lower(email))
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);

    await q.query(`
      CREATE TABLE user_keys (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        master_key_id text NOT NULL,
        wrapped_key bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz
      )`);
    await q.query(`CREATE INDEX user_keys_master_key_id_idx ON user_keys (master_key_id)`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        family_id uuid NOT NULL,
        token_hash bytea NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        user_agent text,
        ip text
      )`);
    await q.query(`CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash)`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`);
    await q.query(`CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at)`);

    await q.query(`
      CREATE TABLE teams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX teams_name_key ON teams (lower(name))`);
    await q.query(`CREATE TYPE team_member_role AS ENUM ('lead', 'member')`);
    await q.query(`
      CREATE TABLE team_memberships (
        team_id uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role team_member_role NOT NULL DEFAULT 'member',
        share_individual_metrics boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team_id, user_id)
      )`);
    await q.query(`CREATE INDEX team_memberships_user_idx ON team_memberships (user_id)`);

    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        action text NOT NULL,
        ip text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_log_user_created_idx ON audit_log (user_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE meetings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        title text NOT NULL,
        duration integer CHECK (duration IS NULL OR duration >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX meetings_user_created_idx ON meetings (user_id, created_at DESC)`);
    await q.query(`CREATE INDEX meetings_created_idx ON meetings (created_at)`);

    await q.query(`
      CREATE TABLE meeting_transcripts (
        meeting_id uuid PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        ciphertext bytea NOT NULL,
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX meeting_transcripts_user_idx ON meeting_transcripts (user_id)`);

    await q.query(`
      CREATE TABLE recordings (
        meeting_id uuid PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        storage_key text NOT NULL,
        content_type text NOT NULL,
        byte_size bigint NOT NULL,
        duration_sec double precision,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX recordings_user_idx ON recordings (user_id)`);

    await q.query(`
      CREATE TABLE meeting_analyses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        speaker_name text,
        communication_score integer NOT NULL CHECK (communication_score BETWEEN 0 AND 100),
        improvement_areas jsonb NOT NULL DEFAULT '[]'::jsonb,
        recommendations text[] NOT NULL DEFAULT '{}',
        metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX meeting_analyses_meeting_user_key ON meeting_analyses (meeting_id, user_id)`);
    await q.query(`CREATE INDEX meeting_analyses_user_created_idx ON meeting_analyses (user_id, created_at DESC)`);

    await q.query(`CREATE TYPE practice_module_type AS ENUM ('filler_words', 'pacing', 'conciseness', 'active_listening', 'questioning', 'turn_taking')`);
    await q.query(`CREATE TYPE practice_difficulty AS ENUM ('beginner', 'intermediate', 'advanced')`);
    await q.query(`CREATE TYPE practice_status AS ENUM ('not_started', 'started', 'completed')`);
    await q.query(`
      CREATE TABLE practice_modules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        source_analysis_id uuid REFERENCES meeting_analyses(id) ON DELETE SET NULL,
        module_type practice_module_type NOT NULL,
        title text NOT NULL,
        exercises jsonb NOT NULL DEFAULT '[]'::jsonb,
        estimated_duration integer NOT NULL CHECK (estimated_duration > 0),
        difficulty practice_difficulty NOT NULL,
        status practice_status NOT NULL DEFAULT 'not_started',
        attempts integer NOT NULL DEFAULT 0,
        completed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX practice_modules_user_created_idx ON practice_modules (user_id, created_at DESC)`);
    await q.query(`CREATE INDEX practice_modules_source_idx ON practice_modules (source_analysis_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['practice_modules', 'meeting_analyses', 'recordings', 'meeting_transcripts', 'meetings', 'audit_log', 'team_memberships', 'teams', 'refresh_tokens', 'user_keys', 'users']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    for (const t of ['practice_status', 'practice_difficulty', 'practice_module_type', 'team_member_role', 'user_role']) {
      await q.query(`DROP TYPE IF EXISTS ${t}`);
    }
  }
}
