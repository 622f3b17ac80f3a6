import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface StreamBot {
  id: string;
  status: string;
  subCode: string | null;
}

export interface StreamEvent {
  id: string;
  code: string;
  subCode: string | null;
  at: Date;
}

/** Reads for the live status stream; the owner is in every query. */
@Injectable()
export class BotStreamRepository {
  constructor(private readonly ds: DataSource) {}

  async findForUser(userId: string, botId: string): Promise<StreamBot | null> {
    const rows: StreamBot[] = await this.ds.query(`SELECT id, status::text AS status, sub_code AS "subCode" FROM bots WHERE id = $1 AND user_id = $2`, [botId, userId]);
    return rows[0] ?? null;
  }

  /** Events after `afterId` (bot_events.id is a bigserial, so ids order the log). */
  eventsAfter(userId: string, botId: string, afterId: string): Promise<StreamEvent[]> {
    return this.ds.query(
      `SELECT e.id::text AS id, e.code::text AS code, e.sub_code AS "subCode", e.at
         FROM bot_events e JOIN bots b ON b.id = e.bot_id
        WHERE e.bot_id = $1 AND b.user_id = $2 AND e.id > $3::bigint
        ORDER BY e.id LIMIT 100`,
      [botId, userId, afterId],
    );
  }
}
