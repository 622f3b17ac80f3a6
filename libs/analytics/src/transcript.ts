import { z } from 'zod';
import { AppError } from '@rapport/common';

/**
 * The transcript the analytics engine reads: diarized utterances with times in seconds from the
 * start of the meeting, optionally with word timings. This is what `rapport analyze FILE` takes
 * and what the analysis pipeline builds from a transcription provider or the bot's captions.
 */

const seconds = z.number().finite().nonnegative();

const wordSchema = z
  .object({
    text: z.string(),
    start: seconds,
    end: seconds,
  })
  .refine((w) => w.end >= w.start, { message: 'end must not be before start', path: ['end'] });

const utteranceSchema = z
  .object({
    speaker: z.string().min(1),
    start: seconds,
    end: seconds,
    text: z.string(),
    words: z.array(wordSchema).optional(),
  })
  .refine((u) => u.end >= u.start, { message: 'end must not be before start', path: ['end'] });

const speakerSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  /**
   * Optional role. A facilitator (chair, host, project manager) is expected to talk more than 1/N:
   * on AMI the PM averages 36.9 % in four-person meetings against 25 % parity.
   */
  role: z.enum(['facilitator', 'participant']).optional(),
});

export const transcriptSchema = z
  .object({
    durationSec: seconds.optional(),
    speakers: z.array(speakerSchema),
    utterances: z.array(utteranceSchema),
  })
  .superRefine((t, ctx) => {
    const ids = new Set<string>();
    t.speakers.forEach((s, i) => {
      if (ids.has(s.id)) {
        ctx.addIssue({ code: 'custom', path: ['speakers', i, 'id'], message: `duplicate speaker id "${s.id}"` });
      }
      ids.add(s.id);
    });
    t.utterances.forEach((u, i) => {
      if (!ids.has(u.speaker)) {
        ctx.addIssue({
          code: 'custom',
          path: ['utterances', i, 'speaker'],
          message: `unknown speaker "${u.speaker}" (not in speakers[].id)`,
        });
      }
    });
  });

export type Word = z.infer<typeof wordSchema>;
export type Utterance = z.infer<typeof utteranceSchema>;
export type Speaker = z.infer<typeof speakerSchema>;
export type SpeakerRole = NonNullable<Speaker['role']>;
export type Transcript = z.infer<typeof transcriptSchema>;

/** `utterances[3].end` style path, as users see it in the JSON. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Validates untrusted JSON (already parsed) as a transcript.
 * @throws AppError('bad_request', 'invalid_transcript') whose message names the first bad field,
 *   e.g. `utterances[3].end: end must not be before start`; `details.issues` lists all of them.
 */
export function parseTranscript(input: unknown): Transcript {
  const result = transcriptSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new AppError('bad_request', 'invalid_transcript', `invalid transcript: ${first.path}: ${first.message}${more}`, {
    issues,
  });
}
