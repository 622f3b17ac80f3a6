import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { BOT_ROW_STATUSES, type BotRowStatus } from './bot.entity';

/** One status change of a bot. Append-only (a trigger rejects UPDATE); written by BotsRepository. */
@Entity('bot_events')
export class BotEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'bot_id' }) botId!: string;
  @Column({ type: 'enum', enumName: 'bot_status', enum: BOT_ROW_STATUSES }) code!: BotRowStatus;
  @Column('text', { name: 'sub_code', nullable: true }) subCode!: string | null;
  @Column('timestamptz') at!: Date;
  @Column('jsonb') details!: Record<string, unknown>;
}
