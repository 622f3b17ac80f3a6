import type { DataSource } from 'typeorm';
import { AuditLogEntity } from '../entities';

export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  async record(userId: string | null, action: string, details: Record<string, unknown> = {}, ip: string | null = null): Promise<void> {
    await this.ds.query('INSERT INTO audit_log (user_id, action, details, ip) VALUES ($1, $2, $3::jsonb, $4)', [userId, action, JSON.stringify(details), ip]);
  }

  listForUser(userId: string, limit = 1000): Promise<AuditLogEntity[]> {
    return this.ds.getRepository(AuditLogEntity).find({ where: { userId }, order: { createdAt: 'DESC' }, take: limit });
  }
}
