'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { forwardRef, useImperativeHandle, useMemo, useRef } from 'react';
import { cn, formatDuration } from '@/lib/utils';

export interface Line {
  speaker: string;
  start: number;
  end: number;
  text: string;
}

export interface TranscriptHandle {
  scrollToTime(sec: number): void;
}

const COLORS = ['text-indigo-700', 'text-emerald-700', 'text-amber-800', 'text-rose-700', 'text-sky-800', 'text-violet-700', 'text-teal-800', 'text-orange-800'];

/** Index of the last line starting at or before t (lines sorted by start). */
export function lineAt(lines: Line[], t: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid]!.start <= t) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/**
 * The transcript as a virtualized list: only the rows on screen are in the DOM, so a 2-hour
 * meeting (thousands of lines) scrolls without jank. Each line is a button that seeks the audio.
 */
export const Transcript = forwardRef<TranscriptHandle, { lines: Line[]; names: Map<string, string>; currentTime: number; onSeek: (sec: number) => void }>(
  function Transcript({ lines, names, currentTime, onSeek }, ref) {
    const parent = useRef<HTMLDivElement>(null);
    const color = useMemo(() => {
      const ids = [...new Set(lines.map((l) => l.speaker))];
      return new Map(ids.map((id, i) => [id, COLORS[i % COLORS.length]!]));
    }, [lines]);
    const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => parent.current, estimateSize: () => 56, overscan: 12 });
    const active = lineAt(lines, currentTime);
    useImperativeHandle(ref, () => ({
      scrollToTime(sec: number) {
        const i = Math.max(0, lineAt(lines, sec));
        virtualizer.scrollToIndex(i, { align: 'center' });
      },
    }));
    return (
      <div ref={parent} className="h-[28rem] overflow-auto rounded-lg border bg-card" role="region" aria-label="Transcript" tabIndex={0} data-testid="transcript">
        <ol className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const l = lines[item.index]!;
            return (
              <li key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="absolute left-0 top-0 w-full" style={{ transform: `translateY(${item.start}px)` }}>
                <button
                  type="button"
                  onClick={() => onSeek(l.start)}
                  className={cn('flex w-full gap-3 px-3 py-2 text-left text-sm hover:bg-accent focus-visible:bg-accent', item.index === active && 'bg-accent')}
                  aria-current={item.index === active ? 'true' : undefined}
                  data-testid="transcript-line"
                  data-start={l.start}
                >
                  <span className="w-14 shrink-0 font-mono text-xs tabular-nums text-muted-foreground">{formatDuration(l.start)}</span>
                  <span className="min-w-0">
                    <span className={cn('mr-2 font-semibold', color.get(l.speaker))}>{names.get(l.speaker) ?? l.speaker}</span>
                    {l.text}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      </div>
    );
  },
);
