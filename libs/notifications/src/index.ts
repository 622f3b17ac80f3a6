/**
 * @rapport/notifications — email notifications: "your report is ready" and the weekly digest,
 * over SMTP (nodemailer), queued on Bull and sent once each. docs/notifications.md.
 */
export { SmtpMailer, MailError, createMailer } from './mailer';
export type { Mailer, MailMessage } from './mailer';
export { reportReadyEmail, weeklyDigestEmail, digestHasNews, areaLabel } from './templates';
export type { DigestSummary, ReportReadyInput } from './templates';
export { EmailProducer, EmailSender, previousWeekStart } from './email-notifications';
export type { EmailOutcome } from './email-notifications';
