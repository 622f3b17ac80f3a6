import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { AppError } from '@rapport/common';
import type { Speaker, Transcript, Utterance, Word } from './transcript';

/**
 * Converts AMI Meeting Corpus manual annotations (NXT XML: per-speaker `words` and `segments`
 * files plus `corpusResources/meetings.xml`) into the engine's transcript format, so the metrics
 * can be checked on real meetings. AMI is CC BY 4.0: credit the AMI Consortium (Carletta et al.).
 *
 * Mapping: one utterance per transcriber segment; its words are the segment's timed, non-punctuation
 * `<w>` elements; start/end are the first word's start and the last word's end (word-aligned, the
 * closest AMI analogue of an ASR utterance); text joins the timed `<w>` tokens with punctuation
 * attached. Segments without a timed word (only a laugh or cough) are dropped, as are untimed words.
 * Spelled-out letters ("T_V_", "T_V_s") become one word ("TV", "TVs").
 * Speaker id is the NXT agent letter, name the participant's global id, and the project manager
 * (role PM) is the facilitator.
 */

export interface AmiMeetingFiles {
  /** `corpusResources/meetings.xml`. */
  meetingsXml: string;
  /** Agent letter → contents of `<meeting>.<agent>.words.xml`. */
  words: Record<string, string>;
  /** Agent letter → contents of `<meeting>.<agent>.segments.xml`. */
  segments: Record<string, string>;
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: true,
});

function tagOf(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text');
}

function childrenOf(node: OrderedNode): OrderedNode[] {
  const tag = tagOf(node);
  const kids = tag === undefined ? undefined : node[tag];
  return Array.isArray(kids) ? (kids as OrderedNode[]) : [];
}

function textOf(node: OrderedNode): string {
  return childrenOf(node)
    .map((c) => (typeof c['#text'] === 'string' || typeof c['#text'] === 'number' ? String(c['#text']) : ''))
    .join('');
}

function rootChildren(xml: string, what: string): OrderedNode[] {
  const doc = parser.parse(xml) as OrderedNode[];
  const root = doc.find((n) => {
    const tag = tagOf(n);
    return tag !== undefined && tag !== '?xml';
  });
  if (root === undefined) throw new AppError('bad_request', 'ami_invalid', `AMI ${what}: no root element`);
  return childrenOf(root);
}

/** One element of a words file, in document order. */
interface AmiToken {
  id: string;
  tag: string;
  text: string;
  punc: boolean;
  start: number | undefined;
  end: number | undefined;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  return Number.isFinite(x) ? x : undefined;
}

function parseWords(xml: string, what: string): AmiToken[] {
  return rootChildren(xml, what)
    .filter((n) => tagOf(n) !== undefined)
    .map((n) => {
      const attrs = n[':@'] ?? {};
      return {
        id: attrs['nite:id'] ?? '',
        tag: tagOf(n) ?? '',
        text: textOf(n),
        punc: attrs.punc === 'true',
        start: num(attrs.starttime),
        end: num(attrs.endtime),
      };
    });
}

const SPELLED_RE = /^(?:[A-Za-z]_)+(?:'?s)?$/;

const HREF_RE = /#id\(([^)]+)\)(?:\.\.id\(([^)]+)\))?$/;

function parseSegmentRanges(xml: string, what: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const seg of rootChildren(xml, what)) {
    if (tagOf(seg) !== 'segment') continue;
    for (const child of childrenOf(seg)) {
      const href = child[':@']?.href;
      if (tagOf(child) !== 'nite:child' || href === undefined) continue;
      const m = HREF_RE.exec(href);
      if (m === null) throw new AppError('bad_request', 'ami_invalid', `AMI ${what}: unreadable href "${href}"`);
      out.push([m[1], m[2] ?? m[1]]);
    }
  }
  return out;
}

