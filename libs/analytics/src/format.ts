/** `m:ss` below an hour, `h:mm:ss` above; seconds are floored. */
export function formatClock(sec: number): string {
  const total = Math.max(0, Math.floor(sec));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function formatRange(start: number, end: number): string {
  return `${formatClock(start)}–${formatClock(end)}`;
}

/** Shortens `text` to at most `max` characters at a word boundary, marking the cut with "…". */
export function truncate(text: string, max: number, from: 'start' | 'end' = 'end'): string {
  if (text.length <= max) return text;
  if (from === 'end') {
    const cut = text.slice(0, max);
    const sp = cut.lastIndexOf(' ');
    return `${(sp > max / 2 ? cut.slice(0, sp) : cut).trimEnd()}…`;
  }
  const cut = text.slice(text.length - max);
  const sp = cut.indexOf(' ');
  return `…${(sp >= 0 && sp < max / 2 ? cut.slice(sp + 1) : cut).trimStart()}`;
}

/** A short quote for recommendations: the first `maxWords` words. */
export function quote(text: string, maxWords = 12): string {
  const words = text.trim().split(/\s+/);
  const head = words.slice(0, maxWords).join(' ');
  return `"${words.length > maxWords ? `${head}…` : head}"`;
}

export function pct(share: number): string {
  return `${Math.round(share * 100)} %`;
}
