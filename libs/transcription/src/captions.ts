import type { BotCaption, BotSpeakerTurn, BotTimeline, ProviderResult, ProviderSegment } from './types';

/** Speech rate used to estimate how long a caption was spoken when the timeline has no turn for it. */
const ESTIMATE_WORDS_PER_SEC = 2.5;
/** Platform captions appear after the words are spoken; a turn may start this much earlier. */
const CAPTION_LAG_SEC = 4;

function findTurn(turns: BotSpeakerTurn[], speaker: string, at: number): BotSpeakerTurn | undefined {
  let best: BotSpeakerTurn | undefined;
  for (const t of turns) {
    if (t.speaker !== speaker) continue;
    const s = t.startMs / 1000;
    const e = t.endMs / 1000;
    if (at >= s - 1 && at <= e + 0.5 && (!best || s > best.startMs / 1000)) best = t;
    else if (!best && at >= s - CAPTION_LAG_SEC && at < s) best = t;
  }
  return best;
}

/**
 * The platform's captions as a transcript source: each caption line is a segment named by the
 * platform. Captions carry only the time they appeared, so their span comes from the bot's
 * speaking turn for that person (the active-speaker indicator), split between consecutive lines
 * of the same turn; without a turn it is estimated from the word count. Word times are spread
 * evenly over the span (captions have none).
 */
export function captionsToResult(captions: BotCaption[], timeline: BotTimeline | null): ProviderResult {
  const turns = timeline?.speakerTurns ?? [];
  const sorted = [...captions].filter((c) => c.text.trim()).sort((a, b) => a.atMs - b.atMs);
  const segments: ProviderSegment[] = [];
  const lastEndBySpeaker = new Map<string, number>();
  sorted.forEach((c, i) => {
    const at = Math.max(0, c.atMs / 1000);
    const words = c.text.trim().split(/\s+/);
    const turn = findTurn(turns, c.speaker, at);
    const nextSame = sorted.slice(i + 1).find((n) => n.speaker === c.speaker);
    const prevEnd = lastEndBySpeaker.get(c.speaker) ?? 0;
    let start = turn ? Math.max(turn.startMs / 1000, prevEnd) : Math.max(at, prevEnd);
    if (start > at) start = Math.max(prevEnd, at);
    let end = turn ? turn.endMs / 1000 : start + words.length / ESTIMATE_WORDS_PER_SEC;
    // The next line of the same person starts a new span: this one ends there at the latest.
    if (nextSame && nextSame.atMs / 1000 < end) end = nextSame.atMs / 1000;
    end = Math.max(end, start + 0.2);
    lastEndBySpeaker.set(c.speaker, end);
    const step = (end - start) / words.length;
    segments.push({
      start,
      end,
      text: c.text.trim(),
      speakerName: c.speaker,
      words: words.map((w, k) => ({ text: w, start: start + k * step, end: start + (k + 1) * step })),
    });
  });
  segments.sort((a, b) => a.start - b.start);
  return { segments };
}
