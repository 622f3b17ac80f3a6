import { createHmac } from 'node:crypto';
import { z } from 'zod';

/**
 * The shape of `calendar_settings.rules` (per user, or a team's defaults). The API validates
 * with it before storing; the sync side parses stored rules with it. Every field is optional:
 * a user's rules override the team's field by field, the team's override the defaults.
 */
export const coverageRulesSchema = z
  .object({
    mode: z.enum(['all_with_link', 'organized_by_me', 'with_external', 'internal_only']).optional(),
    /** Extra email domains counted as internal (the user's own domain always is). */
    internalDomains: z.array(z.string().trim().toLowerCase().regex(/^@?[a-z0-9.-]+\.[a-z]{2,}$/, 'a domain like example.com')).max(50).optional(),
    skipTitlePatterns: z
      .array(
        z
          .string()
          .min(1)
          .max(200)
          .refine((s) => {
            try {
              new RegExp(s, 'i');
              return true;
            } catch {
              return false;
            }
          }, 'not a valid regular expression'),
      )
      .max(50)
      .optional(),
    /** Per recurring series, keyed by iCalUID: true = always cover, false = never. */
    seriesOverrides: z.record(z.string().min(1).max(1024), z.boolean()).optional(),
  })
  .strict();

export type StoredCoverageRules = z.infer<typeof coverageRulesSchema>;

export interface EffectiveCoverageRules {
  mode: 'all_with_link' | 'organized_by_me' | 'with_external' | 'internal_only';
  internalDomains: string[];
  skipTitlePatterns: string[];
  seriesOverrides: Record<string, boolean>;
}

export const DEFAULT_COVERAGE_RULES: EffectiveCoverageRules = { mode: 'all_with_link', internalDomains: [], skipTitlePatterns: [], seriesOverrides: {} };

/** Stored JSON that no longer parses (hand-edited, older shape) counts as "no rules", never as a crash. */
function parse(raw: unknown): StoredCoverageRules {
  const r = coverageRulesSchema.safeParse(raw ?? {});
  return r.success ? r.data : {};
}

/** Defaults ← team defaults ← the user's own rules, field by field (series overrides merge by key). */
export function mergeCoverageRules(team: unknown, user: unknown): EffectiveCoverageRules {
  const t = parse(team);
  const u = parse(user);
  return {
    mode: u.mode ?? t.mode ?? DEFAULT_COVERAGE_RULES.mode,
    internalDomains: [...new Set([...(t.internalDomains ?? []), ...(u.internalDomains ?? [])].map((d) => d.replace(/^@/, '')))],
    skipTitlePatterns: u.skipTitlePatterns ?? t.skipTitlePatterns ?? [],
    seriesOverrides: { ...(t.seriesOverrides ?? {}), ...(u.seriesOverrides ?? {}) },
  };
}

/**
 * The secret of one push channel (Google channel token / Graph clientState), derived from our
 * channel row id with a key only the deployment holds, so it is never stored. Rotating the key
 * invalidates live channels until the next renewal (the daily reconcile sync covers the gap).
 */
export function calendarChannelSecret(key: string, channelRowId: string): string {
  return createHmac('sha256', `calendar-channel:${key}`).update(channelRowId).digest('base64url');
}
