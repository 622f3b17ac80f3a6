/**
 * Calendar sync benchmark against the local fake vendor servers (the real adapters and SDKs:
 * @googleapis/calendar + google-auth-library, @microsoft/microsoft-graph-client):
 *
 * 1. initial sync + planning: N connected calendars × E events each, full window sync through
 *    the provider, every event normalised (meeting-link extraction included) and run through
 *    `decideCoverage`; C calendars in flight at once;
 * 2. steady state: one change notification → verify it → incremental sync with the stored
 *    cursor → re-plan the changed events (per notification latency);
 * 3. meeting-link extraction alone (µs per event body).
 *
 *   npx tsx bench/calendar/calendar-sync.bench.ts [--calendars 2000] [--events 50] [--concurrency 32] [--notifications 300]
 *
 * Prints one JSON object. The fake servers run in the same process, so their CPU is included.
 * Results: docs/benchmarks.md ("Calendar sync").
 */
import { cpus } from 'node:os';
import {
  type CalendarConnectionContext,
  type CalendarEventSnapshot,
  type CalendarProvider,
  type CoverageRules,
  FakeGoogleCalendarServer,
  FakeGraphServer,
  GoogleCalendarProvider,
  MicrosoftCalendarProvider,
  decideCoverage,
  graphDateTime,
  handleGraphNotification,
  verifyGoogleNotification,
} from '@rapport/calendar';
import { extractMeetingLink } from '@rapport/meeting-links';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALENDARS = arg('calendars', 2000);
const EVENTS = arg('events', 50);
const CONCURRENCY = arg('concurrency', 32);
const NOTIFICATIONS = arg('notifications', 300);

const RULES: CoverageRules = { mode: 'with_external', userDomains: ['acme.com'], skipTitlePatterns: ['^focus'] };
const NOW = new Date();
const DAY = 86_400_000;
const LINKS = [
  { conferenceData: { entryPoints: [{ entryPointType: 'video', uri: 'https://meet.google.com/abc-defg-hij' }] } },
  { description: '<p>Join Zoom Meeting<br><a href="https://www.google.com/url?q=https%3A%2F%2Facme.zoom.us%2Fj%2F81234567890%3Fpwd%3Dabc.1&sa=D">https://acme.zoom.us/j/81234567890?pwd=abc.1</a><br>Meeting ID: 812 3456 7890</p>' },
  { location: 'https://teams.microsoft.com/meet/2345678901234?p=AbCdEf' },
  { description: 'Agenda: roadmap. No link.' },
];

