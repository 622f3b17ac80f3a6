import { clsx, type ClassValue } from 'clsx';
import { twMerge } from 'tailwind-merge';

export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}

export function formatDuration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined) return '—';
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function pct(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`;
}

export function num(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined ? '—' : x.toFixed(digits);
}

export const AREA_NAMES: Record<string, string> = {
  filler_words: 'Filler words',
  pacing: 'Pacing',
  conciseness: 'Conciseness',
  active_listening: 'Active listening',
  questioning: 'Asking questions',
  turn_taking: 'Turn-taking',
};

export const areaName = (a: string): string => AREA_NAMES[a] ?? a.replace(/_/g, ' ');
