import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@rapport/common';
import { analyzeTranscript, computeMetrics, loadAmiMeeting, parseTranscript } from '@rapport/analytics';
import type { SpeakerMetrics, TranscriptMetrics } from '@rapport/analytics';

/**
 * The engine on five real AMI meetings, checked against a reference the test computes on its own
 * from the raw XML (regular expressions, a 1 ms time grid, brute-force loops; nothing from the
 * engine), then against the reference values in the field notes (tolerance bands).
 */

const AMI = join(repoRoot(), 'libs', 'analytics', 'fixtures', 'ami');
const MEETINGS = ['ES2004a', 'TS3003a', 'EN2002b', 'IS1009a', 'ES2008a'] as const;

// ---------------------------------------------------------------------------------------------
// Independent reference computation from the XML.

interface RefWord {
  id: string;
  tag: string;
  text: string;
  punc: boolean;
  start: number | null;
  end: number | null;
}

interface RefUtt {
  speaker: string;
  start: number;
  end: number;
  /** Non-punctuation timed words, lower-cased. */
  words: string[];
  /** Timed punctuation and words in order, to find runs of "?". */
  tokens: string[];
  /** Times of the non-punctuation timed words. */
  times: Array<{ start: number; end: number }>;
}

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m === null ? null : m[1];
}

function refWords(xml: string): RefWord[] {
  const out: RefWord[] = [];
  const re = /<(w|vocalsound|disfmarker|gap|transformerror|comment|pause|nonvocalsound)\b([^>]*?)(?:\/>|>([^<]*)<\/\1>)/g;
  for (const m of xml.matchAll(re)) {
    const start = attr(m[2], 'starttime');
    const end = attr(m[2], 'endtime');
    out.push({
      id: attr(m[2], 'nite:id') ?? '',
      tag: m[1],
      text: (m[3] ?? '').replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
      punc: attr(m[2], 'punc') === 'true',
      start: start === null ? null : Number(start),
      end: end === null ? null : Number(end),
    });
  }
  return out;
}

function refUtterances(meeting: string, agent: string): RefUtt[] {
  const words = refWords(readFileSync(join(AMI, 'words', `${meeting}.${agent}.words.xml`), 'latin1'));
  const pos = new Map(words.map((w, i) => [w.id, i]));
  const segXml = readFileSync(join(AMI, 'segments', `${meeting}.${agent}.segments.xml`), 'latin1');
  const out: RefUtt[] = [];
  for (const m of segXml.matchAll(/href="[^#"]*#id\(([^)]+)\)(?:\.\.id\(([^)]+)\))?"/g)) {
    const a = pos.get(m[1]);
    const b = pos.get(m[2] ?? m[1]);
    assert.ok(a !== undefined && b !== undefined, `segment range ${m[1]} resolves`);
    const timed = words.slice(a, b + 1).filter((w) => w.tag === 'w' && w.start !== null && w.end !== null);
    const spoken = timed.filter((w) => !w.punc);
    if (spoken.length === 0) continue;
    out.push({
      speaker: agent,
      start: Math.min(...spoken.map((w) => w.start as number)),
      end: Math.max(...spoken.map((w) => w.end as number)),
      words: spoken.map((w) => w.text.toLowerCase()),
      tokens: timed.map((w) => w.text),
      times: spoken.map((w) => ({ start: w.start as number, end: w.end as number })),
    });
  }
  return out;
}

function refAgents(meeting: string): { agents: string[]; duration: number; roles: Record<string, string> } {
  const xml = readFileSync(join(AMI, 'meetings.xml'), 'latin1');
  const block = new RegExp(`<meeting [^>]*observation="${meeting}"[^>]*>([\\s\\S]*?)</meeting>`).exec(xml);
  assert.ok(block !== null, `${meeting} is in meetings.xml`);
  const duration = Number(attr(block[0].slice(0, block[0].indexOf('>') + 1), 'duration'));
  const roles: Record<string, string> = {};
  for (const s of block[1].matchAll(/<speaker [^>]*>/g)) {
    roles[attr(s[0], 'nxt_agent') as string] = attr(s[0], 'role') ?? '';
  }
  return { agents: Object.keys(roles).sort(), duration, roles };
}

const FILLERS = new Set(['um', 'uh', 'er', 'erm', 'ah', 'eh', 'hmm']);
const PAIRS = new Set(['you know', 'i mean', 'sort of', 'kind of']);

