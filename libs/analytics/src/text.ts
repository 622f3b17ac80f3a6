/**
 * Token-level text measures: words, filler words and questions. Pure functions over one
 * utterance's text; definitions are pinned in docs/metrics.md.
 */

/**
 * A word is a run of letters, digits and combining marks, with internal apostrophes or hyphens
 * ("don't", "mm-hmm", "twenty-five" are one word each). Hyphenated backchannels must stay whole so
 * that "mm-hmm" is not counted as the filler "hmm".
 */
const WORD_RE = /[\p{L}\p{N}\p{M}]+(?:['’\-][\p{L}\p{N}\p{M}]+)*/gu;

/** Scripts written without spaces between words; these go through the ICU word segmenter. */
const UNSPACED_SCRIPT_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

let segmenter: Intl.Segmenter | undefined;

/**
 * Lower-cased word tokens of `text`. Space-separated scripts use a regular expression (fast);
 * text containing Chinese, Japanese, Thai, Lao, Khmer or Burmese uses `Intl.Segmenter`, which
 * knows where their words end (a regex would count a whole sentence as one word).
 */
export function tokenize(text: string): string[] {
  if (UNSPACED_SCRIPT_RE.test(text)) {
    segmenter ??= new Intl.Segmenter('und', { granularity: 'word' });
    const out: string[] = [];
    for (const seg of segmenter.segment(text)) {
      if (seg.isWordLike) out.push(seg.segment.toLowerCase());
    }
    return out;
  }
  const matches = text.match(WORD_RE);
  if (matches === null) return [];
  return matches.map((m) => m.toLowerCase());
}

/** A token with its character range in the text it came from. */
export interface TokenSpan {
  token: string;
  start: number;
  end: number;
}

/** Like `tokenize`, with character offsets (used to mark fillers in exercise texts). */
export function tokenSpans(text: string): TokenSpan[] {
  const out: TokenSpan[] = [];
  if (UNSPACED_SCRIPT_RE.test(text)) {
    segmenter ??= new Intl.Segmenter('und', { granularity: 'word' });
    for (const seg of segmenter.segment(text)) {
      if (seg.isWordLike) out.push({ token: seg.segment.toLowerCase(), start: seg.index, end: seg.index + seg.segment.length });
    }
    return out;
  }
  for (const m of text.matchAll(WORD_RE)) {
    out.push({ token: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * Single-word fillers from the lexicon (um, uh, er, erm, ah, eh, hmm), allowing the
 * drawn-out spellings transcribers and ASR produce ("umm", "uhh", "hmmm", "errr").
 */
const SINGLE_FILLER_RE = /^(?:u+m+|u+h+|e+r+|e+r+m+|a+h+|e+h+|h+m+)$/;

/** Two-word fillers; each occurrence counts once. */
const PAIR_FILLERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['you', new Set(['know'])],
  ['i', new Set(['mean'])],
  ['sort', new Set(['of'])],
  ['kind', new Set(['of'])],
]);

export function isSingleFiller(token: string): boolean {
  return SINGLE_FILLER_RE.test(token);
}

/**
 * Filler occurrences in a token list, as token indices: a single filler occupies one index, a pair
 * two. Pairs never span utterances (callers pass one utterance at a time).
 */
export function findFillers(tokens: readonly string[]): Array<{ index: number; length: 1 | 2 }> {
  const out: Array<{ index: number; length: 1 | 2 }> = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (isSingleFiller(tok)) {
      out.push({ index: i, length: 1 });
      continue;
    }
    const seconds = PAIR_FILLERS.get(tok);
    if (seconds !== undefined && i + 1 < tokens.length && seconds.has(tokens[i + 1])) {
      out.push({ index: i, length: 2 });
      i++;
    }
  }
  return out;
}

/** `text` with each filler (by the metric's own definition) in [brackets]. */
export function markFillers(text: string): string {
  const spans = tokenSpans(text);
  const fillers = findFillers(spans.map((s) => s.token));
  let out = '';
  let pos = 0;
  for (const f of fillers) {
    const from = spans[f.index].start;
    const to = spans[f.index + f.length - 1].end;
    out += `${text.slice(pos, from)}[${text.slice(from, to)}]`;
    pos = to;
  }
  return out + text.slice(pos);
}

/** Question marks: ASCII, full-width (Chinese/Japanese) and Arabic. A run ("??") counts once. */
const QUESTION_RUN_RE = /[?？؟]+/g;

export function countQuestions(text: string): number {
  const m = text.match(QUESTION_RUN_RE);
  return m === null ? 0 : m.length;
}

/** Sentences of `text`, each with its closing punctuation (for exercises built on statements). */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  const re = /[^.!?？。！؟]+(?:[.!?？。！؟]+|$)/g;
  for (const m of text.matchAll(re)) {
    const s = m[0].trim();
    if (s !== '') out.push(s);
  }
  return out;
}