function stats(samples: number[]): { p50: number; p95: number; p99: number; max: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  const r = (x: number): number => Math.round(x * 100) / 100;
  return { p50: r(at(0.5)), p95: r(at(0.95)), p99: r(at(0.99)), max: r(s[s.length - 1]), n: s.length };
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

interface Conn {
  ctx: CalendarConnectionContext;
  cursor: string;
}

async function initialSync(provider: CalendarProvider, conns: Conn[]): Promise<Record<string, unknown>> {
  const perCalendar: number[] = [];
  let events = 0;
  let covered = 0;
  const t0 = process.hrtime.bigint();
  await pool(conns, CONCURRENCY, async (conn) => {
    const t = process.hrtime.bigint();
    const result = await provider.listEvents(conn.ctx, { now: NOW });
    for (const e of result.events) if (decideCoverage(e, RULES).covered) covered++;
    events += result.events.length;
    conn.cursor = result.cursor;
    perCalendar.push(ms(t));
  });
  const total = ms(t0);
  return { calendars: conns.length, events, covered, totalMs: Math.round(total), eventsPerSecond: Math.round((events / total) * 1000), perCalendarMs: stats(perCalendar) };
}

async function google(): Promise<Record<string, unknown>> {
  const fake = await FakeGoogleCalendarServer.start();
  try {
    const provider = new GoogleCalendarProvider({ clientId: fake.clientId, clientSecret: fake.clientSecret, redirectUri: 'https://x/cb', apiRootUrl: fake.apiRootUrl, tokenUrl: fake.tokenUrl });
    const conns: Conn[] = [];
    for (let c = 0; c < CALENDARS; c++) {
      const calendarId = `user${c}@acme.com`;
      for (let e = 0; e < EVENTS; e++) {
        const start = new Date(NOW.getTime() + ((e % 27) + 0.5) * DAY + (e % 8) * 3_600_000).toISOString();
        fake.putEvent(calendarId, {
          id: `e${e}`,
          summary: e % 10 === 0 ? 'Focus block' : `Meeting ${e}`,
          start: { dateTime: start },
          end: { dateTime: new Date(Date.parse(start) + 1_800_000).toISOString() },
          organizer: { email: calendarId, self: true },
          attendees: [
            { email: calendarId, self: true, responseStatus: 'accepted' },
            { email: e % 3 === 0 ? 'guest@customer.io' : 'bob@acme.com', responseStatus: 'needsAction' },
          ],
          ...LINKS[e % LINKS.length],
        });
      }
      const g = fake.createGrant();
      conns.push({ ctx: { calendarId, tokens: { accessToken: g.accessToken, refreshToken: g.refreshToken, expiresAt: g.expiresAt, scopes: [] } }, cursor: '' });
    }
    const initial = await initialSync(provider, conns);

    // Steady state: a change, its push notification (verified), an incremental sync, re-planning.
    const secret = 'bench-secret';
    const latencies: number[] = [];
    let changesSeen = 0;
    for (let i = 0; i < NOTIFICATIONS; i++) {
      const conn = conns[(i * 7) % conns.length];
      const start = new Date(NOW.getTime() + 3 * DAY + i * 60_000).toISOString();
      fake.putEvent(conn.ctx.calendarId, { id: 'e1', summary: 'Moved', start: { dateTime: start }, end: { dateTime: new Date(Date.parse(start) + 1_800_000).toISOString() }, ...LINKS[1] });
      const t = process.hrtime.bigint();
      const verdict = verifyGoogleNotification(
        { 'x-goog-channel-id': 'ch', 'x-goog-channel-token': secret, 'x-goog-resource-id': 'res', 'x-goog-resource-state': 'exists', 'x-goog-message-number': String(i + 2) },
        () => ({ channel: { provider: 'google', id: 'ch', resourceId: 'res', secret, expiresAt: new Date(Date.now() + DAY) }, lastMessageNumber: i + 1 }),
      );
      if (verdict.action !== 'sync') throw new Error(`unexpected verdict ${verdict.action}`);
      const inc = await provider.listEvents(conn.ctx, { cursor: conn.cursor });
      inc.events.forEach((e: CalendarEventSnapshot) => decideCoverage(e, RULES));
      changesSeen += inc.events.length;
      conn.cursor = inc.cursor;
      latencies.push(ms(t));
    }
    return { initial, notification: { ...stats(latencies), changesSeen } };
  } finally {
    await fake.stop();
  }
}

async function microsoft(): Promise<Record<string, unknown>> {
  const fake = await FakeGraphServer.start();
  try {
    const provider = new MicrosoftCalendarProvider({ clientId: fake.clientId, clientSecret: fake.clientSecret, redirectUri: 'https://x/cb', authorityBaseUrl: fake.url, graphBaseUrl: fake.url });
    // The fake holds one mailbox: every connection is its own grant and delta chain over it.
    for (let e = 0; e < EVENTS; e++) {
      const start = new Date(NOW.getTime() + ((e % 27) + 0.5) * DAY + (e % 8) * 3_600_000);
      const link = LINKS[e % LINKS.length];
      fake.putEvent({
        id: `e${e}`,
        subject: e % 10 === 0 ? 'Focus block' : `Meeting ${e}`,
        start: { dateTime: graphDateTime(start), timeZone: 'UTC' },
        end: { dateTime: graphDateTime(new Date(start.getTime() + 1_800_000)), timeZone: 'UTC' },
        isOrganizer: true,
        attendees: [{ emailAddress: { address: e % 3 === 0 ? 'guest@customer.io' : 'bob@acme.com' }, status: { response: 'none' } }],
        ...('conferenceData' in link
          ? { onlineMeeting: { joinUrl: 'https://teams.microsoft.com/meet/2345678901234?p=AbCdEf' } }
          : 'description' in link
            ? { body: { contentType: 'html', content: link.description } }
            : { location: { displayName: link.location } }),
      });
    }
    const conns: Conn[] = [];
    for (let c = 0; c < CALENDARS; c++) {
      const g = fake.createGrant();
      conns.push({ ctx: { calendarId: 'primary', selfEmail: `user${c}@acme.com`, tokens: { accessToken: g.accessToken, refreshToken: g.refreshToken, expiresAt: g.expiresAt, scopes: [] } }, cursor: '' });
    }
    const initial = await initialSync(provider, conns);

    const clientState = 'bench-secret';
    const latencies: number[] = [];
    let changesSeen = 0;
    for (let i = 0; i < NOTIFICATIONS; i++) {
      const conn = conns[(i * 7) % conns.length];
      const start = new Date(NOW.getTime() + 3 * DAY + i * 60_000);
      fake.putEvent({ id: 'e1', subject: 'Moved', start: { dateTime: graphDateTime(start), timeZone: 'UTC' }, end: { dateTime: graphDateTime(new Date(start.getTime() + 1_800_000)), timeZone: 'UTC' }, body: { contentType: 'html', content: LINKS[1].description } });
      const t = process.hrtime.bigint();
      const outcome = handleGraphNotification({ query: {}, body: { value: [{ subscriptionId: 'sub', clientState, changeType: 'updated' }] } }, () => ({ clientState }));
      if (outcome.kind !== 'notifications' || outcome.actions.length !== 1) throw new Error('unexpected outcome');
      const inc = await provider.listEvents(conn.ctx, { cursor: conn.cursor });
      inc.events.forEach((e: CalendarEventSnapshot) => decideCoverage(e, RULES));
      changesSeen += inc.events.length;
      conn.cursor = inc.cursor;
      latencies.push(ms(t));
    }
    return { initial, notification: { ...stats(latencies), changesSeen } };
  } finally {
    await fake.stop();
  }
}

function linkExtraction(): Record<string, unknown> {
  const body = `<html><body><div>Microsoft Teams meeting</div><a href="https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent('https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ5ZDBkMzYtZTk2Ni00ODU0LWI0ZjEtZDVkYTk3ZWI2ZjYw%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%7d')}&amp;data=05">Join</a>${'<p>Agenda line with https://contoso.sharepoint.com/sites/x link</p>'.repeat(20)}</body></html>`;
  const inputs = [{ body }, LINKS[0], LINKS[1], LINKS[2], LINKS[3]];
  const N = 20_000;
  for (let i = 0; i < 500; i++) extractMeetingLink(inputs[i % inputs.length]);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) extractMeetingLink(inputs[i % inputs.length]);
  return { extractions: N, microsPerEvent: Math.round((ms(t0) * 1000) / N), outlookBodyBytes: body.length };
}

async function main(): Promise<void> {
  const result = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    params: { calendars: CALENDARS, eventsPerCalendar: EVENTS, concurrency: CONCURRENCY, notifications: NOTIFICATIONS },
    linkExtraction: linkExtraction(),
    google: await google(),
    microsoft: await microsoft(),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

void main();
