/** Plain-words explanations of bot statuses and sub-codes, shown on the dashboard. */
const STATUS_TEXT: Record<string, string> = {
  scheduled: 'The bot is scheduled and will join at the meeting time.',
  joining_call: 'The bot is opening the meeting link and joining.',
  in_waiting_room: 'The bot is in the lobby, waiting for the host to let it in.',
  in_call_not_recording: 'The bot is in the meeting but not recording yet.',
  in_call_recording: 'The bot is in the meeting and recording.',
  call_ended: 'The bot has left the meeting.',
  done: 'The bot has finished and handed the recording over for analysis.',
  fatal: 'The bot could not join the meeting.',
  cancelled: 'The bot was cancelled before it joined.',
};

const SUB_CODE_TEXT: Record<string, string> = {
  call_ended_by_host: 'The host ended the meeting.',
  bot_kicked_from_call: 'Someone removed the bot from the meeting.',
  bot_kicked_from_waiting_room: 'Someone removed the bot from the lobby.',
  request_to_join_denied: 'The host denied entry.',
  timeout_exceeded_waiting_room: 'Nobody let the bot in from the lobby in time.',
  timeout_exceeded_noone_joined: 'Nobody else joined the meeting, so the bot left.',
  timeout_exceeded_everyone_left: 'Everyone else left, so the bot left too.',
  timeout_exceeded_silence_detected: 'The meeting was silent for too long, so the bot left.',
  timeout_exceeded_only_bots_detected: 'Only other bots were left in the meeting, so the bot left.',
  timeout_exceeded_max_duration: 'The meeting reached the longest recording allowed.',
  bot_received_leave_call: 'You asked the bot to leave.',
  recording_stopped_by_participant: 'A participant asked not to be recorded; the bot stopped and left.',
  meeting_not_found: 'The meeting link does not lead to a meeting — it may have ended, or the link is wrong.',
  meeting_requires_sign_in: 'The meeting only admits signed-in accounts, so the bot cannot join.',
  bot_blocked_by_platform: 'The meeting platform blocked the bot.',
  bot_errored: 'The bot ran into an error on our side.',
};

export function explainBotStatus(status: string, subCode: string | null): string {
  const base = STATUS_TEXT[status] ?? `The bot is ${status.replace(/_/g, ' ')}.`;
  if (!subCode) return base;
  return `${base} ${SUB_CODE_TEXT[subCode] ?? `(${subCode.replace(/_/g, ' ')})`}`;
}
