import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BullModule, InjectQueue, getQueueToken } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG, jobsProcessed } from '@rapport/core';
import { EmailNotificationsRepository } from '@rapport/database';
import { EmailProducer, EmailSender, createMailer, type SmtpMailer } from '@rapport/notifications';
import { QUEUES } from '@rapport/queue';

export const EMAIL_SENDER = Symbol('EMAIL_SENDER');

/** Consumes the email queue when SMTP is configured; without it, nothing is queued or sent. */
@Injectable()
export class EmailProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EmailProcessor.name);

  constructor(
    @InjectQueue(QUEUES.email) private readonly queue: Queue,
    @Inject(EMAIL_SENDER) private readonly sender: { sender: EmailSender; mailer: SmtpMailer } | null,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.sender) {
      this.logger.log('SMTP_URL is not set: notifications stay in the app, no emails');
      return;
    }
    const { sender } = this.sender;
    void this.queue.process('*', 2, async (job: Job) => {
      try {
        const outcome = await sender.handle(job);
        jobsProcessed.inc({ queue: QUEUES.email, job: job.name, outcome: 'completed' });
        return outcome;
      } catch (err) {
        jobsProcessed.inc({ queue: QUEUES.email, job: job.name, outcome: 'failed' });
        this.logger.warn({ jobId: job.id, err }, 'email not sent');
        throw err;
      }
    });
  }

  onApplicationShutdown(): void {
    this.sender?.mailer.close();
  }
}

/** Emails in the worker: the sender (consumer) and the producer the analysis pipeline uses. */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.email })],
  providers: [
    { provide: EmailNotificationsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new EmailNotificationsRepository(ds) },
    {
      provide: EmailProducer,
      inject: [APP_CONFIG, getQueueToken(QUEUES.email), EmailNotificationsRepository],
      useFactory: (config: AppConfig, queue: Queue, repo: EmailNotificationsRepository) => (config.SMTP_URL ? new EmailProducer(queue, repo) : null),
    },
    {
      provide: EMAIL_SENDER,
      inject: [APP_CONFIG, EmailNotificationsRepository],
      useFactory: (config: AppConfig, repo: EmailNotificationsRepository) => {
        const mailer = createMailer(config);
        return mailer ? { sender: new EmailSender(repo, mailer, config.PUBLIC_URL), mailer } : null;
      },
    },
    EmailProcessor,
  ],
  exports: [EmailProducer],
})
export class EmailModule {}
