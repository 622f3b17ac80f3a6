import nodemailer, { type Transporter } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one email; throws {@link MailError}. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** A send that failed: `transient` (4xx SMTP replies, connection trouble) is worth retrying. */
export class MailError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

/** SMTP through nodemailer; the URL carries host, port, TLS (smtps://) and credentials. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(url);
  }

  async send(m: MailMessage): Promise<void> {
    try {
      await this.transport.sendMail({ from: this.from, to: m.to, subject: m.subject, text: m.text, html: m.html });
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      // 5xx: the server refused for good (bad address, policy); anything else may pass later.
      const permanent = typeof code === 'number' && code >= 500 && code < 600;
      throw new MailError(`SMTP send failed${code ? ` (${code})` : ''}: ${err instanceof Error ? err.message : String(err)}`, !permanent);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** The configured mailer, or null when SMTP_URL is empty (notifications stay in the app). */
export function createMailer(config: { SMTP_URL: string; MAIL_FROM: string }): SmtpMailer | null {
  return config.SMTP_URL ? new SmtpMailer(config.SMTP_URL, config.MAIL_FROM) : null;
}
