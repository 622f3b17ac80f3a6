import { randomUUID } from 'node:crypto';
import { json, startFakeServer, type FakeServer } from './fake-http';

/** AssemblyAI word / utterance as the v2 API returns them (times in milliseconds). */
export interface AaiWord {
  text: string;
  start: number;
  end: number;
  confidence: number;
  speaker: string | null;
}

export interface AaiUtterance {
  speaker: string;
  start: number;
  end: number;
  text: string;
  confidence: number;
  words: AaiWord[];
}

export interface FakeAssemblyAi extends FakeServer {
  /** Utterances the next completed transcript returns (per upload, in order; the last repeats). */
  script: AaiUtterance[][];
  /** When set, the transcript ends in status "error" with this message. */
  transcriptError: string | null;
  uploads: Buffer[];
}

/** Builds utterances with evenly timed words, like AssemblyAI's (text carries punctuation). */
export function aaiUtterance(speaker: string, startMs: number, endMs: number, text: string): AaiUtterance {
  const tokens = text.split(/\s+/);
  const step = (endMs - startMs) / tokens.length;
  return {
    speaker,
    start: startMs,
    end: endMs,
    text,
    confidence: 0.93,
    words: tokens.map((t, i) => ({ text: t, start: Math.round(startMs + i * step), end: Math.round(startMs + (i + 1) * step), confidence: 0.93, speaker })),
  };
}

/**
 * AssemblyAI's async API: POST /v2/upload (raw bytes) → {upload_url}; POST /v2/transcript
 * {audio_url, speaker_labels} → queued; GET /v2/transcript/:id → processing, then completed
 * with words and utterances (or status "error"). Every request must carry the API key in
 * Authorization; errors are {error: "..."} with the HTTP status.
 */
export async function startFakeAssemblyAi(apiKey: string): Promise<FakeAssemblyAi> {
  const transcripts = new Map<string, { polls: number; audioUrl: string; upload: number; params: Record<string, unknown> }>();
  const uploads: Buffer[] = [];
  const holder: { fake?: FakeAssemblyAi } = {};
  const server = await startFakeServer(
    (r) => `${r.method} ${r.path.replace(/\/v2\/transcript\/[^/?]+/, '/v2/transcript/:id')}`,
    (req, res, base) => {
      if (req.headers.authorization !== apiKey) return json(res, 401, { error: 'Authentication error, API token missing/invalid' });
      if (req.method === 'POST' && req.path === '/v2/upload') {
        if (req.headers['content-type'] !== 'application/octet-stream' || !req.body.length) return json(res, 400, { error: 'Upload body must be the raw audio bytes' });
        uploads.push(req.body);
        return json(res, 200, { upload_url: `${base}/files/${uploads.length - 1}` });
      }
      if (req.method === 'POST' && req.path === '/v2/transcript') {
        const params = JSON.parse(req.body.toString()) as Record<string, unknown>;
        const audioUrl = String(params.audio_url ?? '');
        const m = /\/files\/(\d+)$/.exec(audioUrl);
        if (!m || !audioUrl.startsWith(base)) return json(res, 400, { error: 'Invalid audio_url: it must be an upload_url from /v2/upload' });
        const id = randomUUID();
        transcripts.set(id, { polls: 0, audioUrl, upload: Number(m[1]), params });
        return json(res, 200, { id, status: 'queued', audio_url: audioUrl, speaker_labels: params.speaker_labels ?? false, text: null, words: null, utterances: null });
      }
      const get = /^\/v2\/transcript\/([^/?]+)$/.exec(req.path);
      if (req.method === 'GET' && get) {
        const t = transcripts.get(get[1]!);
        if (!t) return json(res, 404, { error: 'Transcript not found' });
        t.polls++;
        if (t.polls === 1) return json(res, 200, { id: get[1], status: 'processing', audio_url: t.audioUrl, text: null, words: null, utterances: null });
        if (holder.fake!.transcriptError) return json(res, 200, { id: get[1], status: 'error', audio_url: t.audioUrl, error: holder.fake!.transcriptError });
        const script = holder.fake!.script;
        const utterances = script[Math.min(t.upload, script.length - 1)] ?? [];
        const labelled = t.params.speaker_labels === true;
        return json(res, 200, {
          id: get[1],
          status: 'completed',
          audio_url: t.audioUrl,
          language_code: 'en_us',
          audio_duration: Math.ceil((utterances.at(-1)?.end ?? 0) / 1000),
          text: utterances.map((u) => u.text).join(' '),
          confidence: 0.93,
          words: utterances.flatMap((u) => u.words.map((w) => ({ ...w, speaker: labelled ? w.speaker : null }))),
          utterances: labelled ? utterances : null,
        });
      }
      return json(res, 404, { error: `no route ${req.method} ${req.path}` });
    },
  );
  holder.fake = Object.assign(server, { script: [] as AaiUtterance[][], transcriptError: null as string | null, uploads });
  return holder.fake;
}
