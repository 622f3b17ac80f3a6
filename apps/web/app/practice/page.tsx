'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2 } from 'lucide-react';
import { api, ApiError, gql } from '@/lib/api';
import { MY_PRACTICE, type PracticeModule } from '@/lib/queries';
import { areaName, formatDuration } from '@/lib/utils';
import { AppShell, EmptyState, ErrorState } from '@/components/app-shell';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';

const STATUS: Record<string, string> = { not_started: 'Not started', started: 'In progress', completed: 'Completed' };
const KIND: Record<string, string> = {
  say_without_fillers: 'Say it without fillers',
  pause_drill: 'Pause drill',
  read_at_target_pace: 'Read at a target pace',
};

/** Practice progress goes through REST (the pipeline's practice API): an attempt, or completion. */
export const progressPath = (id: string) => `/api/v1/practice-modules/${id}/progress`;

function ModuleCard({ m }: { m: PracticeModule }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(m.status === 'started');
  const progress = useMutation({
    mutationFn: (body: { status?: 'started' | 'completed'; attemptIncrement?: number }) => api(progressPath(m.id), { method: 'PATCH', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['myPractice'] }),
  });
  const err = progress.error instanceof ApiError ? progress.error.message : progress.error ? 'Could not save your progress' : null;
  return (
    <Card data-testid="practice-module" data-status={m.status}>
      <CardHeader>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <CardTitle as="h3">{m.title}</CardTitle>
          <Badge variant={m.status === 'completed' ? 'success' : m.status === 'started' ? 'default' : 'secondary'}>{STATUS[m.status] ?? m.status}</Badge>
        </div>
        <CardDescription>
          {areaName(m.moduleType)} · {m.difficulty} · about {m.estimatedDuration} min · {m.attempts} attempt{m.attempts === 1 ? '' : 's'}
          {m.sourceMeetingId && (
            <>
              {' · '}
              <Link className="text-primary underline" href={`/meeting?id=${m.sourceMeetingId}`}>from this meeting</Link>
            </>
          )}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <Button variant="outline" size="sm" className="w-fit" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide exercises' : `Show ${m.exercises.length} exercise${m.exercises.length === 1 ? '' : 's'}`}
        </Button>
        {open && (
          <ol className="grid gap-3">
            {m.exercises.map((e, i) => (
              <li key={i} className="rounded-lg border p-3 text-sm">
                <p className="font-medium">{i + 1}. {KIND[e.kind] ?? e.kind.replace(/_/g, ' ')} <span className="font-normal text-muted-foreground">· {Math.round(e.estimatedMin)} min</span></p>
                <p className="mt-1">{e.instructions}</p>
                {e.markedText ? (
                  <blockquote className="mt-2 border-l-2 pl-3 text-muted-foreground">{e.markedText}</blockquote>
                ) : (
                  e.excerpts.slice(0, 2).map((x) => (
                    <blockquote key={x.start} className="mt-2 border-l-2 pl-3 text-muted-foreground">
                      <span className="font-mono text-xs">{formatDuration(x.start)}</span> {x.text}
                    </blockquote>
                  ))
                )}
                {e.targetWordsPerMinute && <p className="mt-1 text-xs text-muted-foreground">Target: {Math.round(e.targetWordsPerMinute)} words per minute</p>}
                {e.targetMaxWords && <p className="mt-1 text-xs text-muted-foreground">Target: at most {e.targetMaxWords} words</p>}
              </li>
            ))}
          </ol>
        )}
        <div className="flex flex-wrap gap-2">
          <Button size="sm" variant="secondary" disabled={progress.isPending || m.status === 'completed'} onClick={() => progress.mutate({ attemptIncrement: 1 })}>
            I practised this
          </Button>
          <Button size="sm" disabled={progress.isPending || m.status === 'completed'} onClick={() => progress.mutate({ status: 'completed' })}>
            <CheckCircle2 aria-hidden /> Mark complete
          </Button>
        </div>
        {err && <p role="alert" className="text-sm text-destructive">{err}</p>}
      </CardContent>
    </Card>
  );
}

export default function PracticePage() {
  const modules = useQuery({ queryKey: ['myPractice'], queryFn: async () => (await gql<{ myPracticeModules: PracticeModule[] }>(MY_PRACTICE)).myPracticeModules });
  const done = modules.data?.filter((m) => m.status === 'completed').length ?? 0;
  return (
    <AppShell title="Practice">
      {modules.isPending ? (
        <Skeleton className="h-48" />
      ) : modules.isError ? (
        <ErrorState error={modules.error} />
      ) : modules.data.length === 0 ? (
        <EmptyState title="No practice yet">Practice modules are built from your own moments after each analysed meeting.</EmptyState>
      ) : (
        <div className="grid gap-4">
          <Card className="p-4">
            <p className="text-sm" data-testid="practice-progress">
              <span className="font-semibold">{done}</span> of {modules.data.length} modules completed
            </p>
            <div className="mt-2 h-2 overflow-hidden rounded-full bg-muted" role="progressbar" aria-label="Modules completed" aria-valuemin={0} aria-valuemax={modules.data.length} aria-valuenow={done}>
              <div className="h-full bg-success" style={{ width: `${(done / modules.data.length) * 100}%` }} />
            </div>
          </Card>
          <div className="grid gap-4 lg:grid-cols-2">
            {modules.data.map((m) => (
              <ModuleCard key={m.id} m={m} />
            ))}
          </div>
        </div>
      )}
    </AppShell>
  );
}
