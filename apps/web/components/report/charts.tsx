'use client';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MeetingReport, ScoreComponent } from '@/lib/queries';
import { cn, pct } from '@/lib/utils';

export function TalkShareChart({ speakers }: { speakers: MeetingReport['speakers'] }) {
  const data = speakers.map((s) => ({ name: s.isMe ? `${s.name} (you)` : s.name, share: Math.round(s.share * 1000) / 10, isMe: s.isMe }));
  return (
    <figure>
      <div style={{ height: Math.max(120, data.length * 44) }} data-testid="talk-share-chart">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }}>
            <CartesianGrid horizontal={false} strokeDasharray="3 3" />
            <XAxis type="number" domain={[0, 100]} unit="%" tick={{ fontSize: 12 }} />
            <YAxis type="category" dataKey="name" width={130} tick={{ fontSize: 12 }} />
            <Tooltip formatter={(v) => [`${String(v)}%`, 'Talk share']} />
            <Bar dataKey="share" radius={[0, 4, 4, 0]} isAnimationActive={false}>
              {data.map((d) => (
                <Cell key={d.name} fill={d.isMe ? 'oklch(0.45 0.16 265)' : 'oklch(0.75 0.05 265)'} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">
        Talk share: {speakers.map((s) => `${s.name} ${pct(s.share)}`).join(', ')}
      </figcaption>
    </figure>
  );
}

const COMPONENT_NAMES: Record<string, string> = {
  pace: 'Pace',
  fillers: 'Filler words',
  talkShare: 'Talk share',
  monologue: 'Longest monologue',
  questions: 'Questions',
  interruptions: 'Interruptions',
};

function formatValue(c: ScoreComponent): string {
  if (c.value === null) return 'not judged';
  switch (c.key) {
    case 'pace':
      return `${Math.round(c.value)} words/min`;
    case 'fillers':
      return `${c.value.toFixed(1)} per 100 words`;
    case 'talkShare':
      return `${c.value.toFixed(2)}× your fair share`;
    case 'monologue':
      return `${Math.round(c.value)} s`;
    default:
      return `${Math.round(c.value * 10) / 10}`;
  }
}

/** Each part of the score: my value, the reference band, and how it scored (0–100). */
export function ScoreParts({ components }: { components: ScoreComponent[] }) {
  return (
    <ul className="grid gap-3" data-testid="score-parts">
      {components.map((c) => (
        <li key={c.key} className="grid gap-1">
          <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
            <span className="font-medium">{COMPONENT_NAMES[c.key] ?? c.key}</span>
            <span className="text-muted-foreground">
              {formatValue(c)} · reference {c.band || '—'}
            </span>
          </div>
          <div className="h-2 w-full overflow-hidden rounded-full bg-muted" role="meter" aria-label={`${COMPONENT_NAMES[c.key] ?? c.key} score`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={c.score ?? 0}>
            <div
              className={cn('h-full rounded-full', c.score === null ? 'bg-muted' : c.score >= 70 ? 'bg-success' : c.score >= 50 ? 'bg-warning' : 'bg-destructive')}
              style={{ width: `${c.score ?? 0}%` }}
            />
          </div>
          <span className="text-xs text-muted-foreground">{c.score === null ? 'Not enough evidence to judge' : `${c.score}/100 · weight ${c.weight}`}</span>
        </li>
      ))}
    </ul>
  );
}
