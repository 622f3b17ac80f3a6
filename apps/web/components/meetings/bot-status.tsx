'use client';
import { useQueryClient } from '@tanstack/react-query';
import { FINAL_BOT_STATUSES, useBotStream } from '@/lib/bot-stream';
import type { BotState } from '@/lib/queries';
import { Badge } from '@/components/ui/badge';

const LABEL: Record<string, string> = {
  scheduled: 'Scheduled',
  joining_call: 'Joining',
  in_waiting_room: 'In the lobby',
  in_call_not_recording: 'In the call',
  in_call_recording: 'Recording',
  call_ended: 'Left the call',
  done: 'Done',
  fatal: 'Could not join',
  cancelled: 'Cancelled',
};

function variant(status: string): 'default' | 'secondary' | 'destructive' | 'success' | 'warning' {
  if (status === 'in_call_recording') return 'destructive';
  if (status === 'fatal') return 'warning';
  if (status === 'done') return 'success';
  if (status === 'cancelled' || status === 'call_ended') return 'secondary';
  return 'default';
}

/** The bot's status, live over SSE while the bot is active, with its plain-words explanation. */
export function BotStatus({ bot }: { bot: BotState }) {
  const qc = useQueryClient();
  const live = useBotStream(bot.id, !FINAL_BOT_STATUSES.has(bot.status), () => void qc.invalidateQueries({ queryKey: ['myMeetings'] }));
  const status = live?.code ?? bot.status;
  const explanation = live?.explanation ?? bot.explanation;
  return (
    <div className="flex min-w-0 flex-col gap-1" aria-live="polite">
      <Badge variant={variant(status)} className="w-fit" data-testid="bot-status" data-status={status}>
        {status === 'in_call_recording' && <span className="mr-1 inline-block h-1.5 w-1.5 animate-pulse rounded-full bg-white" aria-hidden />}
        {LABEL[status] ?? status}
      </Badge>
      <span className="text-xs text-muted-foreground">{explanation}</span>
    </div>
  );
}
