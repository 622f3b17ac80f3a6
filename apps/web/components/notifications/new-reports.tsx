'use client';
import Link from 'next/link';
import { useMarkRead, useUnreadReports } from '@/lib/notifications';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';

/** Reports that became ready since I last looked: open one (it is marked read) or dismiss them all. */
export function NewReports() {
  const { unread } = useUnreadReports();
  const markRead = useMarkRead();
  if (!unread.length) return null;
  return (
    <Card data-testid="new-reports">
      <CardHeader className="flex flex-row items-center justify-between gap-2 space-y-0">
        <CardTitle as="h2">New reports</CardTitle>
        <Button variant="ghost" size="sm" disabled={markRead.isPending} onClick={() => markRead.mutate(unread.map((n) => n.id))}>
          Dismiss all
        </Button>
      </CardHeader>
      <CardContent>
        <ul className="grid gap-2 text-sm">
          {unread.map((n) => (
            <li key={n.id}>
              <Link className="text-primary underline-offset-4 hover:underline" href={`/meeting?id=${n.meetingId ?? ''}`} onClick={() => markRead.mutate([n.id])}>
                Your report for “{n.payload.title ?? 'a meeting'}” is ready
                {typeof n.payload.communicationScore === 'number' ? `: ${n.payload.communicationScore}/100` : ''}
              </Link>
              {!!n.payload.practiceModules && <span className="text-muted-foreground"> · {n.payload.practiceModules} practice module{n.payload.practiceModules === 1 ? '' : 's'}</span>}
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}
