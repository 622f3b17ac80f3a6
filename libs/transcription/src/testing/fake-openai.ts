import { json, startFakeServer, type FakeServer } from './fake-http';

export interface OpenAiSegment {
  start: number;
  end: number;
  text: string;
}

export interface ParsedTranscriptionRequest {
  model: string;
  responseFormat: string | null;
  granularities: string[];
  fileName: string;
  fileType: string;
  fileBytes: number;
  authorization: string | undefined;
}

export interface FakeOpenAi extends FakeServer {
  /** Segments the next transcription returns (per request, in order; the last repeats). */
  script: OpenAiSegment[][];
  transcriptions: ParsedTranscriptionRequest[];
  /** The assistant message content /v1/chat/completions returns next (JSON text), per call. */
  chatReplies: string[];
  chatRequests: Array<Record<string, unknown>>;
}

/**
 * OpenAI's REST API as far as Rapport uses it: multipart POST /v1/audio/transcriptions
 * (verbose_json with word and segment timestamps; words carry no punctuation) and
 * POST /v1/chat/completions. Errors are {error: {message, type, code}} with the status.
 */
export async function startFakeOpenAi(apiKey: string | null): Promise<FakeOpenAi> {
  const holder: { fake?: FakeOpenAi } = {};
  const transcriptions: ParsedTranscriptionRequest[] = [];
  const chatRequests: Array<Record<string, unknown>> = [];
  const err = (message: string, type = 'invalid_request_error') => ({ error: { message, type, param: null, code: null } });
  const server = await startFakeServer(
    (r) => `${r.method} ${r.path}`,
    async (req, res) => {
      if (apiKey !== null && req.headers.authorization !== `Bearer ${apiKey}`) {
        return json(res, 401, err('Incorrect API key provided.', 'invalid_request_error'));
      }
      if (req.method === 'POST' && req.path === '/v1/audio/transcriptions') {
        const ct = String(req.headers['content-type'] ?? '');
        if (!ct.startsWith('multipart/form-data')) return json(res, 400, err('Content-Type must be multipart/form-data'));
        const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': ct }, body: new Uint8Array(req.body) }).formData();
        const file = form.get('file');
        const model = form.get('model');
        if (!(file instanceof Blob) || !file.size) return json(res, 400, err("'file' is a required property"));
        if (typeof model !== 'string' || !model) return json(res, 400, err("'model' is a required property"));
        const parsed: ParsedTranscriptionRequest = {
          model,
          responseFormat: (form.get('response_format') as string | null) ?? null,
          granularities: form.getAll('timestamp_granularities[]').map(String),
          fileName: (file as File).name,
          fileType: file.type,
          fileBytes: file.size,
          authorization: req.headers.authorization as string | undefined,
        };
        transcriptions.push(parsed);
        const segments = holder.fake!.script[Math.min(transcriptions.length - 1, holder.fake!.script.length - 1)] ?? [];
        const text = segments.map((s) => s.text).join(' ');
        if (parsed.responseFormat !== 'verbose_json') return json(res, 200, { text });
        const words = parsed.granularities.includes('word')
          ? segments.flatMap((s) => {
              const tokens = s.text.split(/\s+/).map((t) => t.replace(/[^\p{L}\p{N}'-]/gu, '')).filter(Boolean);
              const step = (s.end - s.start) / tokens.length;
              return tokens.map((word, i) => ({ word, start: +(s.start + i * step).toFixed(2), end: +(s.start + (i + 1) * step).toFixed(2) }));
            })
          : undefined;
        return json(res, 200, {
          task: 'transcribe',
          language: 'english',
          duration: segments.at(-1)?.end ?? 0,
          text,
          ...(words ? { words } : {}),
          segments: segments.map((s, id) => ({ id, seek: 0, start: s.start, end: s.end, text: ` ${s.text}`, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.3, no_speech_prob: 0.01 })),
        });
      }
      if (req.method === 'POST' && req.path === '/v1/chat/completions') {
        const body = JSON.parse(req.body.toString()) as Record<string, unknown>;
        chatRequests.push(body);
        const content = holder.fake!.chatReplies.shift() ?? '{}';
        return json(res, 200, {
          id: `chatcmpl-${chatRequests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
        });
      }
      return json(res, 404, err(`Unknown request URL: ${req.method} ${req.path}`));
    },
  );
  holder.fake = Object.assign(server, { script: [] as OpenAiSegment[][], chatReplies: [] as string[], transcriptions, chatRequests });
  return holder.fake;
}
