'use client';
import { useEffect, useState } from 'react';
import { authFetch } from './api';

export interface BotStatusEvent {
  code: string;
  subCode: string | null;
  at: string;
  explanation: string;
}

export const FINAL_BOT_STATUSES = new Set(['done', 'fatal', 'cancelled']);

/**
 * Follows GET /api/v1/bots/:id/stream (server-sent events). EventSource cannot send an
 * Authorization header, so this reads the stream with fetch and parses the SSE frames itself,
 * reconnecting with Last-Event-ID when the connection drops.
 */
export function useBotStream(botId: string | null, enabled: boolean, onEnd?: () => void): BotStatusEvent | null {
  const [latest, setLatest] = useState<BotStatusEvent | null>(null);
  useEffect(() => {
    if (!botId || !enabled) return;
    const ctrl = new AbortController();
    let lastId = '';
    let ended = false;
    const run = async () => {
      while (!ctrl.signal.aborted && !ended) {
        try {
          const res = await authFetch(`/api/v1/bots/${botId}/stream`, { signal: ctrl.signal, headers: lastId ? { 'last-event-id': lastId } : {} });
          if (!res.ok || !res.body) return;
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buf = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buf += value;
            let i: number;
            while ((i = buf.indexOf('\n\n')) >= 0) {
              const frame = buf.slice(0, i);
              buf = buf.slice(i + 2);
              let event = 'message';
              let data = '';
              for (const line of frame.split('\n')) {
                if (line.startsWith('id: ')) lastId = line.slice(4);
                else if (line.startsWith('event: ')) event = line.slice(7);
                else if (line.startsWith('data: ')) data += line.slice(6);
              }
              if (event === 'status' && data) setLatest(JSON.parse(data) as BotStatusEvent);
              if (event === 'end') {
                ended = true;
                onEnd?.();
              }
            }
          }
        } catch {
          if (ctrl.signal.aborted) return;
        }
        if (!ended) await new Promise((r) => setTimeout(r, 3000));
      }
    };
    void run();
    return () => ctrl.abort();
    // onEnd is a notification; re-subscribing when its identity changes would drop the stream.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [botId, enabled]);
  return latest;
}
