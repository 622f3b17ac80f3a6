'use client';
import Link from 'next/link';
import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { gql } from '@/lib/api';
import { MY_MEETINGS, type MeetingSummary } from '@/lib/queries';
import { formatDate, formatDuration } from '@/lib/utils';
import { AppShell, EmptyState, ErrorState } from '@/components/app-shell';
import { InviteBot } from '@/components/meetings/invite-bot';
import { NewReports } from '@/components/notifications/new-reports';
import { BotStatus } from '@/components/meetings/bot-status';
import { UpcomingMeetings } from '@/components/calendar/upcoming';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';

const PLATFORM: Record<string, string> = { google_meet: 'Google Meet', zoom: 'Zoom', microsoft_teams: 'Teams' };
const ANALYSIS: Record<string, string> = { queued: 'Analysis queued', running: 'Analysing…', failed: 'Analysis failed' };

function scoreVariant(score: number): 'success' | 'warning' | 'destructive' {
  return score >= 70 ? 'success' : score >= 50 ? 'warning' : 'destructive';
}

/** An analysis is running, or a bot just finished and its analysis has not started yet (10 min grace). */
function analysisPending(m: MeetingSummary): boolean {
  if (m.analysisStatus === 'queued' || m.analysisStatus === 'running') return true;
  return !!m.bot && m.bot.status === 'done' && m.myScore === null && m.analysisStatus === null && Date.now() - Date.parse(m.bot.updatedAt) < 600_000;
}

export default function MeetingsPage() {
  const meetings = useQuery({
    queryKey: ['myMeetings'],
    queryFn: async () => (await gql<{ myMeetings: MeetingSummary[] }>(MY_MEETINGS, { limit: 100 })).myMeetings,
    // While an analysis is on its way, look again every few seconds; otherwise stay quiet.
    refetchInterval: (q) => (q.state.data?.some(analysisPending) ? 4000 : false),
  });
  // A list that changed may mean a report just became ready: look for its notification now.
  const qc = useQueryClient();
  useEffect(() => {
    if (meetings.dataUpdatedAt) void qc.invalidateQueries({ queryKey: ['notifications'] });
  }, [meetings.dataUpdatedAt, qc]);

  return (
    <AppShell title="Meetings">
      <div className="grid gap-6">
        <NewReports />
        <InviteBot />
        <UpcomingMeetings />
        <section aria-labelledby="past-heading" className="grid gap-3">
          <h2 id="past-heading" className="text-lg font-semibold">
            Your meetings
          </h2>
          {meetings.isPending ? (
            <div className="grid gap-2">
              <Skeleton className="h-16" />
              <Skeleton className="h-16" />
            </div>
          ) : meetings.isError ? (
            <ErrorState error={meetings.error} />
          ) : meetings.data.length === 0 ? (
            <EmptyState title="No meetings yet">Invite the bot to a meeting and its report appears here.</EmptyState>
          ) : (
            <ul className="grid gap-2" data-testid="meeting-list">
              {meetings.data.map((m) => (
                <li key={m.id}>
                  <Card className="grid gap-3 p-4 sm:grid-cols-[1fr_14rem_6rem] sm:items-center">
                    <div className="min-w-0">
                      <Link href={`/meeting?id=${m.id}`} className="font-medium text-primary underline-offset-4 hover:underline">
                        {m.title}
                      </Link>
                      <p className="text-xs text-muted-foreground">
                        {formatDate(m.createdAt)} · {formatDuration(m.duration)}
                        {m.platform ? ` · ${PLATFORM[m.platform] ?? m.platform}` : ''}
                        {m.isOwner ? '' : ' · shared with you'}
                      </p>
                    </div>
                    <div>{m.bot ? <BotStatus bot={m.bot} /> : <span className="text-xs text-muted-foreground">Uploaded or imported</span>}</div>
                    <div className="sm:text-right">
                      {m.myScore !== null ? (
                        <Badge variant={scoreVariant(m.myScore)} aria-label={`Score ${m.myScore} of 100`}>
                          {m.myScore}
                        </Badge>
                      ) : (
                        <span className="text-xs text-muted-foreground">{(m.analysisStatus && ANALYSIS[m.analysisStatus]) ?? 'No score yet'}</span>
                      )}
                    </div>
                  </Card>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </AppShell>
  );
}
