import { z } from 'zod';
import { AppError } from '@rapport/common';

/**
 * The transcript the analytics engine reads: diarized utterances with times in seconds from the
 * start of the meeting, optionally with word timings. This is what `rapport analyze FILE` takes
 * and what the analysis pipeline builds from a transcription provider or the bot's captions.
 */

const seconds = z.number().finite().nonnegative();

// `end ≥ start` is checked in the transcript-level pass below rather than with a refinement per
// object: a 1-hour transcript has ~10,000 words and per-object refinements double parse time.
const wordSchema = z.object({
  text: z.string(),
  start: seconds,
  end: seconds,
});

const utteranceSchema = z.object({
  speaker: z.string().min(1),
  start: seconds,
  end: seconds,
  text: z.string(),
  words: z.array(wordSchema).optional(),
});

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
    const backwards = 'end must not be before start';
    t.utterances.forEach((u, i) => {
      if (!ids.has(u.speaker)) {
        ctx.addIssue({
          code: 'custom',
          path: ['utterances', i, 'speaker'],
          message: `unknown speaker "${u.speaker}" (not in speakers[].id)`,
        });
      }
      if (u.end < u.start) ctx.addIssue({ code: 'custom', path: ['utterances', i, 'end'], message: backwards });
      u.words?.forEach((w, j) => {
        if (w.end < w.start) {
          ctx.addIssue({ code: 'custom', path: ['utterances', i, 'words', j, 'end'], message: backwards });
        }
      });
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
