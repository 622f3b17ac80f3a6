import type { DataSource } from 'typeorm';
import { decryptJson, type DataKeyService } from '@rapport/crypto';
import { AuditRepository, MeetingsRepository, TeamsRepository, UsersRepository } from '@rapport/database';

/** Everything we hold about a user, decrypted in memory, as one JSON document. */
export class UserExportService {
  constructor(
    private readonly ds: DataSource,
    private readonly keys: DataKeyService,
  ) {}

  async export(userId: string): Promise<Record<string, unknown>> {
    const user = await new UsersRepository(this.ds).findById(userId);
    if (!user) throw new Error('user not found');
    const { passwordHash: _omit, ...profile } = user;
    const data = await new MeetingsRepository(this.ds).exportForUser(userId);
    const key = data.transcripts.length ? await this.keys.keyFor(userId) : null;
    const sessions: unknown[] = await this.ds.query(
      `SELECT created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt", revoked_at AS "revokedAt", user_agent AS "userAgent", ip
         FROM refresh_tokens WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    );
    return {
      exportedAt: new Date().toISOString(),
      profile,
      teams: (await new TeamsRepository(this.ds).teamsOfUser(userId)).map((t) => ({ id: t.team.id, name: t.team.name, role: t.role })),
      meetings: data.meetings.map((m) => ({
        ...m,
        transcript: (() => {
          const t = data.transcripts.find((x) => x.meetingId === m.id);
          return t && key ? { source: t.source, content: decryptJson(key, t.ciphertext, `transcript:${m.id}`) } : null;
        })(),
        recording: (() => {
          const r = data.recordings.find((x) => x.meetingId === m.id);
          return r ? { contentType: r.contentType, byteSize: Number(r.byteSize), durationSec: r.durationSec, download: `/api/v1/meetings/${m.id}/recording` } : null;
        })(),
      })),
      analyses: data.analyses,
      practiceModules: data.practice,
      sessions,
      auditLog: await new AuditRepository(this.ds).listForUser(userId),
    };
  }
}
