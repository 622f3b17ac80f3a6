'use client';
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, AlertCircle } from 'lucide-react';
import { api, ApiError } from '@/lib/api';
import { useMe } from '@/lib/hooks';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';

interface ParseResult {
  ok: boolean;
  link: { platform: string; meetingId: string; url: string; dedupeKey: string } | null;
  message: string;
}

/** "Invite the bot": paste a link, validated as you type (debounced), then POST /api/v1/bots. */
export function InviteBot() {
  const qc = useQueryClient();
  const me = useMe();
  const [text, setText] = useState('');
  const [parsed, setParsed] = useState<ParseResult | null>(null);
  const [checking, setChecking] = useState(false);

  useEffect(() => {
    if (!text.trim()) {
      setParsed(null);
      return;
    }
    const ctrl = new AbortController();
    setChecking(true);
    const t = setTimeout(() => {
      api<ParseResult>('/api/v1/meeting-links/parse', { method: 'POST', body: { text }, signal: ctrl.signal })
        .then((r) => setParsed(r))
        .catch(() => undefined)
        .finally(() => setChecking(false));
    }, 250);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [text]);

  const invite = useMutation({
    mutationFn: () =>
      api<{ id: string }>('/api/v1/bots', {
        method: 'POST',
        body: {
          meetingUrl: parsed!.link!.url,
          ...(me.data ? { botName: me.data.preferences.botName } : {}),
          ...(me.data && !me.data.preferences.consentNoticeIsDefault ? { consent: { noticeText: me.data.preferences.consentNotice } } : {}),
        },
      }),
    onSuccess: async () => {
      setText('');
      await qc.invalidateQueries({ queryKey: ['myMeetings'] });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (parsed?.ok) invite.mutate();
  };

  const error = invite.error instanceof ApiError ? invite.error.message : invite.error ? 'Could not invite the bot' : null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Invite the bot</CardTitle>
        <CardDescription>Paste a meeting link (or a whole invitation). The bot joins now and posts your consent notice in the chat.</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start">
          <div className="grid gap-1.5">
            <Label htmlFor="meeting-link" className="sr-only">
              Meeting link
            </Label>
            <Input
              id="meeting-link"
              placeholder="https://meet.google.com/abc-defg-hij"
              value={text}
              onChange={(e) => setText(e.target.value)}
              aria-invalid={parsed ? !parsed.ok : undefined}
              aria-describedby="meeting-link-status"
              autoComplete="off"
            />
            <p id="meeting-link-status" aria-live="polite" className="flex min-h-5 items-center gap-1.5 text-sm">
              {checking && text ? (
                <span className="text-muted-foreground">Checking…</span>
              ) : parsed ? (
                parsed.ok ? (
                  <span className="flex items-center gap-1.5 text-success">
                    <CheckCircle2 className="h-4 w-4" aria-hidden /> {parsed.message}
                  </span>
                ) : (
                  <span className="flex items-center gap-1.5 text-destructive">
                    <AlertCircle className="h-4 w-4" aria-hidden /> {parsed.message}
                  </span>
                )
              ) : null}
            </p>
          </div>
          <Button type="submit" disabled={!parsed?.ok || invite.isPending}>
            {invite.isPending ? 'Inviting…' : 'Invite the bot'}
          </Button>
        </form>
        {error && (
          <p role="alert" className="mt-2 text-sm text-destructive">
            {error}
          </p>
        )}
      </CardContent>
    </Card>
  );
}
