import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A user's data key, stored only wrapped by a master key. Deleting the row crypto-shreds. */
@Entity('user_keys')
export class UserKeyEntity {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId!: string;
  @Column('text', { name: 'master_key_id' }) masterKeyId!: string;
  @Column('bytea', { name: 'wrapped_key' }) wrappedKey!: Buffer;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'rotated_at', nullable: true }) rotatedAt!: Date | null;
}
