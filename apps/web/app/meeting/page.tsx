'use client';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PlayCircle } from 'lucide-react';
import { api, ApiError, gql } from '@/lib/api';
import { useQueryParam } from '@/lib/hooks';
import { MEETING, type MeetingReport } from '@/lib/queries';
import { useMarkRead, useUnreadReports } from '@/lib/notifications';
import { readTranscript } from '@/lib/transcript';
import { areaName, formatDate, formatDuration, num, pct } from '@/lib/utils';
import { AppShell, EmptyState, ErrorState } from '@/components/app-shell';
import { ScoreParts, TalkShareChart } from '@/components/report/charts';
import { Transcript, type TranscriptHandle } from '@/components/report/transcript';
import { BotStatus } from '@/components/meetings/bot-status';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';

/** How often the page renews the recording cookie (it lives as long as an access token, 15 min). */
const MEDIA_SESSION_RENEW_MS = 5 * 60_000;

/**
 * <audio> cannot send the bearer token, so the page asks the API for a cookie that opens this
 * recording only (HttpOnly, scoped to its path, as long-lived as the access token) and lets the
 * browser stream it with range requests: playback starts at once and seeking fetches only what
 * it needs. The cookie is renewed while the page is open, and after a failed load.
 */
function useRecordingUrl(meetingId: string | null | undefined, enabled: boolean) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const renewRef = useRef<() => Promise<boolean>>(() => Promise.resolve(false));
  useEffect(() => {
    if (!meetingId || !enabled) return;
    let stopped = false;
    const open = async (): Promise<boolean> => {
      try {
        await api(`/api/v1/meetings/${meetingId}/recording/session`, { method: 'POST' });
        if (!stopped) setUrl(`/api/v1/meetings/${meetingId}/recording`);
        return true;
      } catch (e: unknown) {
        if (!stopped) setError(e instanceof ApiError && e.status === 404 ? 'No recording for this meeting' : 'Recording unavailable');
        return false;
      }
    };
    renewRef.current = open;
    void open();
    const timer = setInterval(() => void open(), MEDIA_SESSION_RENEW_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [meetingId, enabled]);
  return { url, error, renew: () => renewRef.current() };
}

export default function MeetingPage() {
  const id = useQueryParam('id');
  const report = useQuery({
    queryKey: ['meeting', id],
    enabled: !!id,
    queryFn: async () => (await gql<{ meeting: MeetingReport }>(MEETING, { id })).meeting,
    refetchInterval: (q) => {
      const d = q.state.data;
      if (!d) return false;
      if (d.analysisStatus === 'queued' || d.analysisStatus === 'running') return 3000;
      return !d.myAnalysis && d.analysisStatus !== 'failed' && d.analysisStatus !== 'completed' ? 5000 : false;
    },
  });
  const m = report.data;
  const transcript = useQuery({
    queryKey: ['transcript', id],
    enabled: !!m?.hasTranscript,
    queryFn: async () => readTranscript(await api<unknown>(`/api/v1/meetings/${id}/transcript`)),
    staleTime: Infinity,
  });
  const recording = useRecordingUrl(id, !!m?.hasRecording);
  const audio = useRef<HTMLAudioElement>(null);
  const lastRetry = useRef(0);
  const transcriptRef = useRef<TranscriptHandle>(null);
  const [time, setTime] = useState(0);

  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: ['meeting', id] });
  // Opening the report reads its "report ready" notification.
  const { unread } = useUnreadReports();
  const markRead = useMarkRead();
  const unreadHere = unread.filter((n) => n.meetingId === id).map((n) => n.id).join(',');
  useEffect(() => {
    if (unreadHere) markRead.mutate(unreadHere.split(','));
    // Once per set of unread ids (markRead is stable enough: a new mutate object must not re-fire).
  }, [unreadHere]);
  const claim = useMutation({ mutationFn: (label: string) => api(`/api/v1/meetings/${id}/speakers/${encodeURIComponent(label)}/claim`, { method: 'POST' }), onSuccess: refresh });
  const reanalyze = useMutation({ mutationFn: () => api(`/api/v1/meetings/${id}/reanalyze`, { method: 'POST', body: {} }), onSuccess: refresh });

  const seek = (sec: number, scroll = false) => {
    if (audio.current) {
      audio.current.currentTime = sec;
      void audio.current.play().catch(() => undefined);
    }
    setTime(sec);
    if (scroll) transcriptRef.current?.scrollToTime(sec);
  };

  if (id === null) return <AppShell title="Meeting report"><ErrorState error={new Error('No meeting id in the address')} /></AppShell>;
  const a = m?.myAnalysis;
  return (
    <AppShell
      title={m?.title ?? 'Meeting report'}
      actions={
        <div className="flex items-center gap-3">
          {m?.isOwner && (m.analysisStatus === 'completed' || m.analysisStatus === 'failed') && (
            <Button size="sm" variant="outline" disabled={reanalyze.isPending} onClick={() => reanalyze.mutate()}>
              {reanalyze.isPending ? 'Queuing…' : 'Analyse again'}
            </Button>
          )}
          <Link className="text-sm text-primary underline-offset-4 hover:underline" href="/meetings">All meetings</Link>
        </div>
      }
    >
      {reanalyze.error && <p role="alert" className="mb-4 text-sm text-destructive">{reanalyze.error instanceof ApiError ? reanalyze.error.message : 'Could not start a new analysis'}</p>}
      {report.isPending ? (
        <div className="grid gap-4">
          <Skeleton className="h-40" />
          <Skeleton className="h-64" />
        </div>
      ) : report.isError ? (
        <ErrorState error={report.error} />
      ) : (
        <div className="grid gap-6">
          <p className="-mt-4 text-sm text-muted-foreground" aria-live="polite">
            {formatDate(m!.createdAt)} · {formatDuration(m!.duration)}
            {m!.analysisStatus === 'queued' || m!.analysisStatus === 'running' ? (
              <span data-testid="analysing"> · Analysing…</span>
            ) : (
              m!.analysedAt && (
                <span data-testid="analysed-at" data-value={m!.analysedAt}>
                  {' '}· {m!.analysisStatus === 'failed' ? 'Analysis failed' : 'Analysed'} {formatDate(m!.analysedAt)}
                </span>
              )
            )}
          </p>
          {m!.bot && (
            <Card className="p-4">
              <BotStatus bot={m!.bot} />
            </Card>
          )}
          {!a ? (
            m!.analysisStatus === 'completed' && m!.speakers.length > 0 ? (
              <Card>
                <CardHeader>
                  <CardTitle>Which speaker are you?</CardTitle>
                  <CardDescription>We could not match you to a speaker by name. Pick yours and your report is produced.</CardDescription>
                </CardHeader>
                <CardContent className="flex flex-wrap gap-2">
                  {m!.speakers.map((s) => (
                    <Button key={s.label} variant="outline" disabled={claim.isPending} onClick={() => claim.mutate(s.label)}>
                      That’s me: {s.name}
                    </Button>
                  ))}
                  {claim.error && <p role="alert" className="w-full text-sm text-destructive">{claim.error instanceof ApiError ? claim.error.message : 'Could not claim the speaker'}</p>}
                </CardContent>
              </Card>
            ) : (
              <EmptyState title={m!.analysisStatus === 'failed' ? 'The analysis failed' : 'Your report is being prepared'}>
                {m!.analysisStatus === 'failed' ? 'Try “Analyse again” above, or contact your admin.' : 'It appears here as soon as the analysis finishes.'}
              </EmptyState>
            )
          ) : (
            <div className="grid gap-6 lg:grid-cols-[18rem_1fr]">
              <Card>
                <CardHeader>
                  <CardTitle>Your score</CardTitle>
                  <CardDescription>{a.speakerName ? `As ${a.speakerName}` : 'Communication score'}</CardDescription>
                </CardHeader>
                <CardContent>
                  <p className="text-6xl font-bold tabular-nums text-primary" data-testid="score">
                    {a.score}
                    <span className="text-xl font-medium text-muted-foreground">/100</span>
                  </p>
                  <dl className="mt-4 grid grid-cols-2 gap-3 text-sm">
                    <div><dt className="text-muted-foreground">Talk share</dt><dd className="font-medium">{pct(a.metrics.talkTimeShare)}</dd></div>
                    <div><dt className="text-muted-foreground">Pace</dt><dd className="font-medium">{num(a.metrics.wordsPerMinute)} wpm</dd></div>
                    <div><dt className="text-muted-foreground">Fillers</dt><dd className="font-medium">{num(a.metrics.fillerWordsPer100, 1)} / 100 words</dd></div>
                    <div><dt className="text-muted-foreground">Questions</dt><dd className="font-medium">{a.metrics.questionCount}</dd></div>
                    <div><dt className="text-muted-foreground">Longest monologue</dt><dd className="font-medium">{formatDuration(a.metrics.longestMonologueSec)}</dd></div>
                    <div><dt className="text-muted-foreground">Interruptions</dt><dd className="font-medium">{a.metrics.interruptionsMade} made · {a.metrics.interruptionsReceived} received</dd></div>
                  </dl>
                </CardContent>
              </Card>
              <Card>
                <CardHeader>
                  <CardTitle>Against the reference bands</CardTitle>
                  <CardDescription>How each part of your score compares with what research finds works.</CardDescription>
                </CardHeader>
                <CardContent>{a.components.length ? <ScoreParts components={a.components} /> : <p className="text-sm text-muted-foreground">No breakdown stored for this analysis.</p>}</CardContent>
              </Card>
            </div>
          )}
          {m!.speakers.length > 0 && (
            <Card>
              <CardHeader>
                <CardTitle>Talk share</CardTitle>
                <CardDescription>Share of all talk time, every speaker.</CardDescription>
              </CardHeader>
              <CardContent>
                <TalkShareChart speakers={m!.speakers} />
              </CardContent>
            </Card>
          )}
          {a && a.improvementAreas.length > 0 && (
            <section aria-labelledby="areas-heading" className="grid gap-3">
              <h2 id="areas-heading" className="text-lg font-semibold">What to work on</h2>
              <div className="grid gap-3 md:grid-cols-2">
                {a.improvementAreas.map((area, i) => (
                  <Card key={area.area}>
                    <CardHeader>
                      <div className="flex items-center justify-between gap-2">
                        <CardTitle as="h3">{areaName(area.area)}</CardTitle>
                        <Badge variant={area.severity === 'high' ? 'destructive' : area.severity === 'medium' ? 'warning' : 'secondary'}>{area.severity}</Badge>
                      </div>
                      {a.recommendations[i] && <CardDescription>{a.recommendations[i]}</CardDescription>}
                    </CardHeader>
                    <CardContent className="grid gap-2">
                      {area.excerpts.slice(0, 3).map((e) => (
                        <button
                          type="button"
                          key={`${e.start}-${e.end}`}
                          onClick={() => seek(e.start, true)}
                          className="flex gap-2 rounded-md border p-2 text-left text-sm hover:bg-accent"
                          data-testid="evidence"
                        >
                          <PlayCircle className="mt-0.5 h-4 w-4 shrink-0 text-primary" aria-hidden />
                          <span>
                            <span className="font-mono text-xs text-muted-foreground">{formatDuration(e.start)}</span> “{e.text.length > 220 ? `${e.text.slice(0, 220)}…` : e.text}”
                            <span className="sr-only"> (play this moment)</span>
                          </span>
                        </button>
                      ))}
                    </CardContent>
                  </Card>
                ))}
              </div>
            </section>
          )}
          {a && a.recommendations.length > a.improvementAreas.length && (
            <Card>
              <CardHeader><CardTitle>Recommendations</CardTitle></CardHeader>
              <CardContent>
                <ul className="list-disc space-y-1 pl-5 text-sm">{a.recommendations.slice(a.improvementAreas.length).map((r) => <li key={r}>{r}</li>)}</ul>
              </CardContent>
            </Card>
          )}
          {m!.isOwner && (
            <Card>
              <CardHeader>
                <CardTitle>Recording and transcript</CardTitle>
                <CardDescription>Click a line to hear it.</CardDescription>
              </CardHeader>
              <CardContent className="grid gap-3">
                {m!.hasRecording ? (
                  recording.url ? (
                    <audio
                      ref={audio}
                      controls
                      preload="metadata"
                      src={recording.url}
                      className="w-full"
                      onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
                      onError={(e) => {
                        // The cookie expired while the page sat idle: renew it and pick up where it was.
                        const el = e.currentTarget;
                        const at = el.currentTime;
                        // Once a minute at most: a file that cannot play must not loop here.
                        if (Date.now() - lastRetry.current < 60_000) return;
                        lastRetry.current = Date.now();
                        void recording.renew().then((ok) => {
                          if (!ok) return;
                          el.load();
                          el.currentTime = at;
                        });
                      }}
                      data-testid="audio"
                    >
                      Your browser cannot play this recording.
                    </audio>
                  ) : (
                    <p className="text-sm text-muted-foreground">{recording.error ?? 'Loading the recording…'}</p>
                  )
                ) : (
                  <p className="text-sm text-muted-foreground">No recording is kept for this meeting.</p>
                )}
                {!m!.hasTranscript ? (
                  <p className="text-sm text-muted-foreground">No transcript for this meeting.</p>
                ) : transcript.isPending ? (
                  <Skeleton className="h-64" />
                ) : transcript.isError ? (
                  <ErrorState error={transcript.error} />
                ) : (
                  <Transcript ref={transcriptRef} lines={transcript.data.lines} names={transcript.data.names} currentTime={time} onSeek={(s) => seek(s)} />
                )}
              </CardContent>
            </Card>
          )}
          {m!.isOwner && (
            <Card>
              <CardHeader>
                <CardTitle>Consent ledger</CardTitle>
                <CardDescription>What the bot announced, who was there, and who opted out.</CardDescription>
              </CardHeader>
              <CardContent>
                {m!.consent.length === 0 ? (
                  <p className="text-sm text-muted-foreground">No consent notice recorded for this meeting.</p>
                ) : (
                  <ul className="grid gap-3">
                    {m!.consent.map((c, i) => (
                      <li key={i} className="rounded-lg border p-3 text-sm">
                        <p>
                          <span className="font-medium">{c.postedAt ? `Posted in the ${c.channel.replace('_', ' ')} at ${formatDate(c.postedAt)}` : 'Never posted: nothing was recorded'}</span>
                        </p>
                        <blockquote className="mt-1 border-l-2 pl-3 text-muted-foreground">{c.noticeText}</blockquote>
                        <p className="mt-2">Present: {c.participants.length ? c.participants.join(', ') : '—'}</p>
                        {c.lateJoiners.length > 0 && (
                          <p className="mt-1" data-testid="late-joiners">
                            Joined later:{' '}
                            {c.lateJoiners
                              .map((j) => `${j.name} (${j.notifiedAt ? `notice posted again ${formatDate(j.notifiedAt)}` : 'not told again'})`)
                              .join(', ')}
                          </p>
                        )}
                        {c.optOuts.length > 0 && <p className="mt-1 text-destructive">Opted out: {c.optOuts.map((o) => `${o.participantName ?? 'someone'} (“${o.message}”)`).join(', ')}</p>}
                        {c.recordingDeleted && <p className="mt-1">The recording was deleted.</p>}
                      </li>
                    ))}
                  </ul>
                )}
              </CardContent>
            </Card>
          )}
        </div>
      )}
    </AppShell>
  );
}
