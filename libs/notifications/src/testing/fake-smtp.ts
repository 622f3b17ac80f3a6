import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/**
 * A local SMTP server for tests (the `smtp-server` package, as mail servers speak it): accepts
 * any login, parses each message, and can answer the next messages with an SMTP error (4xx
 * temporary, 5xx permanent).
 */
export interface FakeSmtp {
  url: string;
  port: number;
  received: ReceivedMail[];
  failNext(...replies: Array<{ code: number; message: string }>): void;
  close(): Promise<void>;
}

export async function startFakeSmtp(): Promise<FakeSmtp> {
  const received: ReceivedMail[] = [];
  const failures: Array<{ code: number; message: string }> = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(_auth, _session, cb) {
      cb(null, { user: 'test' });
    },
    onData(stream, session, cb) {
      const failure = failures.shift();
      simpleParser(stream)
        .then((mail) => {
          if (failure) return cb(Object.assign(new Error(failure.message), { responseCode: failure.code }));
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
          });
          cb();
        })
        .catch((err: unknown) => cb(err instanceof Error ? err : new Error(String(err))));
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
  return {
    url: `smtp://user:pass@127.0.0.1:${port}`,
    port,
    received,
    failNext: (...replies) => void failures.push(...replies),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
