import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import Redis from 'ioredis';
import type { AppConfig } from '@rapport/config';
import { DataKeyService, createKeyProvider, type KeyProvider } from '@rapport/crypto';
import {
  AnalysisRepository,
  AuditRepository,
  MeetingsRepository,
  PipelineRunsRepository,
  RefreshTokensRepository,
  TeamsRepository,
  UserKeysRepository,
  UsersRepository,
  createDataSource,
} from '@rapport/database';
import { createBlobStore, type BlobStore } from '@rapport/storage';
import { RetentionPurgeService, UserDeletionService, UserExportService } from '@rapport/privacy';
import { APP_CONFIG, BLOB_STORE, KEY_PROVIDER, REDIS } from './tokens';

const repository = <T>(cls: new (ds: DataSource) => T) => ({
  provide: cls,
  inject: [DataSource],
  useFactory: (ds: DataSource) => new cls(ds),
});

/**
 * Process-wide infrastructure shared by api, scheduler and worker: validated config, the
 * PostgreSQL DataSource and repositories, Redis, key management and blob storage.
 */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: config },
      {
        provide: DataSource,
        useFactory: async () => {
          const ds = createDataSource({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
          return ds.initialize();
        },
      },
      {
        provide: REDIS,
        useFactory: () => new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: false }),
      },
      { provide: KEY_PROVIDER, useFactory: () => createKeyProvider(config) },
      { provide: BLOB_STORE, useFactory: () => createBlobStore(config) },
      repository(UsersRepository),
      repository(UserKeysRepository),
      repository(RefreshTokensRepository),
      repository(TeamsRepository),
      repository(AuditRepository),
      repository(MeetingsRepository),
      repository(AnalysisRepository),
      repository(PipelineRunsRepository),
      {
        provide: DataKeyService,
        inject: [KEY_PROVIDER, UserKeysRepository],
        useFactory: (p: KeyProvider, keys: UserKeysRepository) => new DataKeyService(p, keys),
      },
      {
        provide: UserDeletionService,
        inject: [DataSource, BLOB_STORE],
        useFactory: (ds: DataSource, blobs: BlobStore) => new UserDeletionService(ds, blobs),
      },
      {
        provide: RetentionPurgeService,
        inject: [MeetingsRepository, AuditRepository, BLOB_STORE],
        useFactory: (m: MeetingsRepository, a: AuditRepository, b: BlobStore) => new RetentionPurgeService(m, a, b),
      },
      {
        provide: UserExportService,
        inject: [DataSource, DataKeyService],
        useFactory: (ds: DataSource, keys: DataKeyService) => new UserExportService(ds, keys),
      },
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => p.provide) };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.ds.isInitialized ? this.ds.destroy() : undefined, this.redis.quit()]);
  }
}
