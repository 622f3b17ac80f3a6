import type { Transcript, Utterance, Word } from './transcript';

/**
 * Deterministic synthetic meetings for benchmarks and load tests (not for judging metrics: use the
 * AMI fixtures for that). Shaped like AMI: turns of 2–60 words at 130–190 WPM, gaps around +0.2 s
 * with a share of overlapped transitions, short backchannels inside other people's turns, fillers
 * and questions, and word timings.
 */

export interface SyntheticOptions {
  speakers: number;
  durationSec: number;
  /** PRNG seed; the same options always give the same transcript. */
  seed?: number;
  /** Include per-word timings (default true). */
  words?: boolean;
}

/** mulberry32: a tiny, well-known 32-bit PRNG; enough for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCAB = (
  'we should look at the remote control design and the budget for next quarter because users want ' +
  'something simple that works with the television and maybe a voice button so the price stays low ' +
  'while the materials feel solid in the hand and the buttons are easy to find in the dark'
).split(' ');
const FILLERS = ['um', 'uh', 'you know', 'i mean', 'sort of'];
const BACKCHANNELS = ['yeah', 'mm-hmm', 'right', 'okay'];

export function syntheticMeeting(opts: SyntheticOptions): Transcript {
  const rand = prng(opts.seed ?? 1);
  const n = Math.max(1, opts.speakers);
  const withWords = opts.words ?? true;
  const speakers = Array.from({ length: n }, (_, i) => ({ id: `S${i + 1}`, name: `Speaker ${i + 1}` }));
  const pace = speakers.map(() => 130 + rand() * 60);
  const fillerRate = speakers.map(() => rand() * 0.08);
  // Unequal floor time, like real meetings: weights 1, 1/2, 1/3… shuffled.
  const weight = speakers.map((_, i) => 1 / (1 + (i % 4)));
  const utterances: Utterance[] = [];
  let t = rand() * 2;
  let prev = -1;

  const build = (speaker: number, start: number, count: number, question: boolean): Utterance => {
    const tokens: string[] = [];
    while (tokens.length < count) {
      if (rand() < fillerRate[speaker]) tokens.push(...FILLERS[Math.floor(rand() * FILLERS.length)].split(' '));
      else tokens.push(VOCAB[Math.floor(rand() * VOCAB.length)]);
    }
    const perWord = 60 / pace[speaker];
    const words: Word[] = tokens.map((text, i) => ({
      text,
      start: Math.round((start + i * perWord) * 1000) / 1000,
      end: Math.round((start + (i + 0.9) * perWord) * 1000) / 1000,
    }));
    const u: Utterance = {
      speaker: speakers[speaker].id,
      start: words[0].start,
      end: words[words.length - 1].end,
      text: `${tokens.join(' ')}${question ? '?' : '.'}`,
    };
    if (withWords) u.words = words;
    return u;
  };

  while (t < opts.durationSec) {
    let speaker = prev;
    if (n > 1) {
      const total = weight.reduce((a, w, i) => a + (i === prev ? 0 : w), 0);
      let r = rand() * total;
      for (let i = 0; i < n; i++) {
        if (i === prev) continue;
        r -= weight[i];
        if (r <= 0) {
          speaker = i;
          break;
        }
      }
      if (speaker === prev || speaker < 0) speaker = (prev + 1) % n;
    } else speaker = 0;
    const count = 2 + Math.floor(rand() ** 2 * 58);
    const u = build(speaker, t, count, rand() < 0.15);
    if (u.end > opts.durationSec) break;
    utterances.push(u);
    // A backchannel from someone else inside a long turn.
    if (n > 1 && u.end - u.start > 6 && rand() < 0.4) {
      const other = (speaker + 1 + Math.floor(rand() * (n - 1))) % n;
      const at = u.start + (u.end - u.start) * (0.3 + rand() * 0.4);
      const b = BACKCHANNELS[Math.floor(rand() * BACKCHANNELS.length)];
      const bc: Utterance = { speaker: speakers[other].id, start: round3(at), end: round3(at + 0.4), text: `${b}.` };
      if (withWords) bc.words = [{ text: b, start: bc.start, end: bc.end }];
      utterances.push(bc);
    }
    // Gap to the next turn: mostly a short gap, sometimes overlap, sometimes a pause.
    const r = rand();
    const gap = r < 0.4 ? -rand() * 1.5 : r < 0.9 ? rand() * 0.8 : 1 + rand() * 4;
    t = Math.max(u.start + 0.1, u.end + gap);
    prev = speaker;
  }
  utterances.sort((a, b) => a.start - b.start || a.end - b.end);
  return { durationSec: opts.durationSec, speakers, utterances };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
