import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeTranscript, syntheticMeeting, type SpeakerAnalysis } from '@rapport/analytics';
import { startFakeOpenAi, type FakeOpenAi } from '@rapport/transcription';
import { OpenAiRefiner } from './refine';

let fake: FakeOpenAi;
let speaker: SpeakerAnalysis;
let ownTexts: string[];
let othersTexts: string[];
const errors: unknown[] = [];
let refiner: OpenAiRefiner;

before(async () => {
  fake = await startFakeOpenAi('sk-refine');
  const t = syntheticMeeting({ speakers: 4, durationSec: 1800, seed: 7 });
  const analysis = analyzeTranscript(t);
  speaker = analysis.speakers.find((s) => s.improvementAreas.length >= 2)!;
  assert.ok(speaker, 'the synthetic meeting has a speaker with improvement areas');
  ownTexts = t.utterances.filter((u) => u.speaker === speaker.id).map((u) => u.text);
  othersTexts = t.utterances.filter((u) => u.speaker !== speaker.id && u.text.split(' ').length > 8).map((u) => u.text);
  refiner = new OpenAiRefiner({ apiKey: 'sk-refine', baseURL: `${fake.url}/v1`, model: 'gpt-4o-mini' }, (e) => errors.push(e));
});
after(() => fake.close());

test('a valid structured reply replaces the wording; the request carries only the speaker’s own words', async () => {
  const area = speaker.improvementAreas[0]!.area;
  fake.chatReplies.push(JSON.stringify({ recommendations: [{ area, text: `You reached ${speaker.wordsPerMinute} words per minute; try one pause per sentence next meeting.` }] }));
  const r = await refiner.refine(speaker);
  assert.deepEqual(r, { model: 'gpt-4o-mini', recommendations: [`You reached ${speaker.wordsPerMinute} words per minute; try one pause per sentence next meeting.`] });
  const req = fake.chatRequests.at(-1)!;
  assert.equal(req.model, 'gpt-4o-mini');
  const rf = req.response_format as { type: string; json_schema: { strict: boolean; schema: { properties: { recommendations: { items: { properties: { area: { enum: string[] } } } } } } } };
  assert.equal(rf.type, 'json_schema');
  assert.equal(rf.json_schema.strict, true);
  assert.deepEqual(rf.json_schema.schema.properties.recommendations.items.properties.area.enum, speaker.improvementAreas.map((a) => a.area));
  const user = JSON.parse((req.messages as Array<{ role: string; content: string }>).find((m) => m.role === 'user')!.content) as {
    improvementAreas: Array<{ excerpts: Array<{ text: string }> }>;
  };
  const sent = user.improvementAreas.flatMap((a) => a.excerpts.map((e) => e.text));
  assert.ok(sent.length > 0);
  for (const text of sent) assert.ok(ownTexts.some((o) => o.includes(text.replace(/…/g, '').trim().split(' ').slice(0, 4).join(' '))), `"${text.slice(0, 40)}" is the speaker’s own`);
  const body = JSON.stringify(req);
  for (const other of othersTexts.slice(0, 50)) assert.ok(!body.includes(other), 'no other speaker’s utterance is sent');
  assert.ok(!body.includes(speaker.name), 'not even the speaker’s name');
});

test('invalid replies (unknown area, no figure, not JSON, too many) and HTTP errors leave the deterministic result', async () => {
  const area = speaker.improvementAreas[0]!.area;
  const bad = [
    JSON.stringify({ recommendations: [{ area: 'charisma', text: 'Be more charismatic in 3 ways.' }] }),
    JSON.stringify({ recommendations: [{ area, text: 'Just try to be clearer and calmer overall.' }] }),
    'not json at all',
    JSON.stringify({ recommendations: Array.from({ length: 12 }, () => ({ area, text: 'Say 1 thing at a time, please.' })) }),
    JSON.stringify({ recommendations: [] }),
  ];
  for (const reply of bad) {
    fake.chatReplies.push(reply);
    assert.equal(await refiner.refine(speaker), null, reply.slice(0, 60));
  }
  const before = fake.requests.length;
  fake.failNext('POST /v1/chat/completions', { status: 500, body: { error: { message: 'boom', type: 'server_error' } } }, { status: 500, body: { error: { message: 'boom', type: 'server_error' } } });
  assert.equal(await refiner.refine(speaker), null);
  assert.equal(fake.requests.length - before, 2, 'one SDK retry, then give up');
  assert.ok(errors.length >= bad.length);
});

test('no improvement areas: nothing to refine, no request', async () => {
  const before = fake.chatRequests.length;
  assert.equal(await refiner.refine({ ...speaker, improvementAreas: [], recommendations: [] }), null);
  assert.equal(fake.chatRequests.length, before);
});