function refFillers(words: string[]): number {
  let n = 0;
  for (let i = 0; i < words.length; i++) {
    if (FILLERS.has(words[i])) n++;
    else if (i + 1 < words.length && PAIRS.has(`${words[i]} ${words[i + 1]}`)) {
      n++;
      i++;
    }
  }
  return n;
}

function refQuestionRuns(tokens: string[]): number {
  let n = 0;
  for (let i = 0; i < tokens.length; i++) if (tokens[i] === '?' && tokens[i - 1] !== '?') n++;
  return n;
}

/** Talkspurts: word intervals merged across silences under 0.3 s (the field notes' definition). */
function refTalkspurts(iv: Array<{ start: number; end: number }>): Array<{ start: number; end: number }> {
  const s = iv.filter((x) => x.end > x.start).sort((a, b) => a.start - b.start);
  const out: Array<{ start: number; end: number }> = [];
  for (const x of s) {
    const last = out[out.length - 1];
    if (last !== undefined && x.start - last.end < 0.3) last.end = Math.max(last.end, x.end);
    else out.push({ start: x.start, end: x.end });
  }
  return out;
}

interface RefSpeaker {
  talk: number;
  words: number;
  fillers: number;
  questions: number;
  monologue: number;
  turns: number;
  made: number;
  received: number;
  offsets: number[];
}

interface RefMeeting {
  duration: number;
  overlapShare: number;
  gini: number;
  switchesPerMinute: number;
  speakers: Record<string, RefSpeaker>;
  roles: Record<string, string>;
}

function reference(meeting: string): RefMeeting {
  const { agents, duration: listed, roles } = refAgents(meeting);
  const utts = agents.flatMap((a) => refUtterances(meeting, a));
  const duration = Math.max(listed, ...utts.map((u) => u.end));

  // Talk time and overlap on a 1 ms grid.
  const cells = Math.ceil(duration * 1000) + 1;
  const grids = new Map(agents.map((a) => [a, new Uint8Array(cells)]));
  for (const u of utts) {
    const g = grids.get(u.speaker) as Uint8Array;
    for (let c = Math.round(u.start * 1000); c < Math.round(u.end * 1000); c++) g[c] = 1;
  }
  let any = 0;
  let two = 0;
  for (let c = 0; c < cells; c++) {
    let k = 0;
    for (const a of agents) k += (grids.get(a) as Uint8Array)[c];
    if (k >= 1) any++;
    if (k >= 2) two++;
  }
  const talk = Object.fromEntries(agents.map((a) => [a, (grids.get(a) as Uint8Array).reduce((x, y) => x + y, 0) / 1000]));

  // Gini as the mean absolute difference over twice the mean.
  const xs = agents.map((a) => talk[a]);
  const mean = xs.reduce((x, y) => x + y, 0) / xs.length;
  let diff = 0;
  for (const x of xs) for (const y of xs) diff += Math.abs(x - y);
  const gini = mean > 0 ? diff / (2 * xs.length * xs.length * mean) : 0;

  // Floor model on word-timed talkspurts: spurts not inside another speaker's spurt; runs of one
  // speaker are turns.
  const spurts = agents.flatMap((a) =>
    refTalkspurts(utts.filter((u) => u.speaker === a).flatMap((u) => u.times)).map((s) => ({ ...s, speaker: a })),
  );
  const floor = spurts
    .filter((s) => !spurts.some((o) => o.speaker !== s.speaker && o.start <= s.start && o.end >= s.end))
    .sort((a, b) => a.start - b.start);
  const speakers: Record<string, RefSpeaker> = {};
  for (const a of agents) {
    const own = utts.filter((u) => u.speaker === a);
    const words = own.flatMap((u) => u.words);
    // Longest monologue by brute force: from every own utterance, extend while the rules hold.
    const sorted = own.filter((u) => u.end > u.start).sort((x, y) => x.start - y.start);
    const otherStarts = utts.filter((u) => u.speaker !== a && u.end - u.start >= 1 - 1e-9).map((u) => u.start);
    let monologue = 0;
    for (let i = 0; i < sorted.length; i++) {
      let end = sorted[i].end;
      monologue = Math.max(monologue, end - sorted[i].start);
      for (let j = i + 1; j < sorted.length; j++) {
        if (sorted[j].start - end >= 3 - 1e-9) break;
        const newEnd = Math.max(end, sorted[j].end);
        if (otherStarts.some((s) => s > sorted[i].start && s < newEnd)) break;
        end = newEnd;
        monologue = Math.max(monologue, end - sorted[i].start);
      }
    }
    speakers[a] = {
      talk: talk[a],
      words: words.length,
      fillers: own.reduce((n, u) => n + refFillers(u.words), 0),
      questions: own.reduce((n, u) => n + refQuestionRuns(u.tokens), 0),
      monologue,
      turns: 0,
      made: 0,
      received: 0,
      offsets: [],
    };
  }
  let switches = 0;
  for (let i = 0; i < floor.length; i++) {
    if (i > 0 && floor[i - 1].speaker === floor[i].speaker) continue;
    speakers[floor[i].speaker].turns++;
    if (i === 0) continue;
    switches++;
    const offset = floor[i].start - floor[i - 1].end;
    speakers[floor[i].speaker].offsets.push(offset);
    if (offset <= -1 + 1e-9) {
      speakers[floor[i].speaker].made++;
      speakers[floor[i - 1].speaker].received++;
    }
  }
  return {
    duration,
    overlapShare: any > 0 ? two / any : 0,
    gini,
    switchesPerMinute: switches / (duration / 60),
    speakers,
    roles,
  };
}

