import type { Line } from '@/components/report/transcript';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/**
 * GET /api/v1/meetings/:id/transcript answers the analytics Transcript shape
 * ({ speakers: [{ id, name }], utterances: [{ speaker, start, end, text }] }), possibly wrapped
 * in `{ transcript }`; this reads either and sorts lines by start.
 */
export function readTranscript(body: unknown): { lines: Line[]; names: Map<string, string> } {
  const root = obj(body);
  const t = 'utterances' in root ? root : obj(root.transcript);
  const names = new Map<string, string>();
  for (const s of Array.isArray(t.speakers) ? t.speakers : []) {
    const sp = obj(s);
    if (typeof sp.id === 'string') names.set(sp.id, typeof sp.name === 'string' && sp.name ? sp.name : sp.id);
  }
  const lines: Line[] = [];
  for (const u of Array.isArray(t.utterances) ? t.utterances : []) {
    const x = obj(u);
    if (typeof x.start !== 'number' || typeof x.text !== 'string') continue;
    lines.push({ speaker: String(x.speaker ?? '?'), start: x.start, end: typeof x.end === 'number' ? x.end : x.start, text: x.text });
  }
  lines.sort((a, b) => a.start - b.start);
  return { lines, names };
}