function parseMeetingSpeakers(meetingsXml: string, meetingId: string): { speakers: Speaker[]; durationSec?: number } {
  for (const meeting of rootChildren(meetingsXml, 'meetings.xml')) {
    if (tagOf(meeting) !== 'meeting' || meeting[':@']?.observation !== meetingId) continue;
    const speakers: Speaker[] = [];
    for (const sp of childrenOf(meeting)) {
      const a = sp[':@'];
      if (tagOf(sp) !== 'speaker' || a === undefined || a.nxt_agent === undefined) continue;
      const speaker: Speaker = { id: a.nxt_agent, name: a.global_name ?? a.nxt_agent };
      if (a.role !== undefined) speaker.role = a.role === 'PM' ? 'facilitator' : 'participant';
      speakers.push(speaker);
    }
    speakers.sort((x, y) => x.id.localeCompare(y.id));
    return { speakers, durationSec: num(meeting[':@']?.duration) };
  }
  throw new AppError('bad_request', 'ami_unknown_meeting', `AMI meetings.xml has no meeting "${meetingId}"`);
}

function utterancesFor(agent: string, wordsXml: string, segmentsXml: string): Utterance[] {
  const tokens = parseWords(wordsXml, `words file of ${agent}`);
  const position = new Map<string, number>();
  tokens.forEach((t, i) => position.set(t.id, i));
  const out: Utterance[] = [];
  for (const [firstId, lastId] of parseSegmentRanges(segmentsXml, `segments file of ${agent}`)) {
    const from = position.get(firstId);
    const to = position.get(lastId);
    if (from === undefined || to === undefined) {
      throw new AppError('bad_request', 'ami_invalid', `AMI segment of ${agent} points at missing word ${firstId}..${lastId}`);
    }
    const words: Word[] = [];
    let text = '';
    for (let i = from; i <= to; i++) {
      const t = tokens[i];
      if (t.tag !== 'w' || t.start === undefined || t.end === undefined) continue;
      if (t.punc) {
        text += t.text;
        continue;
      }
      // AMI writes spelled-out letters as "T_V_"; as text that is the one word "TV".
      const word = SPELLED_RE.test(t.text) ? t.text.replaceAll('_', '') : t.text;
      text += (text === '' ? '' : ' ') + word;
      words.push({ text: word, start: t.start, end: t.end });
    }
    if (words.length === 0) continue;
    const start = Math.min(...words.map((w) => w.start));
    const end = Math.max(...words.map((w) => w.end));
    out.push({ speaker: agent, start, end, text, words });
  }
  return out;
}

/** Builds a transcript from the XML texts of one AMI meeting. Pure (no file access). */
export function amiToTranscript(meetingId: string, files: AmiMeetingFiles): Transcript {
  const { speakers, durationSec } = parseMeetingSpeakers(files.meetingsXml, meetingId);
  const utterances: Utterance[] = [];
  for (const sp of speakers) {
    const words = files.words[sp.id];
    const segments = files.segments[sp.id];
    if (words === undefined || segments === undefined) {
      throw new AppError('bad_request', 'ami_missing_file', `AMI ${meetingId}: no words/segments file for speaker ${sp.id}`);
    }
    utterances.push(...utterancesFor(sp.id, words, segments));
  }
  utterances.sort((a, b) => a.start - b.start || a.end - b.end || a.speaker.localeCompare(b.speaker));
  const transcript: Transcript = { speakers, utterances };
  if (durationSec !== undefined) transcript.durationSec = durationSec;
  return transcript;
}

/**
 * Reads one meeting from a folder laid out like the corpus excerpt in libs/analytics/fixtures/ami:
 * `meetings.xml`, `words/<meeting>.<agent>.words.xml`, `segments/<meeting>.<agent>.segments.xml`.
 */
export function loadAmiMeeting(dir: string, meetingId: string): Transcript {
  // The corpus files are declared ISO-8859-1.
  const read = (path: string): string => readFileSync(path, 'latin1');
  const meetingsXml = read(join(dir, 'meetings.xml'));
  const { speakers } = parseMeetingSpeakers(meetingsXml, meetingId);
  const words: Record<string, string> = {};
  const segments: Record<string, string> = {};
  for (const sp of speakers) {
    words[sp.id] = read(join(dir, 'words', `${meetingId}.${sp.id}.words.xml`));
    segments[sp.id] = read(join(dir, 'segments', `${meetingId}.${sp.id}.segments.xml`));
  }
  return amiToTranscript(meetingId, { meetingsXml, words, segments });
}
