import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Analysis pipeline: who each diarized speaker is (meeting_speakers), one row per pipeline run
 * with its step and failure reason (pipeline_runs), in-app notifications, and a unique key so a
 * re-run replaces practice modules instead of adding a second set.
 */
export class AnalysisPipeline1764200000000 implements MigrationInterface {
  name = 'AnalysisPipeline1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE meeting_speakers (
        meeting_id uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        speaker_label text NOT NULL CHECK (speaker_label ~ '^[A-Za-z0-9_-]{1,64}$'),
        display_name text NOT NULL,
        user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        confirmed boolean NOT NULL DEFAULT false,
        talk_time_sec double precision NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (meeting_id, speaker_label),
        CONSTRAINT meeting_speakers_confirmed_needs_user CHECK (NOT confirmed OR user_id IS NOT NULL)
      )`);
    // A person is at most one speaker of a meeting.
    await q.query(`CREATE UNIQUE INDEX meeting_speakers_meeting_user_key ON meeting_speakers (meeting_id, user_id) WHERE user_id IS NOT NULL`);
    await q.query(`CREATE INDEX meeting_speakers_user_idx ON meeting_speakers (user_id) WHERE user_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE pipeline_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        bot_id uuid,
        reason text NOT NULL CHECK (reason IN ('bot_done', 'reanalyze')),
        retranscribe boolean NOT NULL DEFAULT false,
        trigger_job_id text,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
        step text NOT NULL DEFAULT 'finalize',
        attempts integer NOT NULL DEFAULT 0,
        error_code text,
        error_message text,
        transcript_source text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    // The Bull job that started a run: a retried meeting.process job finds its run, not a new one.
    await q.query(`CREATE UNIQUE INDEX pipeline_runs_trigger_job_key ON pipeline_runs (trigger_job_id) WHERE trigger_job_id IS NOT NULL`);
    await q.query(`CREATE INDEX pipeline_runs_meeting_created_idx ON pipeline_runs (meeting_id, created_at DESC)`);
    await q.query(`CREATE INDEX pipeline_runs_status_idx ON pipeline_runs (status) WHERE status IN ('queued', 'running')`);

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        meeting_id uuid REFERENCES meetings(id) ON DELETE CASCADE,
        kind text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        read_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX notifications_user_meeting_kind_key ON notifications (user_id, meeting_id, kind)`);
    await q.query(`CREATE INDEX notifications_user_created_idx ON notifications (user_id, created_at DESC)`);

    await q.query(`CREATE UNIQUE INDEX practice_modules_source_type_key ON practice_modules (source_analysis_id, module_type)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS practice_modules_source_type_key`);
    for (const t of ['notifications', 'pipeline_runs', 'meeting_speakers']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