function refMedian(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function close(actual: number | null, expected: number | null, tol: number, what: string): void {
  assert.ok(actual !== null && expected !== null, `${what}: both defined (${actual} vs ${expected})`);
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs reference ${expected} (tolerance ${tol})`);
}

// ---------------------------------------------------------------------------------------------

const engine = new Map<string, TranscriptMetrics>();
const refs = new Map<string, RefMeeting>();
for (const m of MEETINGS) {
  engine.set(m, computeMetrics(parseTranscript(loadAmiMeeting(AMI, m))));
  refs.set(m, reference(m));
}
const allSpeakers = (): Array<{ meeting: string; s: SpeakerMetrics; role: string }> =>
  MEETINGS.flatMap((m) =>
    (engine.get(m) as TranscriptMetrics).speakers.map((s) => ({ meeting: m, s, role: (refs.get(m) as RefMeeting).roles[s.id] })),
  );
const median = (xs: number[]): number => refMedian(xs) as number;

describe('AMI meetings: engine vs an independent reference from the XML', () => {
  for (const m of MEETINGS) {
    test(m, () => {
      const e = engine.get(m) as TranscriptMetrics;
      const r = refs.get(m) as RefMeeting;
      assert.equal(e.speakers.length, 4);
      close(e.meeting.durationSec, r.duration, 0.001, `${m} durationSec`);
      close(e.meeting.overlapShare, r.overlapShare, 0.002, `${m} overlapShare`);
      close(e.meeting.talkTimeGini, r.gini, 0.002, `${m} talkTimeGini`);
      close(e.meeting.speakerSwitchesPerMinute, r.switchesPerMinute, 0.002, `${m} speakerSwitchesPerMinute`);
      const totalTalk = Object.values(r.speakers).reduce((a, s) => a + s.talk, 0);
      for (const s of e.speakers) {
        const rs = r.speakers[s.id];
        const what = `${m} ${s.id}`;
        // The grid rounds each utterance edge to 1 ms (AMI times are in 10 ms steps, so it is exact).
        close(s.talkTimeSec, rs.talk, 0.02, `${what} talkTimeSec`);
        close(s.talkTimeShare, rs.talk / totalTalk, 0.001, `${what} talkTimeShare`);
        assert.equal(s.wordCount, rs.words, `${what} wordCount`);
        close(s.wordsPerMinute, (rs.words / rs.talk) * 60, 0.5, `${what} wordsPerMinute`);
        close(s.fillerWordsPer100, (100 * rs.fillers) / rs.words, 0.006, `${what} fillerWordsPer100`);
        assert.equal(s.questionCount, rs.questions, `${what} questionCount`);
        close(s.longestMonologueSec, rs.monologue, 0.001, `${what} longestMonologueSec`);
        assert.equal(s.turns, rs.turns, `${what} turns`);
        assert.equal(s.interruptionsMade, rs.made, `${what} interruptionsMade`);
        assert.equal(s.interruptionsReceived, rs.received, `${what} interruptionsReceived`);
        close(s.medianResponseGapSec, refMedian(rs.offsets), 0.001, `${what} medianResponseGapSec`);
      }
    });
  }
});

describe('AMI meetings: plausibility against the field notes (tolerance bands)', () => {
  test('talk shares sum to 1 in every meeting', () => {
    for (const m of MEETINGS) {
      const sum = (engine.get(m) as TranscriptMetrics).speakers.reduce((a, s) => a + s.talkTimeShare, 0);
      close(sum, 1, 0.001, `${m} share sum`);
    }
  });

  test('ES2004a PM share ≈ 0.42; TS3003a PM dominates (≈ 0.83); Gini(TS3003a) > Gini(ES2004a)', () => {
    const pm = (m: string): SpeakerMetrics =>
      allSpeakers().find((x) => x.meeting === m && x.role === 'PM')?.s as SpeakerMetrics;
    close(pm('ES2004a').talkTimeShare, 0.42, 0.04, 'ES2004a PM share');
    close(pm('TS3003a').talkTimeShare, 0.83, 0.04, 'TS3003a PM share');
    assert.ok(
      (engine.get('TS3003a') as TranscriptMetrics).meeting.talkTimeGini >
        (engine.get('ES2004a') as TranscriptMetrics).meeting.talkTimeGini,
    );
  });

  test('EN2002b has much overlap (> 20 %); the others sit within AMI p10–p90 give or take (3–21 %)', () => {
    assert.ok((engine.get('EN2002b') as TranscriptMetrics).meeting.overlapShare > 0.2);
    for (const m of MEETINGS.filter((x) => x !== 'EN2002b')) {
      const o = (engine.get(m) as TranscriptMetrics).meeting.overlapShare;
      assert.ok(o > 0.03 && o < 0.21, `${m} overlap ${o}`);
    }
  });

  test('speaker-level medians fall inside the AMI corpus bands', () => {
    const sp = allSpeakers().map((x) => x.s);
    const wpm = median(sp.map((s) => s.wordsPerMinute as number));
    // Utterance time here spans first to last word of a segment: between the corpus' segment-time
    // median (152) and word-aligned median (171), up to its p75 (189).
    assert.ok(wpm >= 150 && wpm <= 189, `median WPM ${wpm}`);
    const fillers = median(sp.map((s) => s.fillerWordsPer100 as number));
    // Corpus: um/uh/er/erm median 3.4, broad lexicon 5.3; ours lies between the two lexicons.
    assert.ok(fillers >= 2 && fillers <= 6.5, `median fillers/100 ${fillers}`);
    const mono = median(sp.map((s) => s.longestMonologueSec));
    assert.ok(mono >= 14 && mono <= 54, `median longest monologue ${mono} (corpus p10 14, p75 53)`);
    const gap = median(sp.map((s) => s.medianResponseGapSec as number));
    assert.ok(gap >= -0.2 && gap <= 0.8, `median signed response gap ${gap} (corpus pooled FTO median +0.14)`);
  });

  test('meeting-level switches per minute and Gini are inside the corpus p10–p90 (PM-dominated TS3003a aside)', () => {
    for (const m of MEETINGS) {
      const e = (engine.get(m) as TranscriptMetrics).meeting;
      // Segment-level utterances merge talkspurts, so switch rates run at or below the corpus' (4.3–11.1).
      assert.ok(e.speakerSwitchesPerMinute >= 2.5 && e.speakerSwitchesPerMinute <= 11.1, `${m} switches ${e.speakerSwitchesPerMinute}`);
      if (m !== 'TS3003a') assert.ok(e.talkTimeGini >= 0.089 && e.talkTimeGini <= 0.4, `${m} Gini ${e.talkTimeGini}`);
    }
  });

  test('role ordering: the PM talks more and asks more than the other roles on average', () => {
    const sp = allSpeakers().filter((x) => x.role !== '');
    const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const pm = sp.filter((x) => x.role === 'PM');
    const rest = sp.filter((x) => x.role !== 'PM');
    assert.equal(pm.length, 4);
    assert.ok(avg(pm.map((x) => x.s.talkTimeShare)) > avg(rest.map((x) => x.s.talkTimeShare)));
    assert.ok(avg(pm.map((x) => x.s.questionCount)) > avg(rest.map((x) => x.s.questionCount)));
  });

  test('the full analysis flags the dominant PM of TS3003a, with timestamped excerpts of their own words', () => {
    const t = parseTranscript(loadAmiMeeting(AMI, 'TS3003a'));
    const pm = analyzeTranscript(t).speakers.find((s) => s.id === 'A');
    assert.ok(pm !== undefined);
    const area = pm.improvementAreas.find((a) => a.area === 'turn_taking');
    assert.ok(area !== undefined, 'turn_taking area raised');
    assert.ok(area.evidence.excerpts.length > 0);
    for (const ex of area.evidence.excerpts) {
      const own = t.utterances.find((u) => u.speaker === 'A' && u.start === ex.start && u.end === ex.end);
      assert.ok(own !== undefined && own.text.startsWith(ex.text.replace(/…$/, '')), `excerpt ${ex.start} is A's own`);
    }
    assert.equal(pm.recommendations.length, pm.improvementAreas.length);
  });
});
