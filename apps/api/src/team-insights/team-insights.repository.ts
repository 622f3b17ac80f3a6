import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface Histogram {
  from: number;
  width: number;
  buckets: number;
}

export const TALK_SHARE_BUCKETS: Histogram = { from: 0, width: 0.1, buckets: 10 };
export const PACE_BUCKETS: Histogram = { from: 80, width: 20, buckets: 8 };
export const FILLER_BUCKETS: Histogram = { from: 0, width: 1, buckets: 8 };

export interface TeamTotals {
  membersWithData: number;
  meetings: number;
  averageScore: number | null;
}

export interface WeekRow {
  weekStart: Date;
  members: number;
  meetings: number;
  averageScore: number | null;
}

export interface IndividualRow {
  userId: string;
  name: string;
  meetings: number;
  averageScore: number | null;
  talkTimeShare: number | null;
  wordsPerMinute: number | null;
  fillerWordsPer100: number | null;
}

/**
 * The team-lead aggregates. Every query starts from the team's memberships, so only members'
 * analyses are read, and only scores and numeric metrics: never transcripts or recordings.
 * Reads analysis rows by (user_id, created_at), the index meeting_analyses_user_created_idx.
 */
@Injectable()
export class TeamInsightsRepository {
  constructor(private readonly ds: DataSource) {}

  async memberCount(teamId: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.ds.query(`SELECT count(*)::int AS n FROM team_memberships WHERE team_id = $1`, [teamId]);
    return rows[0]?.n ?? 0;
  }

  async totals(teamId: string, since: Date): Promise<TeamTotals> {
    const rows: TeamTotals[] = await this.ds.query(
      `SELECT count(DISTINCT a.user_id)::int AS "membersWithData", count(*)::int AS meetings, avg(a.communication_score)::float8 AS "averageScore"
         FROM team_memberships tm JOIN meeting_analyses a ON a.user_id = tm.user_id AND a.created_at >= $2
        WHERE tm.team_id = $1`,
      [teamId, since.toISOString()],
    );
    return rows[0] ?? { membersWithData: 0, meetings: 0, averageScore: null };
  }

  weekly(teamId: string, since: Date): Promise<WeekRow[]> {
    return this.ds.query(
      `SELECT date_trunc('week', a.created_at) AS "weekStart", count(DISTINCT a.user_id)::int AS members,
              count(DISTINCT a.meeting_id)::int AS meetings, avg(a.communication_score)::float8 AS "averageScore"
         FROM team_memberships tm JOIN meeting_analyses a ON a.user_id = tm.user_id AND a.created_at >= $2
        WHERE tm.team_id = $1
        GROUP BY 1 ORDER BY 1`,
      [teamId, since.toISOString()],
    );
  }

  /** Counts per bucket of one numeric metric; bucket i covers [from + i·width, from + (i+1)·width), the last is open. */
  async histogram(teamId: string, since: Date, metric: 'talkTimeShare' | 'wordsPerMinute' | 'fillerWordsPer100', h: Histogram): Promise<number[]> {
    const rows: Array<{ b: number; n: number }> = await this.ds.query(
      `SELECT LEAST(GREATEST(floor(((a.metrics->>'${metric}')::float8 - $3) / $4), 0), $5 - 1)::int AS b, count(*)::int AS n
         FROM team_memberships tm JOIN meeting_analyses a ON a.user_id = tm.user_id AND a.created_at >= $2
        WHERE tm.team_id = $1 AND jsonb_typeof(a.metrics->'${metric}') = 'number'
        GROUP BY 1`,
      [teamId, since.toISOString(), h.from, h.width, h.buckets],
    );
    const counts = new Array<number>(h.buckets).fill(0);
    for (const r of rows) counts[r.b] = r.n;
    return counts;
  }

  areas(teamId: string, since: Date, limit: number): Promise<Array<{ area: string; members: number; occurrences: number }>> {
    return this.ds.query(
      `SELECT e->>'area' AS area, count(DISTINCT a.user_id)::int AS members, count(*)::int AS occurrences
         FROM team_memberships tm JOIN meeting_analyses a ON a.user_id = tm.user_id AND a.created_at >= $2
         CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(a.improvement_areas) = 'array' THEN a.improvement_areas ELSE '[]'::jsonb END) e
        WHERE tm.team_id = $1 AND e->>'area' IS NOT NULL
        GROUP BY 1 ORDER BY members DESC, occurrences DESC, area
        LIMIT $3`,
      [teamId, since.toISOString(), limit],
    );
  }

  /** Figures of the members who opted in (share_individual_metrics) — nobody else's. */
  individuals(teamId: string, since: Date): Promise<IndividualRow[]> {
    return this.ds.query(
      `SELECT u.id AS "userId", coalesce(u.display_name, u.email) AS name, count(a.id)::int AS meetings,
              avg(a.communication_score)::float8 AS "averageScore",
              avg((a.metrics->>'talkTimeShare')::float8) FILTER (WHERE jsonb_typeof(a.metrics->'talkTimeShare') = 'number') AS "talkTimeShare",
              avg((a.metrics->>'wordsPerMinute')::float8) FILTER (WHERE jsonb_typeof(a.metrics->'wordsPerMinute') = 'number') AS "wordsPerMinute",
              avg((a.metrics->>'fillerWordsPer100')::float8) FILTER (WHERE jsonb_typeof(a.metrics->'fillerWordsPer100') = 'number') AS "fillerWordsPer100"
         FROM team_memberships tm
         JOIN users u ON u.id = tm.user_id
         LEFT JOIN meeting_analyses a ON a.user_id = tm.user_id AND a.created_at >= $2
        WHERE tm.team_id = $1 AND tm.share_individual_metrics
        GROUP BY u.id ORDER BY name`,
      [teamId, since.toISOString()],
    );
  }
}
