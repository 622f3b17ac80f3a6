'use client';
import Link from 'next/link';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '@/lib/api';
import { explainCoverage, type CalendarEvent } from '@/lib/calendar';
import { formatDate } from '@/lib/utils';
import { EmptyState } from '@/components/app-shell';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Switch } from '@/components/ui/switch';

/** Upcoming calendar meetings: link, covered or not and why, per-event toggle. */
export function UpcomingMeetings() {
  const qc = useQueryClient();
  const events = useQuery({ queryKey: ['calendarEvents'], queryFn: () => api<CalendarEvent[]>('/api/v1/calendar-events?limit=50'), retry: false });
  const toggle = useMutation({
    mutationFn: ({ id, on }: { id: string; on: boolean }) => api<CalendarEvent>(`/api/v1/calendar-events/${id}`, { method: 'PATCH', body: { override: on ? 'on' : 'off' } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['calendarEvents'] }),
  });
  const unavailable = events.error instanceof ApiError && events.error.status === 404;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Upcoming</CardTitle>
        <CardDescription>Meetings from your connected calendars, and whether the bot will join them.</CardDescription>
      </CardHeader>
      <CardContent>
        {events.isPending ? (
          <Skeleton className="h-16" />
        ) : unavailable || events.isError ? (
          <EmptyState title="Calendar sync is coming soon">Until then, invite the bot with a link above.</EmptyState>
        ) : events.data.length === 0 ? (
          <EmptyState title="Nothing coming up">
            <Link className="text-primary underline" href="/settings/calendars">Connect a calendar</Link> and its meetings appear here.
          </EmptyState>
        ) : (
          <ul className="grid gap-2">
            {events.data.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center justify-between gap-3 rounded-md border p-3 text-sm">
                <div className="min-w-0">
                  <p className="font-medium">{e.title}</p>
                  <p className="text-xs text-muted-foreground">
                    {formatDate(e.startsAt)} · {e.covered ? 'Bot will join' : 'No bot'} — {explainCoverage(e.coverageReason)}
                  </p>
                </div>
                <label className="flex items-center gap-2 text-xs">
                  <Switch checked={e.covered} onCheckedChange={(on) => toggle.mutate({ id: e.id, on })} aria-label={`Bot for ${e.title}`} disabled={!e.meetingUrl} />
                  Bot
                </label>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
