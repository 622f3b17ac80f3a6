'use client';
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { gql } from '@/lib/api';
import { useMe } from '@/lib/hooks';
import { TEAM_INSIGHTS, type Bucket, type TeamInsights } from '@/lib/queries';
import { areaName, num, pct } from '@/lib/utils';
import { AppShell, EmptyState, ErrorState } from '@/components/app-shell';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Skeleton } from '@/components/ui/skeleton';

function Histogram({ title, description, buckets }: { title: string; description: string; buckets: Bucket[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h3">{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent>
        <figure className="h-44">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={buckets} margin={{ left: -16, right: 8 }}>
              <CartesianGrid vertical={false} strokeDasharray="3 3" />
              <XAxis dataKey="label" tick={{ fontSize: 10 }} interval={0} angle={-30} textAnchor="end" height={40} />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
              <Tooltip formatter={(v) => [String(v), 'Meetings']} />
              <Bar dataKey="count" fill="oklch(0.55 0.14 265)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
          <figcaption className="sr-only">{title}: {buckets.map((b) => `${b.label}: ${b.count}`).join(', ')}</figcaption>
        </figure>
      </CardContent>
    </Card>
  );
}

export default function TeamPage() {
  const me = useMe();
  const led = me.data?.teams.filter((t) => t.role === 'lead') ?? [];
  const [teamId, setTeamId] = useState<string | null>(null);
  const [weeks, setWeeks] = useState(12);
  useEffect(() => {
    if (!teamId && led[0]) setTeamId(led[0].teamId);
  }, [teamId, led]);
  const insights = useQuery({
    queryKey: ['teamInsights', teamId, weeks],
    enabled: !!teamId,
    queryFn: async () => (await gql<{ teamInsights: TeamInsights }>(TEAM_INSIGHTS, { teamId, weeks })).teamInsights,
  });
  const t = insights.data;
  return (
    <AppShell
      title="Team"
      actions={
        led.length > 0 && (
          <div className="flex flex-wrap items-center gap-3">
            {led.length > 1 && (
              <div className="flex items-center gap-2">
                <Label htmlFor="team">Team</Label>
                <select id="team" className="h-9 rounded-md border bg-card px-2 text-sm" value={teamId ?? ''} onChange={(e) => setTeamId(e.target.value)}>
                  {led.map((l) => <option key={l.teamId} value={l.teamId}>{l.teamName}</option>)}
                </select>
              </div>
            )}
            <div className="flex items-center gap-2">
              <Label htmlFor="weeks">Period</Label>
              <select id="weeks" className="h-9 rounded-md border bg-card px-2 text-sm" value={weeks} onChange={(e) => setWeeks(Number(e.target.value))}>
                {[4, 12, 26, 52].map((w) => <option key={w} value={w}>Last {w} weeks</option>)}
              </select>
            </div>
          </div>
        )
      }
    >
      <p className="-mt-3 mb-5 max-w-3xl text-sm text-muted-foreground">
        Aggregates only. You never see a member’s transcripts or recordings, figures over fewer than three people are hidden, and a member’s own numbers appear only if they chose to share them.
      </p>
      {me.isPending ? (
        <Skeleton className="h-40" />
      ) : led.length === 0 ? (
        <EmptyState title="You do not lead a team">An admin can make you the lead of a team.</EmptyState>
      ) : insights.isPending ? (
        <Skeleton className="h-64" />
      ) : insights.isError ? (
        <ErrorState error={insights.error} />
      ) : t!.suppressed ? (
        <EmptyState title={`Not enough data for ${t!.teamName} yet`}>
          {t!.membersWithData} of {t!.memberCount} members had analysed meetings in this period; figures appear once at least {t!.minimumMembers} do.
        </EmptyState>
      ) : (
        <div className="grid gap-4" data-testid="team-insights">
          <div className="grid gap-4 sm:grid-cols-3">
            <Card className="p-4">
              <p className="text-sm text-muted-foreground">Average score</p>
              <p className="text-3xl font-bold tabular-nums" data-testid="team-average">{num(t!.averageScore, 1)}</p>
              <p className="text-xs text-muted-foreground">{t!.scoreChange === null ? 'Trend needs more weeks' : `${t!.scoreChange >= 0 ? '+' : ''}${t!.scoreChange} vs the 4 weeks before`}</p>
            </Card>
            <Card className="p-4">
              <p className="text-sm text-muted-foreground">Meetings analysed</p>
              <p className="text-3xl font-bold tabular-nums">{t!.meetings}</p>
              <p className="text-xs text-muted-foreground">over {t!.weeks} weeks</p>
            </Card>
            <Card className="p-4">
              <p className="text-sm text-muted-foreground">Members with data</p>
              <p className="text-3xl font-bold tabular-nums">{t!.membersWithData} <span className="text-base font-normal text-muted-foreground">of {t!.memberCount}</span></p>
            </Card>
          </div>
          <div className="grid gap-4 lg:grid-cols-2">
            <Card>
              <CardHeader>
                <CardTitle as="h3">Average score by week</CardTitle>
                <CardDescription>Weeks with fewer than {t!.minimumMembers} members are left out.</CardDescription>
              </CardHeader>
              <CardContent>
                <figure className="h-48">
                  <ResponsiveContainer width="100%" height="100%">
                    <LineChart data={t!.weekly.map((w) => ({ ...w, week: new Date(w.weekStart).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }) }))} margin={{ left: -16, right: 8 }}>
                      <CartesianGrid strokeDasharray="3 3" />
                      <XAxis dataKey="week" tick={{ fontSize: 11 }} />
                      <YAxis domain={[0, 100]} tick={{ fontSize: 11 }} />
                      <Tooltip />
                      <Line dataKey="averageScore" name="Average score" stroke="oklch(0.45 0.16 265)" strokeWidth={2} connectNulls isAnimationActive={false} />
                    </LineChart>
                  </ResponsiveContainer>
                  <figcaption className="sr-only">Weekly average score</figcaption>
                </figure>
              </CardContent>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle as="h3">Meetings covered per week</CardTitle>
                <CardDescription>Analysed meetings of team members.</CardDescription>
              </CardHeader>
              <CardContent>
                <figure className="h-48">
                  <ResponsiveContainer width="100%" height="100%">
                    <BarChart data={t!.weekly.map((w) => ({ ...w, week: new Date(w.weekStart).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }) }))} margin={{ left: -16, right: 8 }}>
                      <CartesianGrid vertical={false} strokeDasharray="3 3" />
                      <XAxis dataKey="week" tick={{ fontSize: 11 }} />
                      <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
                      <Tooltip />
                      <Bar dataKey="meetings" name="Meetings" fill="oklch(0.55 0.14 265)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
                    </BarChart>
                  </ResponsiveContainer>
                  <figcaption className="sr-only">Meetings per week</figcaption>
                </figure>
              </CardContent>
            </Card>
          </div>
          <div className="grid gap-4 lg:grid-cols-3">
            <Histogram title="Talk share" description="Each member’s share of talk time per meeting" buckets={t!.talkShare} />
            <Histogram title="Pace" description="Words per minute" buckets={t!.pace} />
            <Histogram title="Filler words" description="Per 100 words" buckets={t!.fillers} />
          </div>
          <Card>
            <CardHeader>
              <CardTitle as="h3">Top improvement areas</CardTitle>
              <CardDescription>What the team could practise together.</CardDescription>
            </CardHeader>
            <CardContent>
              {t!.topImprovementAreas.length === 0 ? (
                <p className="text-sm text-muted-foreground">None raised in this period.</p>
              ) : (
                <ol className="grid gap-2 text-sm">
                  {t!.topImprovementAreas.map((a) => (
                    <li key={a.area} className="flex justify-between gap-3 border-b pb-2 last:border-0">
                      <span className="font-medium">{areaName(a.area)}</span>
                      <span className="text-muted-foreground">{a.members} member{a.members === 1 ? "" : "s"} · {a.occurrences} meeting{a.occurrences === 1 ? "" : "s"}</span>
                    </li>
                  ))}
                </ol>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle as="h3">Members who share their figures</CardTitle>
              <CardDescription>Only members who opted in, in their settings.</CardDescription>
            </CardHeader>
            <CardContent>
              {t!.individuals.length === 0 ? (
                <p className="text-sm text-muted-foreground">No member shares individual figures.</p>
              ) : (
                <div className="overflow-x-auto">
                  <table className="w-full text-sm">
                    <thead className="text-left text-muted-foreground">
                      <tr><th scope="col" className="py-2 pr-3 font-medium">Member</th><th scope="col" className="py-2 pr-3 font-medium">Meetings</th><th scope="col" className="py-2 pr-3 font-medium">Avg score</th><th scope="col" className="py-2 pr-3 font-medium">Talk share</th><th scope="col" className="py-2 pr-3 font-medium">Pace</th><th scope="col" className="py-2 font-medium">Fillers</th></tr>
                    </thead>
                    <tbody>
                      {t!.individuals.map((i) => (
                        <tr key={i.userId} className="border-t">
                          <th scope="row" className="py-2 pr-3 text-left font-medium">{i.name}</th>
                          <td className="py-2 pr-3">{i.meetings}</td>
                          <td className="py-2 pr-3">{num(i.averageScore, 1)}</td>
                          <td className="py-2 pr-3">{pct(i.talkTimeShare)}</td>
                          <td className="py-2 pr-3">{num(i.wordsPerMinute)}</td>
                          <td className="py-2">{num(i.fillerWordsPer100, 1)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </CardContent>
          </Card>
        </div>
      )}
    </AppShell>
  );
}
