import { z } from 'zod';
import { AppError } from '@rapport/common';

/**
 * What a simulated meeting does: which page the bot gets, how it is admitted, who is in the
 * call, what they say and write and when (all times in ms after the bot's admission).
 * Validated with zod so a typo in a test's scenario is a 400 naming the field, not a meeting
 * that silently does something else.
 */

/** espeak-ng voice names such as `en-us+m3` or `en-gb+f2`; also keeps the value safe to pass on. */
const voiceName = z
  .string()
  .regex(/^[a-z]{2,3}(-[a-z0-9]{1,12}){0,3}(\+[a-z0-9]{1,12})?$/i, 'an espeak-ng voice such as "en-us+m3"');
const name = z.string().trim().min(1).max(100);
const ms = z.number().int().min(0).max(24 * 3600 * 1000);

export const scenarioSchema = z
  .strictObject({
    page: z.enum(['normal', 'not_found', 'sign_in_required', 'blocked']).default('normal'),
    admission: z.enum(['open', 'lobby_admit', 'lobby_deny', 'lobby_never']).default('open'),
    /** Lobby: when the host admits/denies; for `lobby_never`, when Meet gives up ("No one responded…"). */
    admitAfterMs: ms.optional(),
    /** Extension: show the "Continue without microphone and camera" device prompt (default true). */
    devicePrompt: z.boolean().default(true),
    recordingDialog: z.boolean().default(false),
    geminiDialog: z.boolean().default(false),
    participants: z.array(z.strictObject({ name, voice: voiceName.optional() })).max(50).default([]),
    script: z
      .array(z.strictObject({ speaker: name, text: z.string().trim().min(1).max(2000), atMs: ms }))
      .max(500)
      .default([]),
    hostEndsAfterMs: ms.optional(),
    everyoneLeavesAfterMs: ms.optional(),
    removeBotAfterMs: ms.optional(),
    chat: z
      .array(z.strictObject({ from: name, text: z.string().min(1).max(500), atMs: ms }))
      .max(500)
      .default([]),
    lateJoiners: z.array(z.strictObject({ name, atMs: ms, voice: voiceName.optional() })).max(50).default([]),
  })
  .superRefine((s, ctx) => {
    const names = [...s.participants.map((p) => p.name), ...s.lateJoiners.map((p) => p.name)];
    const seen = new Set<string>();
    names.forEach((n) => {
      if (seen.has(n)) ctx.addIssue({ code: 'custom', message: `participant name "${n}" is used twice`, path: ['participants'] });
      seen.add(n);
    });
    s.script.forEach((line, i) => {
      if (!seen.has(line.speaker)) {
        ctx.addIssue({
          code: 'custom',
          message: `speaker "${line.speaker}" is not in participants or lateJoiners`,
          path: ['script', i, 'speaker'],
        });
      }
    });
  });

/** A scenario as a test writes it (everything optional). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario with defaults filled in. */
export type Scenario = z.output<typeof scenarioSchema>;

/** Default voices handed out to participants without one, in order; all ship with espeak-ng. */
export const DEFAULT_VOICES = ['en-us+m3', 'en-gb+f2', 'en-us+f3', 'en-gb+m4', 'en-us+m7', 'en-gb-scotland+f4'] as const;

/** Validates a scenario; throws `AppError('bad_request', 'invalid_scenario')` naming the fields. */
export function parseScenario(input: unknown): Scenario {
  const result = scenarioSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const detail = result.error.issues
    .map((issue) => `scenario${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`)
    .join('; ');
  throw new AppError('bad_request', 'invalid_scenario', detail, { issues: result.error.issues });
}

/** The voice each human speaks with: their own, else the next default not taken. */
export function voicesFor(scenario: Scenario): Map<string, string> {
  const voices = new Map<string, string>();
  const people = [...scenario.participants, ...scenario.lateJoiners];
  people.forEach((p, i) => voices.set(p.name, p.voice ?? DEFAULT_VOICES[i % DEFAULT_VOICES.length]));
  return voices;
}
