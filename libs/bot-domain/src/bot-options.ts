import { z } from 'zod';
import { DEFAULT_AUTO_LEAVE, resolveAutoLeave, type AutoLeaveConfig } from './auto-leave';
import { DEFAULT_LATE_JOINER_NOTICE_DELAY_S, MAX_CHAT_MESSAGE_CHARS, resolveConsent, type ConsentConfig } from './consent';

const seconds = z.number().int().min(1).max(7 * 24 * 3600);

export const autoLeaveSchema = z
  .object({
    waitingRoomTimeoutS: seconds.nullable().describe(`Waiting-room budget (default ${DEFAULT_AUTO_LEAVE.waitingRoomTimeoutS} s)`),
    nooneJoinedTimeoutS: seconds.nullable().describe(`Leave if nobody joins (default ${DEFAULT_AUTO_LEAVE.nooneJoinedTimeoutS} s)`),
    everyoneLeftTimeoutS: seconds.nullable().describe(`Leave after everyone left (default ${DEFAULT_AUTO_LEAVE.everyoneLeftTimeoutS} s)`),
    silenceTimeoutS: seconds.nullable().describe(`Leave after silence (default ${DEFAULT_AUTO_LEAVE.silenceTimeoutS} s)`),
    silenceActivateAfterS: z.number().int().min(0).max(7 * 24 * 3600).describe('Silence rule starts after this long in the call'),
    onlyBotsTimeoutS: seconds.nullable().describe(`Leave when only bots remain (default ${DEFAULT_AUTO_LEAVE.onlyBotsTimeoutS} s)`),
    botNameKeywords: z.array(z.string().trim().min(1).max(64)).max(50).describe('Participant names that mark a bot'),
    maxDurationS: seconds.nullable().describe(`Hard cap from joining (default ${DEFAULT_AUTO_LEAVE.maxDurationS} s)`),
  })
  .partial()
  .strict();

export const consentSchema = z
  .object({
    noticeText: z.string().trim().min(1).max(MAX_CHAT_MESSAGE_CHARS),
    optOutPhrases: z.array(z.string().trim().min(1).max(100)).min(1).max(20),
    optOutReplyText: z.string().trim().min(1).max(MAX_CHAT_MESSAGE_CHARS),
    lateJoinerNoticeDelayS: z
      .number()
      .int()
      .min(0)
      .max(600)
      .nullable()
      .describe(`Post the notice again for people who joined after it, this long after the first of them (default ${DEFAULT_LATE_JOINER_NOTICE_DELAY_S} s; null: never)`),
  })
  .partial()
  .strict();

/** Per-bot options accepted by `POST /api/v1/bots` and `rapport bot join`. */
export const botOptionsSchema = z
  .object({
    botName: z.string().trim().min(1).max(60).optional(),
    autoLeave: autoLeaveSchema.optional(),
    consent: consentSchema.optional(),
  })
  .strict();

export type BotOptionsInput = z.input<typeof botOptionsSchema>;

export interface BotOptions {
  botName: string;
  autoLeave: AutoLeaveConfig;
  consent: ConsentConfig;
}

export const DEFAULT_BOT_NAME = 'Rapport Notetaker';

/** Validates (throws ZodError) and fills defaults. */
export function resolveBotOptions(input: unknown): BotOptions {
  const parsed = botOptionsSchema.parse(input ?? {});
  const autoLeave: Partial<AutoLeaveConfig> = {};
  for (const [key, value] of Object.entries(parsed.autoLeave ?? {})) {
    if (value !== undefined) (autoLeave as Record<string, unknown>)[key] = value;
  }
  return {
    botName: parsed.botName ?? DEFAULT_BOT_NAME,
    autoLeave: resolveAutoLeave(autoLeave),
    consent: resolveConsent({
      ...(parsed.consent?.noticeText !== undefined ? { noticeText: parsed.consent.noticeText } : {}),
      ...(parsed.consent?.optOutPhrases !== undefined ? { optOutPhrases: parsed.consent.optOutPhrases } : {}),
      ...(parsed.consent?.optOutReplyText !== undefined ? { optOutReplyText: parsed.consent.optOutReplyText } : {}),
      ...(parsed.consent?.lateJoinerNoticeDelayS !== undefined ? { lateJoinerNoticeDelayS: parsed.consent.lateJoinerNoticeDelayS } : {}),
    }),
  };
}
