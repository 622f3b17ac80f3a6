import OpenAI from 'openai';
import { z } from 'zod';
import type { SpeakerAnalysis } from '@rapport/analytics';

export interface Refinement {
  recommendations: string[];
  model: string;
}

export interface RecommendationRefiner {
  /** Refined recommendations, or null when the deterministic ones must stand. */
  refine(analysis: SpeakerAnalysis): Promise<Refinement | null>;
}

/** What the model may see: the speaker's own metrics and own excerpts, nothing else. */
export function refinementInput(a: SpeakerAnalysis) {
  return {
    metrics: {
      talkTimeSec: a.talkTimeSec,
      talkTimeShare: a.talkTimeShare,
      wordCount: a.wordCount,
      wordsPerMinute: a.wordsPerMinute,
      fillerWordsPer100: a.fillerWordsPer100,
      questionCount: a.questionCount,
      longestMonologueSec: a.longestMonologueSec,
      turns: a.turns,
      interruptionsMade: a.interruptionsMade,
      interruptionsReceived: a.interruptionsReceived,
      medianResponseGapSec: a.medianResponseGapSec,
      communicationScore: a.communicationScore,
    },
    improvementAreas: a.improvementAreas.map((area) => ({
      area: area.area,
      severity: area.severity,
      metrics: area.evidence.metrics,
      // Context excerpts (speakerId set) are someone else's words: never sent.
      excerpts: area.evidence.excerpts.filter((e) => e.speakerId === undefined).map((e) => ({ start: e.start, end: e.end, text: e.text })),
    })),
    draftRecommendations: a.recommendations,
  };
}

const SYSTEM = [
  'You are a communication coach. You get one meeting participant\'s own speaking metrics, the improvement areas',
  'found in them with the evidence (their own words with timestamps), and draft recommendations.',
  'Rewrite the drafts to be warm, specific and actionable, and add at most two more, each tied to one of the given',
  'areas. Every recommendation must cite a number or a timestamp from that area\'s evidence. Do not invent facts.',
].join(' ');

function outputSchema(areas: string[]) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['recommendations'],
    properties: {
      recommendations: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['area', 'text'],
          properties: { area: { type: 'string', enum: areas }, text: { type: 'string' } },
        },
      },
    },
  } as const;
}

/**
 * Optional LLM step: OpenAI structured outputs (a strict JSON schema) refine the wording of the
 * deterministic recommendations. The reply is validated again with zod (areas known, sizes
 * bounded, every recommendation citing a figure); anything else, or any error, returns null and
 * the deterministic result stands.
 */
export class OpenAiRefiner implements RecommendationRefiner {
  private readonly client: OpenAI;

  constructor(
    private readonly opts: { apiKey: string; baseURL?: string; model: string; timeoutMs?: number },
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.client = new OpenAI({ apiKey: opts.apiKey, ...(opts.baseURL ? { baseURL: opts.baseURL } : {}), maxRetries: 1, timeout: opts.timeoutMs ?? 30_000 });
  }

  async refine(analysis: SpeakerAnalysis): Promise<Refinement | null> {
    const areas = analysis.improvementAreas.map((a) => a.area);
    if (!areas.length) return null;
    try {
      const res = await this.client.chat.completions.create({
        model: this.opts.model,
        temperature: 0.2,
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: JSON.stringify(refinementInput(analysis)) },
        ],
        response_format: { type: 'json_schema', json_schema: { name: 'coaching_recommendations', strict: true, schema: outputSchema(areas) as unknown as Record<string, unknown> } },
      });
      const content = res.choices[0]?.message?.content;
      if (!content) return null;
      const schema = z.object({
        recommendations: z
          .array(
            z.object({
              area: z.enum(areas as [string, ...string[]]),
              // Evidence-bound: a digit (a figure or a timestamp) must appear.
              text: z.string().trim().min(20).max(600).regex(/\d/, 'must cite a figure or timestamp'),
            }),
          )
          .min(1)
          .max(areas.length + 2),
      });
      const parsed = schema.safeParse(JSON.parse(content));
      if (!parsed.success) {
        this.onError(new Error(`refinement rejected: ${parsed.error.issues[0]?.message ?? 'invalid'}`));
        return null;
      }
      return { recommendations: parsed.data.recommendations.map((r) => r.text), model: this.opts.model };
    } catch (err) {
      this.onError(err);
      return null;
    }
  }
}
