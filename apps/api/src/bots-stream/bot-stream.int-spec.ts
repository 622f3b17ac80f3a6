import 'reflect-metadata';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DataSource } from 'typeorm';
import { BotsRepository } from '@rapport/database';
import { registerAndLogin, startApi, type ApiHarness } from '../../test/api-harness';

interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/** Reads server-sent events until `stop` says so (or the stream ends). */
async function readEvents(url: string, token: string, stop: (m: SseMessage[]) => boolean, headers: Record<string, string> = {}): Promise<SseMessage[]> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const out: SseMessage[] = [];
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const m: SseMessage = { event: 'message', data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) m.id = line.slice(4);
        else if (line.startsWith('event: ')) m.event = line.slice(7);
        else if (line.startsWith('data: ')) m.data += line.slice(6);
      }
      if (m.data) out.push(m);
    }
    if (stop(out)) {
      await reader.cancel();
      break;
    }
  }
  return out;
}

describe('GET /api/v1/bots/:id/stream', () => {
  let api: ApiHarness;
  let bots: BotsRepository;
  let owner: { id: string; accessToken: string };
  let other: { id: string; accessToken: string };
  let botId = '';

  before(async () => {
    api = await startApi();
    bots = new BotsRepository(api.app.get(DataSource));
    owner = await registerAndLogin(api, 'owner@example.test');
    other = await registerAndLogin(api, 'other@example.test');
    const created = await api.request('POST', '/api/v1/bots', { token: owner.accessToken, body: { meetingUrl: 'https://meet.google.com/abc-defg-hij' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    botId = created.body.id;
  });

  after(async () => {
    await api?.close();
  });

  test('streams status changes live, explained, and ends after a final status', async () => {
    const url = `${api.baseUrl}/api/v1/bots/${botId}/stream`;
    const reading = readEvents(url, owner.accessToken, (m) => m.some((x) => x.event === 'end'));
    const t0 = Date.now();
    await bots.applyEvent(botId, { code: 'joining_call', subCode: null, at: new Date(t0) });
    await new Promise((r) => setTimeout(r, 1200));
    await bots.applyEvent(botId, { code: 'in_waiting_room', subCode: null, at: new Date(t0 + 1) });
    await bots.applyEvent(botId, { code: 'call_ended', subCode: 'request_to_join_denied', at: new Date(t0 + 2) });
    await bots.applyEvent(botId, { code: 'fatal', subCode: 'request_to_join_denied', at: new Date(t0 + 3) }).catch(() => false);
    await bots.applyEvent(botId, { code: 'done', subCode: null, at: new Date(t0 + 4) }).catch(() => false);
    const events = await reading;
    const statuses = events.filter((e) => e.event === 'status').map((e) => JSON.parse(e.data) as { code: string; subCode: string | null; explanation: string });
    const codes = statuses.map((s) => s.code);
    // In order, each once; the initial "scheduled" row (written at creation) may lead.
    assert.deepEqual(codes.filter((c) => c !== 'scheduled').slice(0, 3), ['joining_call', 'in_waiting_room', 'call_ended']);
    const denied = statuses.find((s) => s.code === 'call_ended')!;
    assert.match(denied.explanation, /host denied entry/);
    assert.equal(events.at(-1)!.event, 'end');
    // Resuming after the last seen id replays nothing but what came later.
    const ids = events.filter((e) => e.id).map((e) => e.id!);
    const resumed = await readEvents(url, owner.accessToken, (m) => m.some((x) => x.event === 'end') || m.length > 0, { 'last-event-id': ids[ids.length - 2]! });
    assert.equal(resumed[0]!.id, ids.at(-1));
  });

  test("another user's bot is not found; no token is refused", async () => {
    const r = await api.request('GET', `/api/v1/bots/${botId}/stream`, { token: other.accessToken });
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'bot_not_found');
    assert.equal((await api.request('GET', `/api/v1/bots/${botId}/stream`)).status, 401);
    assert.equal((await api.request('GET', `/api/v1/bots/not-a-uuid/stream`, { token: owner.accessToken })).status, 400);
  });
});
