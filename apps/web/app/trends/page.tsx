'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { gql } from '@/lib/api';
import { MY_TRENDS, type TrendPoint } from '@/lib/queries';
import { AppShell, EmptyState, ErrorState } from '@/components/app-shell';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';

const SERIES: Array<{ key: keyof TrendPoint; title: string; unit: string; scale?: number; description: string }> = [
  { key: 'score', title: 'Communication score', unit: '', description: '0–100, higher is better' },
  { key: 'talkTimeShare', title: 'Talk share', unit: '%', scale: 100, description: 'Your share of all talk time' },
  { key: 'wordsPerMinute', title: 'Pace', unit: ' wpm', description: 'Words per minute while you talk' },
  { key: 'fillerWordsPer100', title: 'Filler words', unit: '', description: 'Per 100 words' },
  { key: 'questionCount', title: 'Questions asked', unit: '', description: 'Per meeting' },
  { key: 'longestMonologueSec', title: 'Longest monologue', unit: ' s', description: 'Seconds' },
];

const RANGES = [30, 90, 180, 365];

export default function TrendsPage() {
  const [days, setDays] = useState(180);
  const trends = useQuery({ queryKey: ['myTrends', days], queryFn: async () => (await gql<{ myTrends: TrendPoint[] }>(MY_TRENDS, { days })).myTrends });
  return (
    <AppShell
      title="Trends"
      actions={
        <div role="group" aria-label="Time range" className="flex gap-1">
          {RANGES.map((d) => (
            <Button key={d} size="sm" variant={d === days ? 'default' : 'outline'} aria-pressed={d === days} onClick={() => setDays(d)}>
              {d} days
            </Button>
          ))}
        </div>
      }
    >
      {trends.isPending ? (
        <Skeleton className="h-72" />
      ) : trends.isError ? (
        <ErrorState error={trends.error} />
      ) : trends.data.length === 0 ? (
        <EmptyState title="No analysed meetings in this period">
          Your trends appear after your first report. <Link className="text-primary underline" href="/meetings">Invite the bot</Link>
        </EmptyState>
      ) : (
        <div className="grid gap-4 md:grid-cols-2" data-testid="trend-charts">
          {SERIES.map((s) => {
            const data = trends.data.map((p) => ({ date: new Date(p.date).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }), title: p.title, v: p[s.key] === null ? null : Number(p[s.key]) * (s.scale ?? 1) }));
            const values = data.map((d) => d.v).filter((v): v is number => v !== null);
            const last = values.at(-1);
            return (
              <Card key={s.key}>
                <CardHeader>
                  <CardTitle>{s.title}</CardTitle>
                  <CardDescription>
                    {s.description}
                    {last !== undefined && ` · latest ${Math.round(last * 10) / 10}${s.unit}`}
                  </CardDescription>
                </CardHeader>
                <CardContent>
                  <figure className="h-48">
                    <ResponsiveContainer width="100%" height="100%">
                      <LineChart data={data} margin={{ left: -12, right: 12, top: 8, bottom: 0 }}>
                        <CartesianGrid strokeDasharray="3 3" />
                        <XAxis dataKey="date" tick={{ fontSize: 11 }} />
                        <YAxis tick={{ fontSize: 11 }} domain={s.key === 'score' ? [0, 100] : ['auto', 'auto']} />
                        <Tooltip formatter={(v) => [`${Math.round(Number(v) * 10) / 10}${s.unit}`, s.title]} labelFormatter={(l, p) => `${String(l)} · ${String(p?.[0]?.payload?.title ?? '')}`} />
                        <Line type="monotone" dataKey="v" stroke="oklch(0.45 0.16 265)" strokeWidth={2} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
                      </LineChart>
                    </ResponsiveContainer>
                    <figcaption className="sr-only">
                      {s.title} over time: {data.map((d) => `${d.date} ${d.v === null ? 'n/a' : Math.round(d.v * 10) / 10}`).join(', ')}
                    </figcaption>
                  </figure>
                </CardContent>
              </Card>
            );
          })}
        </div>
      )}
    </AppShell>
  );
}
