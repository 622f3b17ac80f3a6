import type { DataSource } from 'typeorm';

export interface ReportReadyTarget {
  notificationId: string;
  emailedAt: Date | null;
  wantsEmail: boolean;
  email: string;
  displayName: string | null;
  title: string;
  score: number;
  practiceModules: number;
  topArea: string | null;
}

/** A user's week: analysed meetings, their average score and the week before's, practice. */
export interface DigestFigures {
  meetings: number;
  averageScore: number | null;
  /** The week before, for the trend; null when it had no analysed meeting. */
  previousAverage: number | null;
  /** The improvement area found most often that week. */
  topArea: string | null;
  practiceCompleted: number;
  practiceOpen: number;
}

/** What the email notifications read and record (sent once: `emailed_at`, `email_digests`). */
export class EmailNotificationsRepository {
  constructor(private readonly ds: DataSource) {}

  /** The "analysis ready" notification of this user and meeting, with what the email says; null if none. */
  async reportReadyTarget(userId: string, meetingId: string): Promise<ReportReadyTarget | null> {
    const rows = (await this.ds.query(
      `SELECT n.id AS "notificationId", n.emailed_at AS "emailedAt", COALESCE(p.notify_report_ready, true) AS "wantsEmail",
              u.email, u.display_name AS "displayName", m.title, a.communication_score AS score,
              COALESCE((n.payload->>'practiceModules')::int, 0) AS "practiceModules",
              a.improvement_areas->0->>'area' AS "topArea"
         FROM notifications n
         JOIN users u ON u.id = n.user_id
         JOIN meetings m ON m.id = n.meeting_id
         JOIN meeting_analyses a ON a.meeting_id = n.meeting_id AND a.user_id = n.user_id
         LEFT JOIN user_preferences p ON p.user_id = n.user_id
        WHERE n.user_id = $1 AND n.meeting_id = $2 AND n.kind = 'analysis_ready'`,
      [userId, meetingId],
    )) as ReportReadyTarget[];
    return rows[0] ?? null;
  }

  async markEmailed(notificationId: string): Promise<void> {
    await this.ds.query(`UPDATE notifications SET emailed_at = now() WHERE id = $1`, [notificationId]);
  }

  /** Users who asked for the weekly digest, by id after `after` (keyset paging). */
  async digestRecipients(after: string | null, limit: number): Promise<string[]> {
    const rows = (await this.ds.query(
      `SELECT p.user_id AS id FROM user_preferences p WHERE p.notify_weekly_digest AND ($1::uuid IS NULL OR p.user_id > $1::uuid) ORDER BY p.user_id LIMIT $2`,
      [after, limit],
    )) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  async recipient(userId: string): Promise<{ email: string; displayName: string | null; wantsDigest: boolean } | null> {
    const rows = (await this.ds.query(
      `SELECT u.email, u.display_name AS "displayName", COALESCE(p.notify_weekly_digest, false) AS "wantsDigest"
         FROM users u LEFT JOIN user_preferences p ON p.user_id = u.id WHERE u.id = $1`,
      [userId],
    )) as Array<{ email: string; displayName: string | null; wantsDigest: boolean }>;
    return rows[0] ?? null;
  }

  async digestSent(userId: string, weekStart: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM email_digests WHERE user_id = $1 AND week_start = $2::date`, [userId, weekStart]);
    return rows.length > 0;
  }

  async recordDigest(userId: string, weekStart: string): Promise<void> {
    await this.ds.query(`INSERT INTO email_digests (user_id, week_start) VALUES ($1, $2::date) ON CONFLICT DO NOTHING`, [userId, weekStart]);
  }

  /** The user's analysed meetings (by meeting time) and practice in the 7 days from `weekStart`, and the week before. */
  async digestFigures(userId: string, weekStart: string): Promise<DigestFigures> {
    const [row] = (await this.ds.query(
      `WITH wk AS (SELECT $2::date::timestamptz AS s, ($2::date + 7)::timestamptz AS e, ($2::date - 7)::timestamptz AS p),
            this_week AS (
              SELECT a.communication_score, a.improvement_areas FROM meeting_analyses a JOIN meetings m ON m.id = a.meeting_id, wk
               WHERE a.user_id = $1 AND m.created_at >= wk.s AND m.created_at < wk.e)
       SELECT (SELECT count(*)::int FROM this_week) AS meetings,
              (SELECT avg(communication_score)::float8 FROM this_week) AS "averageScore",
              (SELECT avg(a.communication_score)::float8 FROM meeting_analyses a JOIN meetings m ON m.id = a.meeting_id, wk
                WHERE a.user_id = $1 AND m.created_at >= wk.p AND m.created_at < wk.s) AS "previousAverage",
              (SELECT x->>'area' FROM this_week, jsonb_array_elements(improvement_areas) x
                GROUP BY x->>'area' ORDER BY count(*) DESC, x->>'area' LIMIT 1) AS "topArea",
              (SELECT count(*)::int FROM practice_modules pm, wk WHERE pm.user_id = $1 AND pm.completed_at >= wk.s AND pm.completed_at < wk.e) AS "practiceCompleted",
              (SELECT count(*)::int FROM practice_modules pm WHERE pm.user_id = $1 AND pm.status <> 'completed') AS "practiceOpen"`,
      [userId, weekStart],
    )) as DigestFigures[];
    return row!;
  }
}
