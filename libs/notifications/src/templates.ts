import type { DigestFigures } from '@rapport/database';
import type { MailMessage } from './mailer';

/** Improvement areas as people read them (the dashboard shows the same words). */
const AREA_LABELS: Readonly<Record<string, string>> = {
  filler_words: 'Filler words',
  pacing: 'Pacing',
  conciseness: 'Conciseness',
  active_listening: 'Active listening',
  questioning: 'Asking questions',
  turn_taking: 'Turn-taking',
};
export const areaLabel = (area: string): string => AREA_LABELS[area] ?? area.replace(/_/g, ' ');

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Plain paragraphs into the text body and a minimal, escaped HTML body; links become anchors. */
function render(to: string, subject: string, paragraphs: Array<string | { link: string; label: string }>): MailMessage {
  const text = paragraphs.map((p) => (typeof p === 'string' ? p : `${p.label}: ${p.link}`)).join('\n\n');
  const html = paragraphs
    .map((p) => (typeof p === 'string' ? `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>` : `<p><a href="${escapeHtml(p.link)}">${escapeHtml(p.label)}</a></p>`))
    .join('\n');
  return { to, subject, text: `${text}\n`, html: `<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">\n${html}\n</body></html>\n` };
}

export interface ReportReadyInput {
  to: string;
  name: string | null;
  meetingId: string;
  title: string;
  score: number;
  topArea: string | null;
  practiceModules: number;
  publicUrl: string;
}

export function reportReadyEmail(i: ReportReadyInput): MailMessage {
  const base = i.publicUrl.replace(/\/+$/, '');
  return render(i.to, `Your report for “${i.title}” is ready: ${i.score}/100`, [
    `Hi ${i.name ?? 'there'},`,
    `Your communication report for “${i.title}” is ready. Score: ${i.score}/100.` +
      (i.topArea ? `\nTo work on: ${areaLabel(i.topArea)}.` : '') +
      (i.practiceModules > 0 ? `\n${i.practiceModules} practice module${i.practiceModules === 1 ? '' : 's'} built from your own moments in this meeting.` : ''),
    { label: 'Open the report', link: `${base}/meeting?id=${i.meetingId}` },
    `You get this email because “Report ready” is on in your settings (${base}/settings).`,
  ]);
}

/** A week's figures (libs/database computes them) and the Monday it starts (YYYY-MM-DD, UTC). */
export interface DigestSummary extends DigestFigures {
  weekStart: string;
}

/** Worth an email: something happened that week, or practice is waiting. */
export function digestHasNews(s: DigestSummary): boolean {
  return s.meetings > 0 || s.practiceCompleted > 0 || s.practiceOpen > 0;
}

export function weeklyDigestEmail(to: string, name: string | null, s: DigestSummary, publicUrl: string): MailMessage {
  const base = publicUrl.replace(/\/+$/, '');
  const avg = s.averageScore === null ? null : Math.round(s.averageScore);
  const trend =
    avg === null || s.previousAverage === null
      ? ''
      : (() => {
          const d = avg - Math.round(s.previousAverage);
          return d === 0 ? ' (same as the week before)' : ` (${d > 0 ? '+' : '−'}${Math.abs(d)} on the week before)`;
        })();
  const lines = [
    s.meetings === 0
      ? 'No analysed meetings this week.'
      : `${s.meetings} analysed meeting${s.meetings === 1 ? '' : 's'}, average score ${avg}/100${trend}.`,
    ...(s.topArea ? [`Most frequent area to work on: ${areaLabel(s.topArea)}.`] : []),
    `Practice: ${s.practiceCompleted} module${s.practiceCompleted === 1 ? '' : 's'} completed, ${s.practiceOpen} waiting.`,
  ];
  const subject = s.meetings === 0 ? `Your week with Rapport (from ${s.weekStart})` : `Your week with Rapport: ${s.meetings} meeting${s.meetings === 1 ? '' : 's'}, average ${avg}/100`;
  return render(to, subject, [
    `Hi ${name ?? 'there'},`,
    `Your week from ${s.weekStart}:\n${lines.join('\n')}`,
    { label: 'See your trends', link: `${base}/trends` },
    { label: 'Practise', link: `${base}/practice` },
    `You get this email because “Weekly digest” is on in your settings (${base}/settings).`,
  ]);
}
